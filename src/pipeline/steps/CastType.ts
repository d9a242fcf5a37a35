import { Utf8, vectorFromArray } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import {
  boolData,
  column,
  floatData,
  labelData,
  type OutColumn,
  outColumn,
  readLabels,
  readNumeric,
  rebuild,
  typeOf,
} from '../../core/frame';
import { COLUMN_TYPES, type ColumnType } from '../../core/types';
import { intData } from '../integers';
import { PY_AS_LABEL, py } from '../python';
import { defineStep } from '../step';
import type { StepFixProposal } from '../types';

type Target = 'integer' | 'float' | 'boolean' | 'categorical' | 'text';
type Params = { column: string; to: Target; errors: 'raise' | 'coerce' };
export interface CastTypeState {
  column: string;
  to: Target;
  errors: 'raise' | 'coerce';
}

const NAME = 'CastType';
const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);
const INT32_MAX = 2 ** 31 - 1;

/** The value that does not convert, with the one-click fixes: treat it as missing before the
 * cast (a placeholder such as "?" or "."; not a number such as 3.5 meant as an integer), or
 * coerce every value that does not convert. */
function fail(name: string, value: string, to: Target): never {
  const fixes: StepFixProposal[] = [];
  if (value.trim() !== '' && !value.includes(',') && !Number.isFinite(Number(value)))
    fixes.push({
      kind: 'insert-step',
      label: `Treat "${value}" as missing`,
      step: { step: 'MarkMissing', params: { values: value }, columns: [name] },
    });
  fixes.push({
    kind: 'set-params',
    label: 'Turn values that do not convert into missing',
    params: { errors: 'coerce' },
  });
  throw new EngineError('SchemaError', `${NAME} cannot read "${value}" in column "${name}" as ${to}.`, {
    columnName: name,
    value,
    fixes,
    hint: "Set errors to 'coerce' to turn values that do not convert into missing values.",
  });
}

/** The column as numbers: numeric and boolean directly, text parsed (pandas.to_numeric). */
function numbers(state: CastTypeState, type: ColumnType, input: Parameters<typeof column>[0]): Float64Array {
  const vector = column(input, state.column);
  if (type === 'integer' || type === 'float' || type === 'boolean') return readNumeric(vector);
  if (type === 'date' || type === 'datetime') {
    throw new EngineError(
      'SchemaError',
      `${NAME} cannot turn column "${state.column}" (type ${type}) into numbers.`,
      {
        columnName: state.column,
        hint: 'Use DateParts to get years, months and days as numbers.',
      },
    );
  }
  const { codes, labels } = readLabels(vector);
  const parsed = labels.map((l) => {
    const t = l.trim();
    const v = t === '' ? Number.NaN : Number(t);
    if (Number.isNaN(v) && state.errors === 'raise') fail(state.column, l, state.to);
    return v;
  });
  return Float64Array.from(codes, (c) => (c < 0 ? Number.NaN : parsed[c]!));
}

function cast(input: Parameters<typeof column>[0], state: CastTypeState): OutColumn {
  const name = state.column;
  const type = typeOf(input, name);
  const vector = column(input, name);
  switch (state.to) {
    case 'float':
      return outColumn(name, 'float', floatData(numbers(state, type, input)));
    case 'integer': {
      const v = numbers(state, type, input);
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (!Number.isNaN(x) && !(Number.isInteger(x) && Math.abs(x) <= INT32_MAX)) {
          if (state.errors === 'raise') fail(name, String(x), 'integer');
          v[i] = Number.NaN;
        }
      }
      return outColumn(name, 'integer', intData(v));
    }
    case 'boolean': {
      const { codes, labels } = readLabels(vector);
      const values = labels.map((l) => {
        const key = l.trim().toLowerCase();
        const v = TRUE.has(key) ? 1 : FALSE.has(key) ? 0 : Number.NaN;
        if (Number.isNaN(v) && state.errors === 'raise') fail(name, l, 'boolean');
        return v;
      });
      // Booleans have no missing marker in our Arrow form: missing and unreadable become false
      // only when coerced, and are reported otherwise.
      const bits = Uint8Array.from(codes, (c) => (c >= 0 && values[c] === 1 ? 1 : 0));
      if (state.errors === 'raise' && codes.includes(-1)) {
        throw new EngineError(
          'SchemaError',
          `${NAME} cannot cast column "${name}" with missing values to boolean.`,
          {
            columnName: name,
            hint: "Impute it first, or set errors to 'coerce' (missing becomes false).",
          },
        );
      }
      return outColumn(name, 'boolean', boolData(bits));
    }
    case 'categorical':
    case 'text': {
      if (type === 'date' || type === 'datetime') {
        const ms = readNumeric(vector);
        const iso = Array.from(ms, (v) => {
          if (Number.isNaN(v)) return null;
          const s = new Date(v).toISOString();
          return type === 'date' ? s.slice(0, 10) : s.replace('.000Z', 'Z');
        });
        return toLabels(name, state.to, iso);
      }
      const { codes, labels } = readLabels(vector);
      if (state.to === 'categorical') return outColumn(name, 'categorical', labelData(codes, labels));
      return toLabels(
        name,
        'text',
        Array.from(codes, (c) => (c < 0 ? null : labels[c]!)),
      );
    }
  }
}

function toLabels(name: string, to: 'categorical' | 'text', values: (string | null)[]): OutColumn {
  if (to === 'text') return { name, type: 'text', vector: vectorFromArray(values, new Utf8()) };
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let k = index.get(v);
    if (k === undefined) {
      k = labels.push(v) - 1;
      index.set(v, k);
    }
    return k;
  });
  return outColumn(name, 'categorical', labelData(codes, labels));
}

const PY_CAST_TYPE = `def cast_type(part, name, to, errors):
    """CastType: pandas.to_numeric for numbers, true/false words for booleans, labels for text."""
    s = part[name]
    if to in ("float", "integer"):
        out = s.astype(float) if pd.api.types.is_bool_dtype(s) else pd.to_numeric(s, errors=errors).astype(float)
        if to == "integer":
            bad = out.notna() & ((out != np.round(out)) | (out.abs() > 2**31 - 1))
            if errors == "raise" and bad.any():
                raise ValueError(f"CastType cannot read {out[bad].iloc[0]} in column {name!r} as integer")
            out = out.where(~bad)
    elif to == "boolean":
        words = as_label(s).str.strip().str.lower()
        out = words.map(lambda v: True if v in ("true", "t", "yes", "y", "1") else False if v in ("false", "f", "no", "n", "0") else None)
        if errors == "raise" and out.isna().any():
            raise ValueError(f"CastType cannot read a value of column {name!r} as boolean")
        out = out.fillna(False).astype(bool)
    else:
        out = as_label(s)
    part[name] = out
    return part`;

export default defineStep<Params, CastTypeState>({
  name: NAME,
  kind: 'transform',
  description:
    'Changes the type of one column (to integer, float, boolean, categorical or text), parsing text as needed.',
  category: 'Cleaning',
  params: {
    column: { type: 'string', default: '', maxLength: 500, description: 'The column to convert.' },
    to: {
      type: 'enum',
      options: ['integer', 'float', 'boolean', 'categorical', 'text'],
      default: 'float',
      description: 'The new type.',
    },
    errors: {
      type: 'enum',
      options: ['raise', 'coerce'],
      default: 'raise',
      description:
        "Values that do not convert: fail ('raise') or become missing ('coerce'), as pandas.to_numeric.",
    },
  },
  accepts: COLUMN_TYPES,
  missing: 'passes-through',
  async fit(input, params) {
    if (params.column === '') {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: set the parameter "column" to the column to convert.`,
        {
          param: 'column',
        },
      );
    }
    const state = { column: params.column, to: params.to, errors: params.errors };
    cast(input, state); // reports values that do not convert now
    return state;
  },
  async transform(input, state) {
    return rebuild(input, NAME, new Map([[state.column, [cast(input, state)]]]));
  },
  python: (params) => ({
    helpers: [PY_AS_LABEL, PY_CAST_TYPE],
    lines: [
      `train = cast_type(train, ${py(params.column)}, ${py(params.to)}, ${py(params.errors)})`,
      `test = cast_type(test, ${py(params.column)}, ${py(params.to)}, ${py(params.errors)})`,
    ],
  }),
});
