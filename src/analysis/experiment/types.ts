import type { StepParamInfo, StepSuggestion } from '../../pipeline/types';
import type { Notebook } from '../../spec/notebook';

/** Training runs: split, models, fold loop, metrics with CIs, comparisons, tuning, learning curves. */

// baselines and tuning. Computed in the worker (src/analysis/experiment); plain data on the wire. ──
export type TrainTask = 'classification' | 'regression' | 'clustering';

export type TrainParamValue = string | number | boolean | null | readonly TrainParamValue[];

export type SplitSpec =
  | {
      kind: 'holdout';
      /** Fraction of rows for the test set (0..1), default 0.25. */
      testSize: number;
      /** Keep class proportions (classification only). */
      stratify?: boolean;
      /** Shuffle before splitting (default true; false → the last rows are the test set). */
      shuffle?: boolean;
      /** Group column: a group lands wholly in train or test. */
      group?: string | null;
      /** Order column: the latest rows are the test set. */
      timeColumn?: string | null;
    }
  | {
      kind: 'kfold' | 'stratified-kfold' | 'group-kfold';
      k: number;
      /** Repeated CV (shuffled each time); 1 when absent. */
      repeats?: number;
      /** Shuffle (k-fold and stratified k-fold, default true). */
      shuffle?: boolean;
      group?: string | null;
    };

export interface ModelSpec {
  name: string;
  /** Parameters that differ from the defaults (sklearn's names). */
  params: Record<string, TrainParamValue>;
}

export interface TrainSpec {
  /** Its steps are fitted inside each fold, on training rows only. */
  notebook: Notebook;
  target: string | null;
  /** Inferred from the target when absent. */
  task?: TrainTask;
  /** Feature columns after the notebook; default every numeric/boolean column but the target. */
  features?: string[] | null;
  split: SplitSpec;
  models: ModelSpec[];
  seed: number;
  /** Also compute permutation importance (repeats shuffles per feature and fold; default off). */
  importance?: { repeats: number };
}

/** Mean ± std over folds with a 95% t-interval (NaN bounds with one fold). */
export interface MetricSummary {
  mean: number;
  std: number;
  n: number;
  ciLow: number;
  ciHigh: number;
}

export interface CurvePoint {
  step: number;
  loss: number;
  validation?: number;
}

/** Plot data computed from the out-of-fold predictions (first repeat). */
export interface EvaluationPlots {
  confusion?: { labels: string[]; matrix: number[][] };
  /** One curve per class (one-vs-rest), or one for the positive class of a binary target. */
  roc?: { label: string; fpr: number[]; tpr: number[]; auc: number }[];
  pr?: { label: string; precision: number[]; recall: number[] }[];
  calibration?: { label: string; probPred: number[]; probTrue: number[] }[];
  /** Regression: actual and predicted values (a sample of at most 2,000 rows). */
  residuals?: { actual: number[]; predicted: number[] };
}

export interface ModelRunResult {
  /** Unique within the experiment: the model name, numbered when it appears twice. */
  label: string;
  name: string;
  /** Every parameter, defaults filled in. */
  params: Record<string, TrainParamValue>;
  /** Parameters that differ from the defaults (what the user chose). */
  changed: Record<string, TrainParamValue>;
  metrics: Record<string, MetricSummary>;
  /** Per fold, in fold order: the values `metrics` summarise. */
  foldMetrics: Record<string, number[]>;
  /** Training + prediction time per fold, milliseconds. */
  foldMs: number[];
  fitMs: number;
  /** Where the model ran: 'cpu', 'webgpu' (our kernels) or 'tfjs-<backend>'. */
  backend: string;
  /** Loss per iteration for iterative models, per fold (at most 500 points each). */
  curves: CurvePoint[][];
  /** Out-of-fold predictions of the first repeat: rows (indices into the dataset after the
   * notebook's leading filters), truth and prediction (class codes or values), fold of each row;
   * for classifiers with predict_proba, the probability of the predicted and of the true class
   * (4 decimals; absent in runs saved before it existed). */
  oof: {
    rows: number[];
    truth: number[];
    predicted: number[];
    fold: number[];
    probability?: { predicted: number[]; truth: number[] };
  };
  plots: EvaluationPlots;
  /** Permutation importance on the test folds (when asked for): the drop of the primary metric
   * when one feature's test values are shuffled, summarised over folds; largest first. */
  importance?: { feature: string; drop: MetricSummary }[];
}

export interface PairComparison {
  a: string;
  b: string;
  metric: string;
  test: 'corrected t-test' | 'McNemar exact' | 'McNemar chi-square';
  statistic: number;
  pValue: number;
  /** a − b (t-test: mean metric difference; McNemar: rows only a got right minus only b). */
  difference: number;
  significant: boolean;
  /** One sentence: "B is better than A (p = 0.010, corrected t-test)." */
  verdict: string;
}

export interface FeatureShift {
  feature: string;
  kind: 'numeric' | 'categorical';
  statistic: 'KS' | 'PSI';
  value: number;
  /** KS > 0.1 with p < 0.05, or PSI > 0.1. */
  shifted: boolean;
}

export interface SplitReport {
  trainRows: number;
  testRows: number;
  /** Train vs test distance per feature (the first fold for CV). */
  features: FeatureShift[];
  /** Exact duplicate rows (features and target) found in both train and test. */
  sharedDuplicates: number;
  /** Features that alone predict the target almost perfectly on the test rows (leakage suspects). */
  leakage: { feature: string; score: number; metric: 'accuracy' | 'r2' }[];
  /** One sentence per finding. */
  warnings: string[];
}

/** A column of the notebook's output that the model does not read, and why. */
export interface DroppedColumn {
  column: string;
  /** target / split (group or time column): never a feature; categorical, text, date: models read
   * numbers; not-chosen: left out of an explicit feature list. */
  reason: 'target' | 'split' | 'categorical' | 'text' | 'date' | 'not-chosen';
  /** One sentence, with the fix when there is one. */
  message: string;
  /** The step that would make the column usable (add it to the notebook). */
  fix?: StepSuggestion;
}

/** What a model reads from the notebook's output: Train shows it before and after training. */
export interface FeaturePlan {
  features: string[];
  dropped: DroppedColumn[];
  /** Features with missing values (training fails on them until they are imputed). */
  missing: { column: string; count: number; fix: StepSuggestion }[];
  /** Features only some folds' notebook produces (e.g. a one-hot column of a category that some
   * folds' training rows lack): those folds' models do without it. Runs only. */
  partial?: { column: string; folds: number }[];
}

export interface ExperimentResult {
  id: string;
  datasetId: string;
  target: string | null;
  task: TrainTask;
  /** Every column some fold's model read (in order of first use); see featurePlan for the rest. */
  features: string[];
  /** The features (of the first fold), the columns left out and why. Absent in older saved runs. */
  featurePlan?: FeaturePlan;
  /** The explicit feature choice of the run (TrainSpec.features), null for the default: what a
   * deployment of this run should ask for. Absent in older saved runs. */
  requestedFeatures?: string[] | null;
  /** One sentence each: how filter steps placed after a transform were applied, … */
  notes?: string[];
  classes: string[] | null;
  split: SplitSpec;
  seed: number;
  rows: number;
  /** Number of train/test rounds (folds × repeats, or 1 for a hold-out). */
  folds: number;
  /** Mean test/train size ratio over the folds (the t-test's Nadeau–Bengio correction). */
  testTrainRatio: number;
  /** The metric that ranks models and is compared: accuracy, r2 or silhouette. */
  primary: string;
  higherIsBetter: boolean;
  models: ModelRunResult[];
  /** Every pair of models on the primary metric (McNemar on a classification hold-out). */
  comparisons: PairComparison[];
  splitReport: SplitReport;
  ms: number;
}

export type ParamRange =
  | { type: 'values'; values: TrainParamValue[] }
  | { type: 'uniform' | 'log-uniform'; low: number; high: number; integer?: boolean };

export interface TuneSpec extends Omit<TrainSpec, 'models'> {
  model: string;
  /** Parameters that stay fixed. */
  params?: Record<string, TrainParamValue>;
  /** sklearn-style grid: every combination of the listed values. */
  grid?: Record<string, TrainParamValue[]>;
  /** Random search: n draws from the ranges (seeded). */
  random?: { n: number; ranges: Record<string, ParamRange> };
  /** Fit the candidates that can share training passes together, per fold (default true). */
  batch?: boolean;
}

export interface TuneCandidate {
  params: Record<string, TrainParamValue>;
  score: MetricSummary;
  rank: number;
  fitMs: number;
}

export interface TuneResult {
  model: string;
  metric: string;
  higherIsBetter: boolean;
  /** Best first. */
  candidates: TuneCandidate[];
  /** The best candidate, trained as a full run (metrics, plots, comparisons-ready). */
  best: ExperimentResult;
  /** Candidates were trained in shared batched passes (e.g. a LogisticRegression grid: one
   * lockstep optimiser run per fold) rather than one after another. */
  batched: boolean;
}

// Error analysis (issue 7): where a run's out-of-fold errors concentrate (src/analysis/slices/slices.ts).

export interface RunScores {
  label: string;
  /** Per-fold values of the compared metric. */
  scores: number[];
  /** Hold-out only: class codes of the test rows, and this run's predictions for them. */
  truth?: number[];
  predicted?: number[];
}

export interface CompareOptions {
  metric: string;
  higherIsBetter: boolean;
  testTrainRatio: number;
}

export interface LearningCurveResult {
  metric: string;
  /** Per fraction: mean training rows and the test score over folds, per model label. */
  points: { fraction: number; trainRows: number; scores: Record<string, MetricSummary> }[];
}

export interface ModelInfo {
  name: string;
  tasks: readonly TrainTask[];
  description: string;
  params: Record<string, StepParamInfo>;
}
