/** Types of deployed models, apart from the code so the engine protocol can name them. */
import type { Artifact } from '../../runtime/format';

export type CellValue = string | number | boolean | null;

export interface DeployedModelInfo {
  id: string;
  /** 'fitted' here from a dataset, or 'imported' from an artifact file. */
  source: 'fitted' | 'imported';
  /** Display name: "<model> → <target>". */
  label: string;
  model: string;
  params: Record<string, unknown>;
  task: Artifact['task'];
  target: string | null;
  classes: string[] | null;
  contract: Artifact['contract'];
  /** A typical input row: the median of each numeric feature and the most common category (the
   * middle of the range and the first category for an imported artifact without data). */
  typicalRow: Record<string, CellValue>;
  createdAt: string;
  benchtopVersion: string;
  backend: string;
  metrics: Record<string, number> | null;
  notebookLink: string | null;
  /** The dataset it was fitted on (fitted models only). */
  datasetId: string | null;
  /** Size of the weights blob, bytes. */
  weightBytes: number;
}

// ── Inspection of a deployed model (Prototype tab): src/analysis/inspect/ (partial-dependence.ts, counterfactual.ts) ──

export interface PartialDependenceOptions {
  /** Grid points between the percentiles of a numeric feature (sklearn's grid_resolution, 100). */
  gridResolution?: number;
  /** Lower and upper percentiles of the grid, as fractions (sklearn's (0.05, 0.95)). */
  percentiles?: [number, number];
  /** Rows whose individual (ICE) curves are returned, drawn with `seed` (default 50). */
  iceRows?: number;
  seed?: number;
}

export interface PartialDependenceResult {
  feature: string;
  /** 'numeric': a percentile grid (or the distinct values when fewer); 'categorical': the categories. */
  kind: 'numeric' | 'categorical';
  grid: (number | string | boolean)[];
  /** What each curve predicts: the classes (probability of each) or the one regression output. */
  outputs: string[];
  /** [output][grid point]: the mean prediction over every scored row (the partial dependence). */
  average: number[][];
  /** Dataset row indexes of the ICE curves, and [output][curve][grid point] (NaN where unscored). */
  iceRows: number[];
  ice: number[][][];
  /** Rows in the dataset; rows no grid point could score are left out of the mean. */
  rows: number;
  unscoredRows: number;
  /** Deciles of the feature over the rows (numeric features), for a rug like sklearn's display. */
  deciles: number[];
  /** Predictions made (rows × grid points) and how long it took. */
  predictions: number;
  ms: number;
}

export interface CounterfactualOptions {
  /** The class to reach; default: any class other than the row's prediction. */
  targetClass?: string | null;
  /** Features that may change (default all numeric, boolean and categorical ones). */
  features?: string[] | null;
  seed?: number;
  /** Candidates drawn per sphere layer (default 400). */
  samplesPerLayer?: number;
}

export interface CounterfactualChange {
  feature: string;
  from: CellValue;
  to: CellValue;
  /** This change's part of the distance: |Δ| / observed range, or 1 for a category. */
  cost: number;
}

export interface CounterfactualResult {
  found: boolean;
  /** Why none was found, in words (found === false). */
  message: string | null;
  originalPrediction: string | null;
  /** The changed row (every feature), its prediction and that class's probability. */
  row: Record<string, CellValue> | null;
  prediction: string | null;
  probability: number | null;
  changes: CounterfactualChange[];
  /** L1 over numeric features scaled by their observed range, plus 1 per changed category. */
  distance: number;
  /** Candidate rows the runtime predicted during the search. */
  evaluated: number;
  /** Features held as they are: not allowed to change, or with no range to search. */
  fixed: string[];
}
