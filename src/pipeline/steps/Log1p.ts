import { EngineError } from '../../core/errors';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { defineStep } from '../step';

type Params = { columns: string[] | null };
export interface Log1pState {
  columns: string[];
}

const NAME = 'Log1p';

export default defineStep<Params, Log1pState>({
  name: NAME,
  kind: 'transform',
  description:
    'Replaces each value x by log(1 + x), which compresses long right tails (FunctionTransformer(np.log1p)).',
  category: 'Scaling',
  params: { columns: SCALED_COLUMNS_PARAM },
  ...rescaling(NAME, 'transform'),
  missing: 'passes-through',
  async fit(input, params) {
    return {
      columns: readScaledColumns(input, NAME, 'transform', params.columns).names,
    };
  },
  async transform(input, state, ctx) {
    return mapNumericColumns(input, NAME, 'transform', state.columns, ctx.signal, (v, _j, name) => {
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        // numpy gives NaN below -1 and -inf at -1: refuse rather than silently invent missing values.
        if (x <= -1) {
          throw new EngineError(
            'SchemaError',
            `${NAME} cannot transform column "${name}": it has the value ${x}, and log(1 + x) needs x > -1.`,
            {
              columnName: name,
              hint: 'Shift or clip the column first, or use PowerTransformer.',
            },
          );
        }
        v[i] = Math.log1p(x);
      }
      return v;
    });
  },
  python: (_params, at) => ({
    lines: [
      `for part in (train, test):`,
      `    part[${at.columns}] = np.log1p(part[${at.columns}].astype(float))`,
    ],
  }),
});
