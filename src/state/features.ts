/**
 * What the model will read, said before training: the feature columns, the columns left out
 * (target, groups, time order) and the columns dropped because no model reads their type — each
 * kind of dropped column with the step that would make it readable. Also the "standard tabular
 * preprocessing" of a notebook (scikit-learn's ColumnTransformer idiom): impute + scale the
 * numbers, impute + one-hot the categories, and nothing that fights it (scaling runs before the
 * one-hot columns exist, so their 0/1 values stay 0/1).
 *
 * Both are computed here from the columns the notebook produces, until the engine answers them
 * (`EngineApi.featurePlan` / `standardPreprocessing`, another engineer's work): each is reached
 * through a `*Source` function of the same shape as the engine call, so switching is one line.
 */
import type { ColumnType } from '../core/types';
import type { ColumnInfo, FixStep, SplitSpec } from '../protocol/api';

/** Types a model reads as they are (the engine's experiment uses the same rule). */
export const FEATURE_TYPES: readonly ColumnType[] = ['integer', 'float', 'boolean'];
const NUMERIC: readonly ColumnType[] = ['integer', 'float'];

export interface FeatureFix {
  /** The button's text: "Add OneHotEncoder". */
  label: string;
  /** Why: "3 categorical columns are not encoded". */
  reason: string;
  steps: FixStep[];
}

export interface FeaturePlan {
  features: { name: string; type: ColumnType }[];
  /** Columns not used because of their role in the experiment. */
  excluded: { name: string; role: 'target' | 'group' | 'time' }[];
  /** Columns no model can read as they are. */
  dropped: { name: string; type: ColumnType }[];
  fixes: FeatureFix[];
}

export interface FeaturePlanInput {
  datasetId: string;
  /** The columns the notebook produces (its last output, or the data as loaded). */
  columns: readonly ColumnInfo[];
  target: string | null;
  split: SplitSpec | null;
}

function plural(n: number, one: string): string {
  return `${n} ${one} column${n === 1 ? '' : 's'}`;
}

function excludedColumns(target: string | null, split: SplitSpec | null): FeaturePlan['excluded'] {
  const out: FeaturePlan['excluded'] = [];
  if (target) out.push({ name: target, role: 'target' });
  if (split?.group) out.push({ name: split.group, role: 'group' });
  if (split?.kind === 'holdout' && split.timeColumn) out.push({ name: split.timeColumn, role: 'time' });
  return out;
}

/** The feature plan from the columns alone (the engine's rule, computed on the UI side). */
export function planFeatures(input: Omit<FeaturePlanInput, 'datasetId'>): FeaturePlan {
  const excluded = excludedColumns(input.target, input.split).filter((e) =>
    input.columns.some((c) => c.name === e.name),
  );
  const left = input.columns.filter((c) => !excluded.some((e) => e.name === c.name));
  const features = left
    .filter((c) => FEATURE_TYPES.includes(c.type))
    .map((c) => ({ name: c.name, type: c.type }));
  const dropped = left
    .filter((c) => !FEATURE_TYPES.includes(c.type))
    .map((c) => ({ name: c.name, type: c.type }));
  const of = (...types: ColumnType[]) => dropped.filter((d) => types.includes(d.type)).map((d) => d.name);
  const fixes: FeatureFix[] = [];
  const categorical = of('categorical');
  if (categorical.length > 0) {
    fixes.push({
      label: 'Add OneHotEncoder',
      reason: `${plural(categorical.length, 'categorical')} ${categorical.length === 1 ? 'is' : 'are'} not encoded`,
      steps: [{ step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: categorical }],
    });
  }
  const dates = of('date', 'datetime');
  if (dates.length > 0) {
    fixes.push({
      label: 'Add DateParts',
      reason: `${plural(dates.length, 'date')} ${dates.length === 1 ? 'is' : 'are'} not split into numbers`,
      steps: [{ step: 'DateParts', params: {}, columns: dates }],
    });
  }
  const text = of('text');
  if (text.length > 0) {
    fixes.push({
      label: 'Add TextFeatures',
      reason: `${plural(text.length, 'text')} ${text.length === 1 ? 'is' : 'are'} free text (or IDs)`,
      steps: [{ step: 'TextFeatures', params: {}, columns: text }],
    });
  }
  return { features, excluded, dropped, fixes };
}

/**
 * Impute + scale the numeric columns, impute + one-hot the categorical ones; the target is left
 * alone. Empty when the columns need none of it.
 */
export function standardSteps(columns: readonly ColumnInfo[], target: string | null): FixStep[] {
  const usable = columns.filter((c) => c.name !== target);
  const numeric = usable.filter((c) => NUMERIC.includes(c.type)).map((c) => c.name);
  const categorical = usable.filter((c) => c.type === 'categorical').map((c) => c.name);
  const steps: FixStep[] = [];
  if (numeric.length > 0) {
    steps.push({ step: 'SimpleImputer', params: { strategy: 'median' }, columns: numeric });
    steps.push({ step: 'StandardScaler', params: {}, columns: numeric });
  }
  if (categorical.length > 0) {
    steps.push({ step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: categorical });
    steps.push({ step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: categorical });
  }
  return steps;
}

/** Where the feature plan comes from: today `planFeatures` here, later the engine (same shape). */
export type FeaturePlanSource = (input: FeaturePlanInput) => Promise<FeaturePlan>;
export const localFeaturePlan: FeaturePlanSource = async (input) => planFeatures(input);

/** Where the standard preprocessing comes from: today `standardSteps` here, later the engine. */
export type PreprocessingSource = (input: {
  datasetId: string;
  columns: readonly ColumnInfo[];
  target: string | null;
}) => Promise<FixStep[]>;
export const localPreprocessing: PreprocessingSource = async (input) =>
  standardSteps(input.columns, input.target);
