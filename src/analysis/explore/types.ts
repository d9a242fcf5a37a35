/**
 * The Explore tab's wire types: what the worker computes (src/analysis/explore) and the UI receives.
 * Types only, so the engine API can name them without import cycles.
 */
import type { BoxSummary } from '../../core/types';
import type { EmbeddingPlan } from '../../models/embedding/types';

export type { EmbeddingPlan };

export interface NumericSummary {
  kind: 'numeric';
  column: string;
  edges: Float64Array;
  counts: Float64Array;
  missing: number;
  selectedCounts?: Float64Array;
  selectedMissing?: number;
}

export interface CategorySummary {
  kind: 'categorical';
  column: string;
  labels: string[];
  counts: number[];
  other: number;
  otherCategories: number;
  missing: number;
  selectedCounts?: number[];
  selectedOther?: number;
  selectedMissing?: number;
}

export type ColumnSummary = NumericSummary | CategorySummary;

export type CorrelationMethod = 'pearson' | 'spearman';

export interface CorrelationResult {
  method: CorrelationMethod;
  labels: string[];
  /** n×n row-major; NaN where a pair has fewer than 2 complete rows or no variance. */
  values: Float64Array;
  rowsUsed: number;
  totalRows: number;
  /** Numeric columns left out because of the column cap. */
  columnsLeftOut: number;
}

export type EmbeddingMethod = 'pca' | 'tsne' | 'umap';

export interface EmbeddingResult {
  method: EmbeddingMethod;
  columns: string[];
  x: Float32Array;
  y: Float32Array;
  /** PCA only: share of the variance of the standardised columns on each axis. */
  explained?: [number, number];
  /** t-SNE/UMAP: what it ran on and how long it took, wall-clock seconds in the worker. */
  ran?: EmbeddingPlan & { seconds: number };
}

export interface GroupDistribution extends BoxSummary {
  mean: number;
  outliers: number[];
  /** Outliers beyond the whiskers in all (`outliers` holds at most MAX_OUTLIERS of them). */
  outlierCount: number;
  grid: number[];
  density: number[];
}

export interface GroupedDistribution {
  column: string;
  by: string | null;
  groups: GroupDistribution[];
  /** Groups left out (the smallest) beyond MAX_GROUPS. */
  groupsLeftOut: number;
  /** With a linked selection: the same groups (same order) summarised over the selected rows only. */
  selected?: GroupDistribution[];
}

export type InsightChart =
  | { kind: 'scatter'; x: string; y: string; color?: string }
  | { kind: 'histogram'; column: string }
  | { kind: 'bars'; column: string }
  | { kind: 'box'; column: string; by: string }
  | { kind: 'embedding'; color?: string }
  | { kind: 'missingness' };

export interface Insight {
  id: string;
  kind: 'correlation' | 'skew' | 'target' | 'separability' | 'quality';
  /** 0..1, higher first. */
  score: number;
  text: string;
  chart: InsightChart;
  columns: string[];
}

export interface MissingnessResult {
  columns: string[];
  /** Rows in the bitmap. */
  rows: number;
  /** rows × columns, row-major, 1 = missing. */
  bitmap: Uint8Array;
  totalRows: number;
  /** Over all rows: one entry per distinct pattern (1 = missing, per column), most frequent first. */
  patterns: { missing: number[]; count: number }[];
  /** Missing cells per column over all rows. */
  missingPerColumn: number[];
}

export interface ScatterPoints {
  x: Float32Array;
  y: Float32Array;
  color?: Float32Array | Uint32Array;
  categories?: string[];
  size?: Float32Array;
}

export type ExploreFilter =
  | { kind: 'range'; column: string; range: readonly [number, number] }
  | { kind: 'categories'; column: string; categories: readonly string[]; missing?: boolean }
  | { kind: 'mask'; mask: Uint8Array };

/** Filters combined with AND; empty = no selection. */
export type ExploreSelection = readonly ExploreFilter[];

export interface SelectionState {
  /** Rows in the selection (all rows when there is none). */
  count: number;
  rows: number;
  /** 1 per selected row (a copy, transferred); null when nothing is selected. */
  mask: Uint8Array | null;
  /** The same selection as a FilterRows expression; null for a lasso/brush mask or no selection. */
  expression: string | null;
}
