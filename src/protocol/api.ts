/**
 * The whole engine protocol in one file (like duckdb-wasm's worker protocol). The engine runs in
 * a module Web Worker (workers/engine.worker.ts) and, for tests and scripts, in-process in Node
 * (workers/engine.ts: createEngine()). Everything here is plain data: it crosses the boundary by
 * structured clone, except row windows, which cross as Arrow IPC bytes in a transferred buffer.
 *
 * This file owns only the API's shape. The types it speaks are owned by the layer that computes
 * them (core/job, io/types, gpu/types, pipeline/types, analysis/*, export/types) and re-exported
 * here, so the UI imports one module and the layers below never import the protocol.
 */

import type {
  CellValue,
  CounterfactualOptions,
  CounterfactualResult,
  DeployedModelInfo,
  PartialDependenceOptions,
  PartialDependenceResult,
} from '../analysis/deploy/types';
import type { FeaturePlanSpec } from '../analysis/experiment/prepare';
import type {
  CompareOptions,
  ExperimentResult,
  FeaturePlan,
  LearningCurveResult,
  ModelInfo,
  PairComparison,
  RunScores,
  TrainSpec,
  TrainTask,
  TuneResult,
  TuneSpec,
} from '../analysis/experiment/types';
import type {
  ColumnSummary,
  CorrelationMethod,
  CorrelationResult,
  EmbeddingMethod,
  EmbeddingResult,
  ExploreSelection,
  GroupedDistribution,
  Insight,
  MissingnessResult,
  ScatterPoints,
  SelectionState,
} from '../analysis/explore/types';
import type { ColumnProfile } from '../analysis/profile/types';
import type { QualityOptions, QualityWarning } from '../analysis/quality/types';
import type { ScoreReport } from '../analysis/score/types';
import type {
  ErrorAnalysisResult,
  ErrorAnalysisSpec,
  ErrorRowsQuery,
  KeptSlice,
} from '../analysis/slices/types';
import type { SerializedError } from '../core/errors';
import type { JobOptions } from '../core/job';
import type { ColumnType } from '../core/types';
import type { DaskExportSpec, ExportSpec, PythonExportIssue, PythonExportSpec } from '../export/types';
import type { BackendInfo } from '../gpu/types';
import type {
  ColumnStats,
  DatasetInfo,
  LoadOptions,
  SampleInfo,
  StorageEstimate,
  StoredDatasetInfo,
  SyntheticOptions,
} from '../io/types';
import type { NotebookRunResult, StandardPreprocessing, StepInfo } from '../pipeline/types';
import type { PredictResult } from '../runtime/types';
import type { Notebook } from '../spec/notebook';

export type * from '../analysis/deploy/types';
export type { FeaturePlanSpec } from '../analysis/experiment/prepare';
export type * from '../analysis/experiment/types';
export type * from '../analysis/explore/types';
export type { CategoryCount, ColumnProfile, HistogramBins } from '../analysis/profile/types';
export type {
  FixStep,
  OutlierMethod,
  QualityFix,
  QualityKind,
  QualityOptions,
  QualityWarning,
  Severity,
} from '../analysis/quality/types';
export type * from '../analysis/score/types';
export type * from '../analysis/slices/types';
export type * from '../core/job';
export type * from '../export/types';
export type * from '../gpu/types';
export type * from '../io/types';
export type * from '../pipeline/types';
export type { DataContract, FeatureContract } from '../runtime/format';
export type { Drift, DriftIssue, PredictResult } from '../runtime/types';

export interface ExploreApi {
  /**
   * Sets the dataset's linked selection (filters combined with AND, like crossfilter; null or []
   * clears it) and returns its row mask and count. Later summaries count the selected rows too.
   */
  setSelection(datasetId: string, selection: ExploreSelection | null): Promise<SelectionState>;
  /** Row ids of the selected rows [offset, offset + limit) (all rows when nothing is selected). */
  selectedRows(datasetId: string, offset: number, limit: number): Promise<Uint32Array>;
  /** The same selected rows as Arrow IPC stream bytes (transferred). */
  selectedTable(datasetId: string, offset: number, limit: number): Promise<Uint8Array>;
  /** Histogram bins (numbers, dates) or top categories, with the selection's counts. */
  columnSummary(datasetId: string, column: string, options?: { bins?: number }): Promise<ColumnSummary>;
  /** Every row's x/y (Float32, NaN where missing), colour (numbers or category codes) and size. */
  scatterData(
    datasetId: string,
    spec: { x: string; y: string; color?: string | null; size?: string | null },
  ): Promise<ScatterPoints>;
  /** Numeric columns as Float32Arrays (the SPLOM's data). */
  columnsData(datasetId: string, columns: string[]): Promise<{ name: string; values: Float32Array }[]>;
  /** Pairwise-complete correlation matrix (≤ 40 columns, rows sampled above 200,000). */
  correlation(
    datasetId: string,
    options?: { method?: CorrelationMethod; columns?: string[] | null },
  ): Promise<CorrelationResult>;
  /** Quartiles, whiskers, outliers and a KDE of a numeric column per group of another; with a
   * linked selection, also the same groups over the selected rows (`selected`). */
  groupedDistribution(datasetId: string, column: string, by: string | null): Promise<GroupedDistribution>;
  /** A bitmap of which cells are missing (a row sample) and the patterns over all rows. */
  missingness(datasetId: string): Promise<MissingnessResult>;
  /** Ranked findings, each a sentence with a small chart. */
  insights(datasetId: string, options?: { target?: string | null }, job?: JobOptions): Promise<Insight[]>;
  /** A 2-D embedding of the numeric columns (standardised). */
  embedding(
    datasetId: string,
    options: { method: EmbeddingMethod; columns?: string[] | null; seed?: number },
    job?: JobOptions,
  ): Promise<EmbeddingResult>;
  /** The latest intermediate layout of a running embedding job, for the animation. */
  embeddingFrame(jobId: string): Promise<{ x: Float32Array; y: Float32Array } | null>;
  /** Keeps a named slice of a dataset with the dataset (back after a reload or a restarted
   * engine); a repeated name gets a number. Returns the slice as kept. */
  keepSlice(datasetId: string, slice: KeptSlice): Promise<KeptSlice>;
  /** The named slices of a dataset, in the order they were kept. */
  keptSlices(datasetId: string): Promise<KeptSlice[]>;
  forgetSlice(datasetId: string, name: string): Promise<void>;
}

export interface TrainApi {
  /** Every registered model with its parameter schema (drives the model picker's forms). */
  modelCatalog(): Promise<ModelInfo[]>;
  /** The task the target suggests (integer targets with ≤ 20 values are classes). */
  inferTask(datasetId: string, target: string | null): Promise<TrainTask>;
  /**
   * The columns a model trained with this spec would read (the notebook fitted on every row),
   * and the columns it would leave out with the reason and the step that would make them usable.
   * Runs report the same per fold (ExperimentResult.featurePlan).
   */
  featurePlan(datasetId: string, spec: FeaturePlanSpec, job?: JobOptions): Promise<FeaturePlan>;
  trainModels(datasetId: string, spec: TrainSpec, job?: JobOptions): Promise<ExperimentResult>;
  /** A default set of models for the task, 5-fold CV (stratified for classes), ranked best first. */
  compareBaselines(
    datasetId: string,
    spec: { notebook: Notebook; target: string; task?: TrainTask; seed: number; features?: string[] | null },
    job?: JobOptions,
  ): Promise<ExperimentResult>;
  tuneModel(datasetId: string, spec: TuneSpec, job?: JobOptions): Promise<TuneResult>;
  /** Score against training-set size: the experiment re-run on growing fractions of each fold's
   * training rows (the notebook fitted on those rows too). */
  learningCurve(
    datasetId: string,
    spec: TrainSpec & { fractions?: number[] },
    job?: JobOptions,
  ): Promise<LearningCurveResult>;
  /**
   * Compares two runs scored on the same folds (same data, split and seed): the corrected t-test
   * on per-fold scores, or McNemar on one hold-out's predictions.
   */
  compareRuns(a: RunScores, b: RunScores, options: CompareOptions): Promise<PairComparison>;
  /** A run's worst rows and the slices of the data where its out-of-fold errors concentrate. */
  errorAnalysis(datasetId: string, spec: ErrorAnalysisSpec, job?: JobOptions): Promise<ErrorAnalysisResult>;
  /** The rows (indices in the dataset as loaded, ascending) of a slice, a confusion cell or the worst rows. */
  errorRows(datasetId: string, spec: ErrorAnalysisSpec, query: ErrorRowsQuery): Promise<Uint32Array>;
}

export interface ExportApi {
  /** The notebook + model fitted on every row, as the artifact benchtop-runtime loads (JSON + weights). */
  exportArtifact(
    datasetId: string,
    spec: ExportSpec,
    job?: JobOptions,
  ): Promise<{ json: string; weights: Uint8Array }>;
  /** A pandas + scikit-learn script reproducing the notebook, the model and the CV metrics, reading
   * the data file in the format it was loaded from. */
  exportPython(datasetId: string, spec: PythonExportSpec): Promise<string>;
  /**
   * A Python script that runs the notebook and its models on Dask distributed (partitioned CSV or
   * Parquet, xgboost.dask and scikit-learn's incremental learners), with the app's folds and
   * metrics. The dataset names the columns and their types. Refused (InvalidArgument, `refused` in
   * the detail) when a step, model or split has no faithful distributed form.
   */
  exportDask(datasetId: string, spec: DaskExportSpec): Promise<string>;
  /** What that script cannot reproduce exactly (steps without a translation, random draws, a
   * package it needs), to say before download; empty when the script reproduces the run. */
  pythonExportIssues(
    datasetId: string,
    spec: Pick<PythonExportSpec, 'notebook' | 'model' | 'target'>,
  ): Promise<PythonExportIssue[]>;
}

// and every prediction goes through benchtop-runtime on the same JSON + weights a download gives. ──
export interface DeployApi {
  /** Fits the notebook + model on every row (like exportArtifact) and keeps it for what-if and scoring. */
  deployModel(datasetId: string, spec: ExportSpec, job?: JobOptions): Promise<DeployedModelInfo>;
  /** Loads an exported artifact (checked: format, version, checksum): its JSON text and weights, or
   * the bytes of a single-file .benchtop artifact alone; errors name what is wrong. */
  importArtifact(json: string | Uint8Array, weights?: Uint8Array): Promise<DeployedModelInfo>;
  /** The deployed models, those of an earlier engine included (kept in browser storage). */
  deployedModels(): Promise<DeployedModelInfo[]>;
  removeDeployed(modelId: string): Promise<void>;
  /** The artifact of a deployed model, exactly as loaded (JSON + weights, transferred copy). */
  deployedArtifact(modelId: string): Promise<{ json: string; weights: Uint8Array }>;
  /** Predictions for JSON rows (raw input columns), validated against the data contract. */
  predictRows(modelId: string, rows: Record<string, CellValue>[]): Promise<PredictResult>;
  /** The artifact as one .benchtop file (transferred). */
  artifactBundle(modelId: string): Promise<Uint8Array>;
  /** Scores a loaded dataset (raw input columns): drift per column against the data contract, and
   * a preview of the predictions; a dataset lacking a column the model reads is refused by name. */
  scoreDataset(modelId: string, datasetId: string, job?: JobOptions): Promise<ScoreReport>;
  /** The dataset's rows with the prediction and one probability column per class, as CSV (transferred). */
  predictionsCsv(modelId: string, datasetId: string, job?: JobOptions): Promise<Uint8Array>;
  /** Partial dependence (mean over every row of the dataset) and ICE curves of one input feature. */
  partialDependence(
    modelId: string,
    datasetId: string,
    feature: string,
    options?: PartialDependenceOptions,
    job?: JobOptions,
  ): Promise<PartialDependenceResult>;
  /** The smallest change to a row that flips a classifier's prediction (seeded search). */
  counterfactual(
    modelId: string,
    row: Record<string, CellValue>,
    options?: CounterfactualOptions,
    job?: JobOptions,
  ): Promise<CounterfactualResult>;
}

export interface EngineApi extends ExploreApi, TrainApi, ExportApi, DeployApi {
  backendInfo(): Promise<BackendInfo>;
  samples(): Promise<SampleInfo[]>;
  datasets(): Promise<DatasetInfo[]>;

  loadFile(file: Blob, fileName: string, options?: LoadOptions, job?: JobOptions): Promise<DatasetInfo>;
  loadBytes(
    bytes: Uint8Array,
    fileName: string,
    options?: LoadOptions,
    job?: JobOptions,
  ): Promise<DatasetInfo>;
  loadUrl(url: string, options?: LoadOptions, job?: JobOptions): Promise<DatasetInfo>;
  loadSample(name: string, job?: JobOptions): Promise<DatasetInfo>;
  generateSynthetic(options: SyntheticOptions, job?: JobOptions): Promise<DatasetInfo>;
  removeDataset(id: string): Promise<void>;

  /** Rows [start, end) as Arrow IPC stream bytes (transferred). */
  rows(datasetId: string, start: number, end: number): Promise<Uint8Array>;
  /** Re-types one column (re-parsing its text where it was text); returns the updated info. With
   * `dateFormat` (date/datetime only: strftime such as "%d/%m/%Y", or "ISO8601") the column's text
   * is read again with exactly that format; values that do not fit become missing and are counted
   * in ColumnInfo.unfit. A format the parser cannot use is an InvalidArgument error with a hint. */
  setColumnType(
    datasetId: string,
    column: string,
    type: ColumnType,
    dateFormat?: string,
  ): Promise<DatasetInfo>;
  /** Per-column summary statistics; numeric reductions run on the colstats kernel. */
  columnStats(datasetId: string, job?: JobOptions): Promise<ColumnStats[]>;

  /**
   * Full column profile (type, counts, distinct — exact or HyperLogLog —, moments, quantiles,
   * skewness, kurtosis, histogram, top categories). Numeric reductions run on the GPU kernels.
   * Cached per dataset version.
   */
  profile(datasetId: string, job?: JobOptions): Promise<ColumnProfile[]>;
  /** Data-quality warnings, each with a one-sentence explanation and, where one exists, a fix step. */
  qualityReport(datasetId: string, options?: QualityOptions, job?: JobOptions): Promise<QualityWarning[]>;

  /** Every registered step with its parameter schema (drives the notebook's forms). */
  stepCatalog(): Promise<StepInfo[]>;
  /**
   * "Standard tabular preprocessing" for this dataset (scikit-learn's ColumnTransformer idiom):
   * impute + scale the numbers, impute + one-hot encode the categories, as steps with explicit
   * columns to add to the notebook; identifiers, free text and dates are left out with the reason.
   * The notebook (when given) runs on every row first, its filters first, as training runs it.
   */
  standardPreprocessing(
    datasetId: string,
    /** With a notebook: for what the notebook produces (steps to add at its end). */
    options?: { target?: string | null; notebook?: Notebook | null },
    job?: JobOptions,
  ): Promise<StandardPreprocessing>;
  /**
   * Runs the notebook's steps over a dataset, incrementally (unchanged steps come from cache).
   * The output replaces the previous output of the same dataset.
   */
  runNotebook(datasetId: string, notebook: Notebook, job?: JobOptions): Promise<NotebookRunResult>;

  /** The dataset as a file (transferred bytes): CSV, Arrow IPC file, or Parquet (snappy). */
  exportDataset(
    datasetId: string,
    format: 'csv' | 'arrow' | 'parquet',
    job?: JobOptions,
  ): Promise<Uint8Array>;

  /** Datasets kept in this browser from earlier sessions (or this one). */
  storedDatasets(): Promise<StoredDatasetInfo[]>;
  /** Loads a stored dataset back into memory (with the column types the user had chosen). */
  restoreDataset(fingerprint: string, job?: JobOptions): Promise<DatasetInfo>;
  /** Deletes the stored copy; a loaded dataset stays loaded for this session. */
  deleteStored(fingerprint: string): Promise<void>;
  storageEstimate(): Promise<StorageEstimate>;

  cancel(jobId: string): Promise<void>;
}

/** What an error looks like on the wire (see errors.ts). */
export type WireError = SerializedError;
