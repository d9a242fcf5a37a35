/** The data-quality report as plain JSON: one warning per finding, each with an optional fix
 * that is a notebook step (sklearn names), so "apply" appends it to the notebook. */
import type { ParamValue } from '../../spec/notebook';

export type Severity = 'info' | 'warning' | 'error';

export type QualityKind =
  | 'missing'
  | 'rows-with-missing'
  | 'duplicates'
  | 'constant'
  | 'near-constant'
  | 'mixed-types'
  | 'high-cardinality'
  | 'id-like'
  | 'free-text'
  | 'placeholder'
  | 'outliers'
  | 'correlated'
  | 'class-imbalance'
  | 'target-leakage';

export type OutlierMethod = 'iqr' | 'zscore' | 'mad';

export interface FixStep {
  step: string;
  params: Record<string, ParamValue>;
  columns?: string[];
}

export interface QualityFix {
  label: string;
  step: FixStep;
}

export interface QualityWarning {
  /** Stable across runs on the same data: kind + columns. */
  id: string;
  kind: QualityKind;
  severity: Severity;
  columns: string[];
  /** One sentence that explains itself, with the numbers. */
  message: string;
  fix?: QualityFix;
}

export interface QualityOptions {
  /** The target column, once chosen: enables class imbalance and target leakage checks. */
  target?: string | null;
  /** Outlier rule; default 'iqr' (k = 1.5). 'zscore': |z| > 3. 'mad': |0.6745·(x − median)/MAD| > 3.5. */
  outlierMethod?: OutlierMethod;
  /** Correlations use at most this many numeric columns (default 50, in table order)… */
  maxCorrelationColumns?: number;
  /** …and at most this many rows, evenly spaced (default 200,000). */
  maxCorrelationRows?: number;
}
