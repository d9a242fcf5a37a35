/** Types of deployed models, apart from the code so the engine protocol can name them. */
import type { Artifact } from '../runtime/format';

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
