import { floatData, type OutColumn, outColumn, rebuild } from '../../core/frame';
import { linspace, npPercentile } from '../../core/percentile';
import { nanMinMax, nanMoments, sortedPresent } from '../../core/stats';
import {
  readCompleteColumns,
  readNumericColumns,
  rejectMissing,
  rescaling,
  SCALED_COLUMNS_PARAM,
  scaledColumns,
} from '../columnwise';
import { inPlace, replacing } from '../python';
import { defineStep } from '../step';

type Strategy = 'uniform' | 'quantile' | 'kmeans';
type Encode = 'onehot' | 'ordinal';
type Params = { columns: string[] | null; n_bins: number; encode: Encode; strategy: Strategy };
export interface KBinsDiscretizerState {
  columns: string[];
  encode: Encode;
  /** Per column, sklearn's bin_edges_ (±Infinity stored as ±1e308 so the state stays JSON). */
  bin_edges: number[][];
  n_bins: number[];
}

const NAME = 'KBinsDiscretizer';
const BIG = 1e308;

/**
 * 1-D k-means as sklearn's KMeans(init=centers, n_init=1) runs Lloyd: labels from the old centers,
 * empty clusters moved to the points farthest from their centers, stop when the labels repeat or
 * the squared center shift is within tol = 1e-4 × variance.
 */
function kmeans1d(x: Float64Array, init: number[]): number[] {
  const k = init.length;
  const tol = nanMoments(x).variance * 1e-4;
  let centers = [...init];
  const labels = new Int32Array(x.length);
  const old = new Int32Array(x.length).fill(-1);
  for (let iter = 0; iter < 300; iter++) {
    const sums = new Float64Array(k);
    const counts = new Float64Array(k);
    for (let i = 0; i < x.length; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const dist = (x[i]! - centers[c]!) ** 2;
        if (dist < bestD) {
          bestD = dist;
          best = c;
        }
      }
      labels[i] = best;
      sums[best]! += x[i]!;
      counts[best]!++;
    }
    const empty = [...counts.keys()].filter((c) => counts[c] === 0);
    if (empty.length > 0) {
      // sklearn's _relocate_empty_clusters_dense: the farthest points (largest first) seed them.
      const far = Array.from(x.keys())
        .sort((a, b) => (x[b]! - centers[labels[b]!]!) ** 2 - (x[a]! - centers[labels[a]!]!) ** 2 || a - b)
        .slice(0, empty.length);
      empty.forEach((c, e) => {
        const i = far[e]!;
        sums[labels[i]!]! -= x[i]!;
        counts[labels[i]!]!--;
        sums[c] = x[i]!;
        counts[c] = 1;
      });
    }
    const next = centers.map((c, j) => (counts[j]! > 0 ? sums[j]! / counts[j]! : c));
    let shift = 0;
    for (let j = 0; j < k; j++) shift += (next[j]! - centers[j]!) ** 2;
    centers = next;
    let same = true;
    for (let i = 0; i < x.length; i++) {
      if (labels[i] !== old[i]) {
        same = false;
        break;
      }
    }
    if (same || shift <= tol) break;
    old.set(labels);
  }
  return centers;
}

function edgesFor(col: Float64Array, nBins: number, strategy: Strategy): number[] {
  const { min, max } = nanMinMax(col);
  if (min === max) return [-BIG, BIG];
  let edges: number[];
  if (strategy === 'uniform') edges = linspace(min, max, nBins + 1);
  else if (strategy === 'quantile') {
    const sorted = sortedPresent(col);
    edges = linspace(0, 100, nBins + 1).map((q) => npPercentile(sorted, q));
  } else {
    const uniform = linspace(min, max, nBins + 1);
    const init = uniform.slice(1).map((e, i) => (e + uniform[i]!) * 0.5);
    const centers = kmeans1d(col, init).sort((a, b) => a - b);
    edges = [min, ...centers.slice(1).map((c, i) => (c + centers[i]!) * 0.5), max];
  }
  if (strategy !== 'uniform') {
    // sklearn drops bins whose width is ≤ 1e-8.
    edges = edges.filter((e, i) => i === 0 || e - edges[i - 1]! > 1e-8);
  }
  return edges;
}

export default defineStep<Params, KBinsDiscretizerState>({
  name: NAME,
  kind: 'transform',
  description:
    'Bins each numeric column into intervals of equal width, equal frequency (quantile, the default) or by 1-D k-means.',
  category: 'Feature extraction',
  params: {
    columns: SCALED_COLUMNS_PARAM,
    n_bins: { type: 'integer', default: 5, min: 2, max: 1000, description: 'Bins per column.' },
    encode: {
      type: 'enum',
      options: ['onehot', 'ordinal'],
      default: 'onehot',
      description: "'onehot': one 0/1 column per bin (<col>_0.0, …); 'ordinal': the bin index in place.",
    },
    strategy: {
      type: 'enum',
      options: ['uniform', 'quantile', 'kmeans'],
      default: 'quantile',
      description: "Bin edges: equal width ('uniform'), equal counts ('quantile') or 1-D k-means ('kmeans').",
    },
  },
  ...rescaling(NAME, 'bin'),
  missing: 'rejects',
  async fit(input, params) {
    const { names, values } = readCompleteColumns(
      input,
      NAME,
      'bin',
      scaledColumns(input, NAME, 'bin', params.columns),
    );
    const bin_edges = values.map((v) => edgesFor(v, params.n_bins, params.strategy));
    return { columns: names, encode: params.encode, bin_edges, n_bins: bin_edges.map((e) => e.length - 1) };
  },
  async transform(input, state) {
    const { values } = readNumericColumns(input, NAME, 'bin', state.columns);
    const replace = new Map<string, OutColumn[]>();
    state.columns.forEach((name, j) => {
      const v = values[j]!;
      rejectMissing(NAME, name, v);
      const inner = state.bin_edges[j]!.slice(1, -1);
      const bins = state.n_bins[j]!;
      const codes = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        // searchsorted(inner, x, side='right'): the number of inner edges ≤ x.
        let lo = 0;
        let hi = inner.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (inner[mid]! <= v[i]!) lo = mid + 1;
          else hi = mid;
        }
        codes[i] = lo;
      }
      if (state.encode === 'ordinal') {
        replace.set(name, [outColumn(name, 'float', floatData(codes))]);
        return;
      }
      const outs = Array.from({ length: bins }, () => new Float64Array(v.length));
      for (let i = 0; i < v.length; i++) outs[codes[i]!]![i] = 1;
      replace.set(
        name,
        outs.map((o, b) => ({ ...outColumn(`${name}_${b}.0`, 'float', floatData(o)), encodedBy: NAME })),
      );
    });
    return rebuild(input, NAME, replace);
  },
  python: (params, at) => {
    const own = { n_bins: params.n_bins, strategy: params.strategy, subsample: null };
    return params.encode === 'ordinal'
      ? inPlace('sklearn.preprocessing', 'KBinsDiscretizer', { ...own, encode: 'ordinal' }, at)
      : replacing('sklearn.preprocessing', 'KBinsDiscretizer', { ...own, encode: 'onehot-dense' }, at);
  },
});
