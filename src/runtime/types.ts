/** The runtime's result types, apart from the code so the engine protocol can name them. */

export type DriftIssue = 'out-of-range' | 'unseen-category' | 'missing' | 'wrong-type';

export interface Drift {
  row: number;
  column: string;
  issue: DriftIssue;
  value: unknown;
}

export interface PredictResult {
  /** Per input row: class name (classification), value (regression) or cluster; null when the row could not be scored. */
  predictions: (string | number | null)[];
  /** Per input row: probabilities in the order of `classes` (classifiers that have them). */
  probabilities?: (number[] | null)[];
  classes?: string[];
  drift: Drift[];
}
