/** How training numbers read in the tables: metrics with their spread and interval. */
import type { MetricSummary, SplitSpec, TrainParamValue } from '../protocol/api';

export const METRIC_NAMES: Record<string, string> = {
  accuracy: 'accuracy',
  balanced_accuracy: 'balanced accuracy',
  precision_macro: 'precision (macro)',
  recall_macro: 'recall (macro)',
  f1_macro: 'F1 (macro)',
  precision_weighted: 'precision (weighted)',
  recall_weighted: 'recall (weighted)',
  f1_weighted: 'F1 (weighted)',
  roc_auc: 'ROC AUC',
  log_loss: 'log loss',
  mae: 'MAE',
  rmse: 'RMSE',
  r2: 'R²',
  silhouette: 'silhouette',
  inertia: 'inertia',
};

export function metricName(key: string): string {
  return METRIC_NAMES[key] ?? key;
}

/**
 * A metric as the tables show it: `digits` decimals below 100 (0.953), one decimal to 1,000,
 * whole numbers with thousands separators to 1e9, exponents beyond. On prices (txhousing's MAE)
 * the old rule mixed "3.48e+4 ± 424.382" and "7613.485 ± 563.125" in one column.
 */
export function num(v: number, digits = 3, scale = v): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(scale);
  if (abs >= 1e9) return v.toExponential(2);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(1);
  return v.toFixed(digits);
}

/** "0.953 ± 0.027", "747.6 ± 48.8": the spread with as many decimals as the mean. */
export function meanStd(s: MetricSummary | undefined): string {
  if (!s || s.n === 0) return '–';
  return s.n > 1
    ? `${num(s.mean)} ± ${num(s.std, 3, Math.max(Math.abs(s.mean), Math.abs(s.std)))}`
    : num(s.mean);
}

/** Metrics that live in [0, 1]: their interval is shown clipped to it. */
const UNIT_METRICS = new Set([
  'accuracy',
  'balanced_accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
]);

/**
 * "[0.920, 0.987]" — the 95% t-interval of the mean over folds. A t-interval can run past 1 for
 * a score near 1 (the t approximation does not know the bound), so bounded metrics are clipped.
 */
export function ci(s: MetricSummary | undefined, metric?: string): string {
  if (!s || s.n < 2 || !Number.isFinite(s.ciLow)) return '';
  const unit = metric !== undefined && UNIT_METRICS.has(metric);
  const lo = unit ? Math.max(0, s.ciLow) : s.ciLow;
  const hi = unit ? Math.min(1, s.ciHigh) : s.ciHigh;
  return `[${num(lo)}, ${num(hi)}]`;
}

export function paramsText(params: Record<string, TrainParamValue>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return 'defaults';
  return entries.map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ');
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Time left from the fraction done and the time spent so far (null until it means something). */
export function remaining(fraction: number | null, startedAt: number, now: number): number | null {
  if (fraction === null || fraction <= 0.02 || fraction >= 1) return null;
  const spent = now - startedAt;
  return (spent / fraction) * (1 - fraction);
}

export function splitText(split: SplitSpec | undefined, folds: number): string {
  if (!split) return '';
  if (split.kind === 'holdout') return `hold-out ${Math.round(split.testSize * 100)}%`;
  const name = split.kind === 'stratified-kfold' ? 'stratified' : split.kind === 'group-kfold' ? 'group' : '';
  return `${folds} folds${name ? ` (${name})` : ''}`;
}
