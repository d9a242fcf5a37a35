/**
 * The edits the notebook panel (and the Quality, Train and failure fixes) make to the document.
 * Each is one `change`: recorded for undo, filed, and — unless it only touches settings that do
 * not change the output — followed by a run. Text from users is cleaned of control and
 * text-direction characters; parameters equal to the step's default are not stored, which keeps
 * the document (and links) to what differs from sklearn's defaults.
 */
import type { Accessor } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import type { FixStep, StepInfo } from '../protocol/api';
import type { Notebook, ParamValue, StepSpec, TrainSettings } from '../spec/notebook';
import { UNSAFE_TEXT } from './dataset-ref';
import { copy, type NotebookState, nextStepId, sameValue } from './notebook-state';
import type { StepFailure, StepFix } from './step-failure';

/** Applies `recipe` to a copy of the document as one undoable change; `run: false` skips the rerun. */
export type Change = (recipe: (nb: Notebook) => void, mergeKey?: string, run?: boolean) => void;

/** Sets `params` on a step, dropping values equal to the default (and unknown names). */
function setParams(s: StepSpec, info: StepInfo | undefined, params: Record<string, ParamValue>): void {
  for (const [key, value] of Object.entries(params)) {
    const param = info?.params[key];
    if (!param) continue;
    if (sameValue(param.default, value)) delete s.params[key];
    else s.params[key] = copy(value);
  }
}

/** A new enabled step with its parameters and columns; null when the step is unknown. */
function newStep(fix: FixStep, taken: readonly StepSpec[], info: StepInfo | undefined): StepSpec | null {
  if (!info) return null;
  const spec: StepSpec = { id: nextStepId(taken), step: fix.step, params: {}, enabled: true };
  setParams(spec, info, fix.params);
  if (fix.columns && fix.columns.length > 0) spec.columns = [...fix.columns];
  return spec;
}

const findStep = (nb: Notebook, id: string) => nb.steps.find((x) => x.id === id);

/** The step edits: add, remove, move, enable, label, parameters, columns, fixes. */
export function createStepEdits(change: Change, stepInfo: (name: string) => StepInfo | undefined) {
  return {
    /** Adds a step with its default parameters at the end; returns its id. */
    addStep(name: string): string | null {
      if (!stepInfo(name)) return null;
      let id: string | null = null;
      change((nb) => {
        id = nextStepId(nb.steps);
        nb.steps.push({ id, step: name, params: {}, enabled: true });
      });
      return id;
    },
    /**
     * Adds several steps as one change (one undo, one run), at the end or before step `before`;
     * steps this build does not know are skipped. Returns the new ids.
     */
    addSteps(steps: readonly FixStep[], before?: string): string[] {
      const ids: string[] = [];
      change((nb) => {
        const at = before ? nb.steps.findIndex((s) => s.id === before) : -1;
        const added: StepSpec[] = [];
        for (const fix of steps) {
          const spec = newStep(fix, [...nb.steps, ...added], stepInfo(fix.step));
          if (spec) added.push(spec);
        }
        nb.steps.splice(at >= 0 ? at : nb.steps.length, 0, ...added);
        ids.push(...added.map((s) => s.id));
      });
      return ids;
    },
    removeStep(id: string): void {
      change((nb) => {
        nb.steps = nb.steps.filter((s) => s.id !== id);
      });
    },
    /** Moves a step to `index` (clamped), for the move buttons and drag and drop. */
    moveStep(id: string, index: number): void {
      change((nb) => {
        const from = nb.steps.findIndex((s) => s.id === id);
        if (from < 0) return;
        const [step] = nb.steps.splice(from, 1);
        const to = Math.max(0, Math.min(nb.steps.length, index));
        nb.steps.splice(to, 0, step as StepSpec);
      });
    },
    setEnabled(id: string, enabled: boolean): void {
      change((nb) => {
        const s = findStep(nb, id);
        if (s) s.enabled = enabled;
      });
    },
    setLabel(id: string, label: string): void {
      change((nb) => {
        const s = findStep(nb, id);
        if (!s) return;
        const text = label.replace(UNSAFE_TEXT, ' ').slice(0, 200).trim();
        if (text) s.label = text;
        else delete s.label;
      }, `label:${id}`);
    },
    /** Sets one parameter; a value equal to the default is removed. */
    setParam(id: string, key: string, value: ParamValue): void {
      change((nb) => {
        const s = findStep(nb, id);
        if (s) setParams(s, stepInfo(s.step), { [key]: value });
      }, `param:${id}:${key}`);
    },
    /** The columns a step applies to; null or [] restores the step's default choice. */
    setColumns(id: string, columns: readonly string[] | null): void {
      change((nb) => {
        const s = findStep(nb, id);
        if (!s) return;
        if (columns && columns.length > 0) s.columns = [...columns];
        else delete s.columns;
      });
    },
    /** Applies one of a failure's fixes: sets the step's parameters and/or inserts a step before
     * it, or removes it. */
    applyFix(stepId: string, fix: StepFix): void {
      change((nb) => {
        const at = nb.steps.findIndex((s) => s.id === stepId);
        const s = nb.steps[at];
        if (!s) return;
        if (fix.remove) {
          nb.steps.splice(at, 1);
          return;
        }
        setParams(s, stepInfo(s.step), fix.params ?? {});
        const inserted = fix.insert ? newStep(fix.insert, nb.steps, stepInfo(fix.insert.step)) : null;
        if (inserted) nb.steps.splice(at, 0, inserted);
      });
    },
  };
}

/** The document's settings: target, seed, title, and the Train tab's experiment. */
export function createSettingsEdits(change: Change) {
  return {
    setTarget(column: string | null): void {
      change((nb) => {
        nb.target = column;
      });
    },
    setSeed(seed: number): void {
      if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) return;
      change((nb) => {
        nb.seed = seed;
      }, 'seed');
    },
    setTitle(title: string): void {
      change((nb) => {
        const text = title.replace(UNSAFE_TEXT, ' ').slice(0, 200);
        if (text.trim()) nb.title = text;
        else delete nb.title;
      }, 'title');
    },
    /** The Train tab's settings, kept in the document (so links reproduce the numbers); no rerun. */
    setTrainSettings(settings: TrainSettings): void {
      change(
        (nb) => {
          nb.train = copy(settings);
        },
        'train',
        false,
      );
    },
  };
}

/** A step that failed in a training fold, marked on its card until the step changes. */
export function createFailureMarks(
  state: NotebookState,
  setState: SetStoreFunction<NotebookState>,
  keys: Accessor<Record<string, string>>,
) {
  return {
    /** Marks the step a training fold failed in (null clears it); the card shows it with its fixes. */
    markStepFailure(failure: StepFailure | null): void {
      const id = state.datasetId;
      const key = failure ? keys()[failure.stepId] : undefined;
      setState('failure', failure && id && key ? { ...failure, datasetId: id, key } : null);
    },
    /** The training failure of a step, while the step is unchanged since. */
    stepFailure(id: string): StepFailure | null {
      const f = state.failure;
      return f && f.stepId === id && f.datasetId === state.datasetId && keys()[id] === f.key ? f : null;
    },
  };
}
