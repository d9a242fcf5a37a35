/**
 * What the model will read, said before training: the feature columns, the columns left out
 * (target, groups, time order) and the columns dropped because no model reads their type — each
 * kind of dropped column with the step that would make it readable. Also the "standard tabular
 * preprocessing" of a notebook (scikit-learn's ColumnTransformer idiom).
 *
 * Both come from the engine (`EngineApi.featurePlan`, which fits the notebook as a run would, and
 * `EngineApi.standardPreprocessing`, which knows identifiers, row numbers and free text); this
 * module only puts the answers in the Train tab's and the notebook's words.
 */
import type { ColumnType } from '../core/types';
import type {
  ColumnInfo,
  EngineApi,
  FixStep,
  FeaturePlan as RunFeaturePlan,
  SplitSpec,
  StepSuggestion,
} from '../protocol/api';
import type { Notebook } from '../spec/notebook';

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
  notebook: Notebook;
  /** The columns the notebook produces (its last output, or the data as loaded): their types. */
  columns: readonly ColumnInfo[];
  target: string | null;
  split: SplitSpec | null;
}

function plural(n: number, one: string): string {
  return `${n} ${one} column${n === 1 ? '' : 's'}`;
}

/** Why a kind of dropped column is dropped, by the step that fixes it. */
const FIX_REASON: Record<string, (n: number) => string> = {
  OneHotEncoder: (n) => `${plural(n, 'categorical')} ${n === 1 ? 'is' : 'are'} not encoded`,
  DateParts: (n) => `${plural(n, 'date')} ${n === 1 ? 'is' : 'are'} not split into numbers`,
  TextFeatures: (n) => `${plural(n, 'text')} ${n === 1 ? 'is' : 'are'} free text`,
  DropColumns: (n) => `${plural(n, 'identifier')} would only be memorised`,
};

/** The button's text by the step that fixes it; "Add <step>" otherwise. */
const FIX_LABEL: Record<string, string> = { DropColumns: 'Drop the identifiers' };

/**
 * The engine's plan in the Train tab's words: each feature with its type (from the notebook's
 * output columns), the target/split columns as roles, and one fix per kind of dropped column
 * covering all of them ("Add OneHotEncoder" for every categorical column at once).
 */
export function describePlan(
  plan: RunFeaturePlan,
  columns: readonly ColumnInfo[],
  split: SplitSpec | null,
): FeaturePlan {
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const type = (name: string, fallback: ColumnType): ColumnType => typeOf.get(name) ?? fallback;
  const excluded: FeaturePlan['excluded'] = [];
  const dropped: FeaturePlan['dropped'] = [];
  const fixes = new Map<string, { params: StepSuggestion['params']; columns: string[] }>();
  for (const d of plan.dropped) {
    if (d.reason === 'target') excluded.push({ name: d.column, role: 'target' });
    else if (d.reason === 'split')
      excluded.push({ name: d.column, role: split?.group === d.column ? 'group' : 'time' });
    else if (d.reason !== 'not-chosen') {
      dropped.push({ name: d.column, type: type(d.column, d.reason === 'date' ? 'date' : d.reason) });
      if (d.fix) {
        const fix = fixes.get(d.fix.step) ?? { params: d.fix.params, columns: [] };
        fix.columns.push(...(d.fix.columns ?? [d.column]));
        fixes.set(d.fix.step, fix);
      }
    }
  }
  return {
    features: plan.features.map((name) => ({ name, type: type(name, 'float') })),
    excluded,
    dropped,
    fixes: [...fixes].map(([step, fix]) => ({
      label: FIX_LABEL[step] ?? `Add ${step}`,
      reason: (FIX_REASON[step] ?? ((n: number) => `${plural(n, 'other')} cannot be read as they are`))(
        fix.columns.length,
      ),
      steps: [{ step, params: { ...fix.params }, columns: fix.columns }],
    })),
  };
}

/** Where the feature plan comes from (the engine; a test may pass its own). */
export type FeaturePlanSource = (input: FeaturePlanInput) => Promise<FeaturePlan>;

export function engineFeaturePlan(api: Pick<EngineApi, 'featurePlan'>): FeaturePlanSource {
  return async (input) => {
    const plan = await api.featurePlan(input.datasetId, {
      notebook: input.notebook,
      target: input.target,
      ...(input.split ? { split: input.split } : {}),
    });
    return describePlan(plan, input.columns, input.split);
  };
}

/** Where the standard preprocessing steps come from (the engine; a test may pass its own). */
export type PreprocessingSource = (input: {
  datasetId: string;
  /** The notebook as it is: the steps come for its output, to add at its end. */
  notebook: Notebook;
  target: string | null;
}) => Promise<FixStep[]>;

/**
 * The engine's recipe for what the notebook produces: a column a step already encoded, cast or
 * dropped is judged as it comes out of the notebook.
 */
export function enginePreprocessing(api: Pick<EngineApi, 'standardPreprocessing'>): PreprocessingSource {
  return async (input) => {
    const { steps } = await api.standardPreprocessing(input.datasetId, {
      target: input.target,
      notebook: input.notebook,
    });
    return steps.map((s) => ({
      step: s.step,
      params: { ...s.params },
      ...(s.columns ? { columns: [...s.columns] } : {}),
    }));
  };
}
