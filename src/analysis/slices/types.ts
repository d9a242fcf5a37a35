import type { Notebook } from '../../spec/notebook';
import type { CellValue } from '../deploy/types';
import type { ModelRunResult, TrainTask } from '../experiment/types';

/** A named set of rows of a dataset, kept by the engine with the dataset: a restored dataset (a
 * reload, a restarted engine) has its slices back. */
export interface KeptSlice {
  name: string;
  /** FilterRows expression when the selection had one, else null (a lasso, an error slice). */
  expression: string | null;
  /** Row ids (ascending) in the dataset as loaded. */
  rows: Uint32Array;
  /** What the slice is, when it came from elsewhere (an error slice of a run). */
  description?: string;
}

/** Error analysis: where a run's out-of-fold errors concentrate (src/analysis/slices/slices.ts). */

/** A condition on a raw input column (the dataset after the notebook's leading filters). */
export type SliceCondition =
  /** low < value ≤ high; null bounds are open. Missing values are outside. */
  | { column: string; kind: 'range'; low: number | null; high: number | null }
  | { column: string; kind: 'equals'; value: number }
  | { column: string; kind: 'category'; value: string }
  | { column: string; kind: 'missing' };

export interface ErrorSlice {
  /** One condition, or two (a combination of two features), all holding. */
  conditions: SliceCondition[];
  /** "petal width (cm) ≤ 0.8 and site = north" */
  description: string;
  /** "… : error 31% [22%, 42%], 48 rows, vs 6% elsewhere" */
  sentence: string;
  size: number;
  /** Error rate (classification) or mean absolute error (regression) of the slice's rows, with
   * its 95% interval (Wilson for rates, t for means). */
  value: number;
  ciLow: number;
  ciHigh: number;
  /** The same metric on every other analysed row. */
  rest: number;
  /** value − rest: the effect size slices are ranked by. */
  difference: number;
  /** Slice vs the rest: two-proportion z-test (rates) or Welch's t-test (means), two-sided. */
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value over every slice tested. */
  qValue: number;
  /** Worse than the rest with qValue < alpha. */
  significant: boolean;
}

export interface WorstRow {
  /** Row index in the dataset as loaded (the Data table shows row + 1). */
  row: number;
  fold: number;
  /** Class label or target value. */
  truth: string | number;
  predicted: string | number;
  /** Classification: the probability of the predicted (wrong) class; null without predict_proba. */
  confidence: number | null;
  /** Classification: the probability of the true class; null without predict_proba. */
  truthProbability: number | null;
  /** Regression: |truth − predicted| (classification: 1). */
  error: number;
  /** The row's raw input values, in ErrorAnalysisResult.columns order. */
  values: CellValue[];
}

export interface ErrorAnalysisOptions {
  /** Smallest slice tested: max(minSize, minShare × rows); defaults 20 and 0.01. */
  minSize?: number;
  minShare?: number;
  /** Quantile bins per numeric column (default 5). */
  bins?: number;
  /** Features whose pairwise combinations are tested: the best this many (default 6). */
  pairFeatures?: number;
  /** Slices returned, worst first (default 40). */
  maxSlices?: number;
  /** Worst rows returned (default 50). */
  worstRows?: number;
  /** False discovery rate (default 0.05). */
  alpha?: number;
}

export interface ErrorAnalysisSpec {
  /** Its leading filters are re-run to find the rows the run saw. */
  notebook: Notebook;
  target: string;
  task: TrainTask;
  /** Class names (codes in `oof` index them); null for regression. */
  classes: string[] | null;
  /** Rows the run saw (ExperimentResult.rows): a changed filter is reported, not misread. */
  rows: number;
  oof: ModelRunResult['oof'];
  options?: ErrorAnalysisOptions;
}

export interface ErrorAnalysisResult {
  task: 'classification' | 'regression';
  metric: 'error rate' | 'mean absolute error';
  /** Out-of-fold rows analysed, and rows of the dataset as loaded (a selection's mask length). */
  rows: number;
  datasetRows: number;
  /** Misclassified rows (classification), or rows with a residual (regression). */
  errors: number;
  overall: { value: number; ciLow: number; ciHigh: number };
  /** Worst first: misclassified rows by confidence in the wrong class, or largest |residual|. */
  worst: WorstRow[];
  /** The raw input columns, in the order of WorstRow.values. */
  columns: string[];
  /** Worse than the rest: the significant ones first, each the worst on the rows the slices above
   * it leave (a greedy cover); then the others, smallest p-value first. */
  slices: ErrorSlice[];
  /** Slices tested (the size of the multiple-testing correction), smallest size tested. */
  tested: number;
  /** Significant slices left out because the slices listed above them already hold their errors. */
  explained: number;
  minSize: number;
  alpha: number;
  /** Columns not sliced, with why (an identifier, a single value). */
  skipped: { column: string; reason: string }[];
}

/**
 * Which analysed rows to list: a slice, a confusion-matrix cell (class codes), or the first
 * `count` worst rows (classification: misclassified rows only, so a large count gives them all).
 */
export type ErrorRowsQuery =
  | { kind: 'slice'; conditions: SliceCondition[] }
  | { kind: 'cell'; truth: number; predicted: number }
  | { kind: 'worst'; count: number };
