import { EngineError } from '../../core/errors';
import { brent } from '../../core/optimize';
import { isConstantFeature, nanMoments, requirePresent, safeScale } from '../../core/stats';
import { mapNumericColumns, readScaledColumns, rescaling, SCALED_COLUMNS_PARAM } from '../columnwise';
import { inPlaceAs } from '../python';
import { defineStep } from '../step';

type Method = 'yeo-johnson' | 'box-cox';
type Params = { columns: string[] | null; method: Method; standardize: boolean };
export interface PowerTransformerState {
  columns: string[];
  method: Method;
  lambdas: number[];
  /** Mean and scale of the transformed training values (standardize), else null. */
  mean: number[] | null;
  scale: number[] | null;
}

const NAME = 'PowerTransformer';
const SPACING_1 = 2.220446049250313e-16; // np.spacing(1.0)
const TINY = 2.2250738585072014e-308; // np.finfo(np.float64).tiny

function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) return Math.abs(lambda) < SPACING_1 ? Math.log1p(x) : ((x + 1) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) > SPACING_1 ? -((-x + 1) ** (2 - lambda) - 1) / (2 - lambda) : -Math.log1p(-x);
}

function boxCox(x: number, lambda: number): number {
  // scipy.special.boxcox: log for lambda ≈ 0, else expm1(lambda·log x) / lambda.
  return Math.abs(lambda) < 1e-19 ? Math.log(x) : Math.expm1(lambda * Math.log(x)) / lambda;
}

function variance(values: Float64Array, map: (x: number) => number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += map(values[i]!);
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (map(values[i]!) - mean) ** 2;
  return ss / values.length;
}

/** sklearn's _yeo_johnson_optimize: minimise the negative log-likelihood with Brent from (-2, 2). */
function yeoJohnsonLambda(x: Float64Array): number {
  let signedLog = 0;
  for (let i = 0; i < x.length; i++) signedLog += Math.sign(x[i]!) * Math.log1p(Math.abs(x[i]!));
  const n = x.length;
  return brent(
    (lambda) => {
      const v = variance(x, (xi) => yeoJohnson(xi, lambda));
      if (v < TINY) return Number.POSITIVE_INFINITY;
      return -(-(n / 2) * Math.log(v) + (lambda - 1) * signedLog);
    },
    -2,
    2,
  );
}

/** scipy.stats.boxcox_normmax(method='mle'): Brent on the negative Box-Cox log-likelihood. */
function boxCoxLambda(x: Float64Array): number {
  let sumLog = 0;
  for (let i = 0; i < x.length; i++) sumLog += Math.log(x[i]!);
  const n = x.length;
  return brent(
    (lambda) => {
      const v = lambda === 0 ? variance(x, Math.log) : variance(x, (xi) => xi ** lambda / lambda);
      return -((lambda - 1) * sumLog - (n / 2) * Math.log(v));
    },
    -2,
    2,
  );
}

function present(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}

function requirePositive(name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i]! <= 0) {
      throw new EngineError(
        'SchemaError',
        `${NAME} with method 'box-cox' needs strictly positive values, but column "${name}" has ${values[i]}.`,
        { columnName: name, hint: "Use method 'yeo-johnson', which accepts any real value." },
      );
    }
  }
}

export default defineStep<Params, PowerTransformerState>({
  name: NAME,
  kind: 'transform',
  description:
    'Makes each numeric column more Gaussian with a Yeo-Johnson or Box-Cox power transform (lambda by maximum likelihood), then standardizes it.',
  category: 'Scaling',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    method: {
      type: 'enum',
      options: ['yeo-johnson', 'box-cox'],
      default: 'yeo-johnson',
      description: "'yeo-johnson' works on any values, 'box-cox' on strictly positive ones.",
    },
    standardize: {
      type: 'boolean',
      default: true,
      description: 'Scale the output to zero mean and unit variance.',
    },
  },
  ...rescaling(NAME, 'transform'),
  missing: 'passes-through',
  async fit(input, params) {
    const { names, values } = readScaledColumns(input, NAME, 'transform', params.columns);
    const lambdas: number[] = [];
    const mean: number[] = [];
    const scale: number[] = [];
    names.forEach((name, j) => {
      const x = present(values[j]!);
      requirePresent(NAME, name, x.length);
      if (params.method === 'box-cox') requirePositive(name, x);
      const lambda = params.method === 'box-cox' ? boxCoxLambda(x) : yeoJohnsonLambda(x);
      lambdas.push(lambda);
      const f = params.method === 'box-cox' ? boxCox : yeoJohnson;
      const m = nanMoments(x.map((xi) => f(xi, lambda)));
      mean.push(m.mean);
      scale.push(safeScale(Math.sqrt(m.variance), isConstantFeature(m.variance, m.mean, m.count)));
    });
    return {
      columns: names,
      method: params.method,
      lambdas,
      mean: params.standardize ? mean : null,
      scale: params.standardize ? scale : null,
    };
  },
  async transform(input, state, ctx) {
    return mapNumericColumns(input, NAME, 'transform', state.columns, ctx.signal, (v, j, name) => {
      const lambda = state.lambdas[j]!;
      if (state.method === 'box-cox') requirePositive(name, present(v));
      const f = state.method === 'box-cox' ? boxCox : yeoJohnson;
      const center = state.mean ? state.mean[j]! : 0;
      const scale = state.scale ? state.scale[j]! : 1;
      for (let i = 0; i < v.length; i++) v[i] = (f(v[i]!, lambda) - center) / scale;
      return v;
    });
  },
  python: inPlaceAs<Params>('sklearn.preprocessing', 'PowerTransformer', ['method', 'standardize']),
});
