import { EngineError } from '../../core/errors';
import { column, type Frame, LABEL_TYPES, typeOf } from '../../core/frame';
import type { Rng } from '../../core/rng';
import { replaceWithFloats } from '../columnwise';
import {
  categoricalColumns,
  codesIn,
  columnCategories,
  encodedColumns,
  requireEncodedColumns,
} from '../labels';
import { py } from '../python';
import { defineStep, type RunContext } from '../step';
import { TARGET_PARAM, targetClasses, targetNumbers } from '../target';

type Params = {
  columns: string[] | null;
  target: string;
  smooth: number | null;
  cv: number;
  shuffle: boolean;
};
export interface TargetEncoderColumn {
  name: string;
  /** Sorted categories; a missing value is one more category after them. */
  categories: string[];
  /** Encoding per category, then (last) of missing. */
  encodings: number[];
}
export interface TargetEncoderState {
  target: string;
  target_type: 'continuous' | 'binary';
  /** Binary targets: the two classes (the second is 1). */
  classes: string[] | null;
  target_mean: number;
  columns: TargetEncoderColumn[];
  smooth: number | null;
}

const NAME = 'TargetEncoder';

interface Target {
  type: 'continuous' | 'binary';
  classes: string[] | null;
  /** Per row, the target as a number (binary: 0/1), NaN where missing. */
  y: Float64Array;
}

function readTarget(input: Frame, name: string): Target {
  const { codes, labels } = targetClasses(input, NAME, name); // reports a missing or unknown target
  const type = typeOf(input, name);
  if (labels.length === 2) {
    return { type: 'binary', classes: labels, y: Float64Array.from(codes, (c) => (c < 0 ? Number.NaN : c)) };
  }
  if (type === 'integer' || type === 'float')
    return { type: 'continuous', classes: null, y: targetNumbers(input, NAME, name) };
  throw new EngineError(
    'SchemaError',
    `${NAME} needs a numeric or two-class target; "${name}" has ${labels.length} classes (multiclass arrives in sklearn 1.4).`,
    { columnName: name, hint: 'Encode against a numeric target, or one class versus the rest.' },
  );
}

/** Category index per row: sorted categories, then missing (= categories.length). */
function categoryCodes(input: Frame, c: { name: string; categories: string[] }): Int32Array {
  return codesIn(column(input, c.name), c.categories).map((k) => (k === -1 ? c.categories.length : k));
}

/**
 * Encodings from the rows in `rows` (sklearn 1.3's _fit_encoding_fast / _auto_smooth): with
 * smooth 'auto' each category's mean is shrunk towards the target mean by λ = σ²n / (σ²n + s²),
 * s² the variance of y inside the category (Micci-Barreca eq. 5–6); a number m gives
 * (Σy + m·ȳ) / (n + m). Unseen categories get ȳ.
 */
function encodings(codes: Int32Array, y: Float64Array, rows: Int32Array, k: number, smooth: number | null) {
  let sum = 0;
  for (const i of rows) sum += y[i]!;
  const mean = sum / rows.length;
  let ss = 0;
  for (const i of rows) ss += (y[i]! - mean) ** 2;
  const variance = ss / rows.length;
  const counts = new Float64Array(k);
  const sums = new Float64Array(k);
  for (const i of rows) {
    counts[codes[i]!]!++;
    sums[codes[i]!]! += y[i]!;
  }
  const out = new Array<number>(k);
  if (smooth !== null) {
    for (let c = 0; c < k; c++)
      out[c] = counts[c]! + smooth > 0 ? (sums[c]! + smooth * mean) / (counts[c]! + smooth) : mean;
    return { out, mean };
  }
  const catMean = sums.map((s, c) => s / counts[c]!);
  const ssd = new Float64Array(k);
  for (const i of rows) ssd[codes[i]!]! += (y[i]! - catMean[codes[i]!]!) ** 2;
  for (let c = 0; c < k; c++) {
    const lambda = (variance * counts[c]!) / (variance * counts[c]! + ssd[c]! / counts[c]!);
    out[c] = Number.isNaN(lambda) ? mean : lambda * catMean[c]! + (1 - lambda) * mean;
  }
  return { out, mean };
}

/** Rows with a target, split in `cv` folds: shuffled KFold, or per class for a binary target. */
function folds(y: Float64Array, target: Target, cv: number, shuffle: boolean, rng: Rng): Int32Array[] {
  const labelled = Int32Array.from({ length: y.length }, (_, i) => i).filter((i) => !Number.isNaN(y[i]!));
  const shuffled = (rows: Int32Array) => {
    const out = Int32Array.from(rows);
    if (!shuffle) return out;
    for (let i = out.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  };
  const groups: number[][] = Array.from({ length: cv }, () => []);
  if (target.type === 'binary') {
    // Stratified: each class dealt round-robin over the folds, so every fold keeps the class ratio.
    let next = 0;
    for (const cls of [0, 1]) {
      for (const i of shuffled(labelled.filter((i) => y[i] === cls))) groups[next++ % cv]!.push(i);
    }
  } else {
    const order = shuffled(labelled);
    const n = order.length;
    let start = 0;
    for (let f = 0; f < cv; f++) {
      const size = Math.floor(n / cv) + (f < n % cv ? 1 : 0);
      groups[f]!.push(...order.subarray(start, start + size));
      start += size;
    }
  }
  return groups.map((g) => Int32Array.from(g));
}

function selectColumns(input: Frame, params: Params): string[] {
  const names = encodedColumns(input, NAME, params.columns, params.target);
  if (names.includes(params.target)) {
    throw new EngineError(
      'InvalidArgument',
      `${NAME}: the target "${params.target}" cannot also be encoded.`,
      {
        param: 'columns',
      },
    );
  }
  return names;
}

function fitState(input: Frame, params: Params): { state: TargetEncoderState; target: Target } {
  const names = selectColumns(input, params);
  const target = readTarget(input, params.target);
  const rows = Int32Array.from({ length: input.numRows }, (_, i) => i).filter(
    (i) => !Number.isNaN(target.y[i]!),
  );
  if (rows.length === 0) {
    throw new EngineError('SchemaError', `${NAME} found no training row with a target value.`, {
      columnName: params.target,
    });
  }
  let targetMean = 0;
  const columns = names.map((name) => {
    const categories = columnCategories(input, name);
    const codes = categoryCodes(input, { name, categories });
    const { out, mean } = encodings(codes, target.y, rows, categories.length + 1, params.smooth);
    targetMean = mean;
    return { name, categories, encodings: out };
  });
  return {
    state: {
      target: params.target,
      target_type: target.type,
      classes: target.classes,
      target_mean: targetMean,
      columns,
      smooth: params.smooth,
    },
    target,
  };
}

function apply(
  input: Frame,
  state: TargetEncoderState,
  encode: (c: TargetEncoderColumn, codes: Int32Array) => Float64Array,
): Frame {
  const names = state.columns.map((c) => c.name);
  requireEncodedColumns(input, NAME, names);
  return replaceWithFloats(input, NAME, names, (_, j) => {
    const c = state.columns[j]!;
    return encode(c, categoryCodes(input, c));
  });
}

/** Unknown categories (code −2) take the target mean. */
function encodeWith(values: readonly number[], fallback: number, codes: Int32Array): Float64Array {
  return Float64Array.from(codes, (k) => (k < 0 ? fallback : values[k]!));
}

const PY_TARGET_ENCODE = `def target_encodings(keys, y, rows, smooth):
    """Per category (missing is one), the shrunk mean of y over \`rows\` (Micci-Barreca; sklearn
    1.3's TargetEncoder arithmetic), and the mean of y there (unseen categories take it)."""
    yy, kk = y.iloc[rows], keys.iloc[rows]
    mean, variance = yy.mean(), yy.var(ddof=0)
    groups = yy.groupby(kk)
    n, total = groups.count(), groups.sum()
    if smooth is None:
        shrink = variance * n / (variance * n + groups.var(ddof=0))
        return (shrink * (total / n) + (1 - shrink) * mean).fillna(mean), mean
    return (total + smooth * mean) / (n + smooth), mean


def target_encode(columns, target, smooth, cv, shuffle, train, test):
    """TargetEncoder as Benchtop fits it in a fold: the encodings learnt on the training rows encode
    the test rows; the training rows themselves are cross-fitted (sklearn's fit_transform: no row
    sees its own target) over \`cv\` folds made as Benchtop makes them — a binary target's rows
    dealt round-robin class by class, other targets' rows in contiguous blocks — shuffled first
    by numpy's generator when \`shuffle\` is on (then they are not Benchtop's folds)."""
    y = train[target]
    classes = sorted(y.dropna().unique())
    binary = len(classes) == 2
    if binary:
        y = (y == classes[1]).astype(float).where(y.notna())
    y = y.astype(float).reset_index(drop=True)
    yv = y.to_numpy()
    known = np.flatnonzero(~np.isnan(yv))
    rng = np.random.default_rng(SEED)
    order = (lambda rows: rng.permutation(rows)) if shuffle else (lambda rows: rows)
    if binary:
        dealt = [i for cls in (0.0, 1.0) for i in order(known[yv[known] == cls])]
        folds = [np.array(dealt[f::cv], dtype=int) for f in range(cv)]
    else:
        rows = order(known)
        sizes = [len(rows) // cv + (1 if f < len(rows) % cv else 0) for f in range(cv)]
        folds = np.split(np.asarray(rows, dtype=int), np.cumsum(sizes)[:-1])
    for c in columns:
        keys = train[c].astype(object).where(train[c].notna(), "<missing>").reset_index(drop=True)
        encoding, mean = target_encodings(keys, y, known, smooth)
        if len(test):
            k = test[c].astype(object).where(test[c].notna(), "<missing>")
            test[c] = k.map(encoding).astype(float).fillna(mean)
        # Rows without a target learn nothing from themselves: they keep the full encoding.
        out = keys.map(encoding).astype(float).fillna(mean).to_numpy().copy()
        for f, held in enumerate(folds):
            fit = np.concatenate([g for h, g in enumerate(folds) if h != f]).astype(int)
            fold_encoding, fold_mean = target_encodings(keys, y, fit, smooth)
            out[held] = keys.iloc[held].map(fold_encoding).astype(float).fillna(fold_mean).to_numpy()
        train[c] = out
    return train, test`;

export default defineStep<Params, TargetEncoderState>({
  name: NAME,
  kind: 'transform',
  description:
    'Replaces each category by a shrunk mean of the target for it (sklearn 1.3’s TargetEncoder); on the training rows the means are cross-fitted over 5 folds so no row sees its own target.',
  category: 'Encoding',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description: 'Columns to encode; null means every categorical column except the target.',
    },
    target: TARGET_PARAM,
    smooth: {
      type: 'number',
      default: null,
      min: 0,
      description:
        "Shrinkage towards the target mean; null is sklearn's 'auto' (empirical Bayes, per category).",
    },
    cv: {
      type: 'integer',
      default: 5,
      min: 2,
      max: 100,
      description: 'Folds for cross fitting on the training rows.',
    },
    shuffle: {
      type: 'boolean',
      default: true,
      description: 'Shuffle the training rows (seeded) before making the folds.',
    },
  },
  accepts: LABEL_TYPES,
  defaultColumns: (input, params) => categoricalColumns(input, params.target),
  missing: 'handles',
  async fit(input, params) {
    return fitState(input, params).state;
  },
  async transform(input, state) {
    return apply(input, state, (c, codes) => encodeWith(c.encodings, state.target_mean, codes));
  },
  async fitTransform(input, params, ctx: RunContext) {
    const { state, target } = fitState(input, params);
    const parts = folds(target.y, target, params.cv, params.shuffle, ctx.rng);
    const output = apply(input, state, (c, codes) => {
      // Rows without a target learn nothing from themselves: they keep the full-data encoding.
      const out = encodeWith(c.encodings, state.target_mean, codes);
      parts.forEach((test, f) => {
        const train = Int32Array.from(parts.filter((_, g) => g !== f).flatMap((p) => Array.from(p)));
        const { out: fold, mean } = encodings(codes, target.y, train, c.categories.length + 1, params.smooth);
        for (const i of test) out[i] = codes[i]! < 0 ? mean : fold[codes[i]!]!;
      });
      return out;
    });
    return { state, output };
  },
  python: (params, at) => ({
    helpers: [PY_TARGET_ENCODE],
    lines: [
      `train, test = target_encode(${at.columns}, ${py(params.target)}, ${py(params.smooth)}, ${py(params.cv)}, ${py(params.shuffle)}, train, test)`,
    ],
    ...(params.shuffle
      ? {
          caveat:
            "the training rows' cross-fitting folds are shuffled by numpy's generator, not Benchtop's: their encodings agree statistically (shuffle=false reproduces them exactly).",
        }
      : {}),
  }),
});
