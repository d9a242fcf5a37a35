/**
 * What the Export tab can export or score with: a trained run (fitted on every row when first
 * needed, through the deploy store, once per notebook state) or a model already deployed or
 * imported. Choices are strings ("run:<id>", "model:<id>") so a <select> can hold them.
 */
import { type Accessor, createMemo, createSignal, type Setter } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { DeployedModelInfo } from '../../protocol/api';
import { paramsText } from '../../report/format';
import type { DeployFailure, DeployStore } from '../../state/deploy';
import type { ModelExportStore } from '../../state/model-export';
import type { NotebookStore } from '../../state/notebook';
import type { TrainRun, TrainStore } from '../../state/train';
import { shareUrl } from '../../state/url-sync';
import { splitText } from '../train/RunsTable';

/** What the Model and Score sections of the Export tab are given. */
export interface ModelSectionProps {
  train: TrainStore | undefined;
  deploy: DeployStore;
  store: ModelExportStore;
}

export interface ModelOption {
  value: string;
  label: string;
  group: 'run' | 'model';
}

export interface ModelChoices {
  options(): ModelOption[];
  /** The default: the run selected in Train/Evaluate, else the newest run, else the active model. */
  preferred(): string;
  run(choice: string): TrainRun | null;
  model(choice: string): DeployedModelInfo | null;
  /** The deployed model behind a choice, fitting a run on every row if needed; a failure is returned, not thrown. */
  resolve(choice: string): Promise<DeployedModelInfo | DeployFailure>;
  /** A file name for the choice: "<model>-<target>". */
  fileName(choice: string): string;
}

/** A file name from a dataset or model name: no data-file extension, no path characters. */
export function fileSafe(name: string, fallback = 'model'): string {
  const cleaned = name
    .replace(/\.(csv|tsv|txt|json|ndjson|arrow|feather|parquet)$/i, '')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned || fallback;
}

export function isFailure(x: DeployedModelInfo | DeployFailure): x is DeployFailure {
  return !('id' in x);
}

export function createModelChoices(
  train: TrainStore | undefined,
  deploy: DeployStore,
  notebook: NotebookStore,
): ModelChoices {
  const runs = () => (train ? [...train.runs()].reverse() : []);
  const fromRuns = () => new Set(Object.values(deploy.state.fromRun).map((r) => r.modelId));
  const models = () => deploy.models().filter((m) => !fromRuns().has(m.id));
  const run = (choice: string) =>
    choice.startsWith('run:') ? (train?.runById(choice.slice(4)) ?? null) : null;
  const model = (choice: string) => (choice.startsWith('model:') ? deploy.byId(choice.slice(6)) : null);

  return {
    options: () => [
      ...runs().map((r) => ({
        value: `run:${r.id}`,
        label: `${r.model.label} · ${paramsText(r.model.changed)} · ${splitText(
          train?.experimentOf(r)?.split,
          train?.experimentOf(r)?.folds ?? 0,
        )}`,
        group: 'run' as const,
      })),
      ...models().map((m) => ({
        value: `model:${m.id}`,
        label: `${m.label} · ${m.source === 'imported' ? 'imported' : 'fitted'} ${m.createdAt.slice(0, 10)}`,
        group: 'model' as const,
      })),
    ],
    preferred() {
      const selected = train?.state.selected;
      if (selected && train?.runById(selected)) return `run:${selected}`;
      const newest = runs()[0];
      if (newest) return `run:${newest.id}`;
      const active = deploy.active();
      if (active && models().some((m) => m.id === active.id)) return `model:${active.id}`;
      const last = models().at(-1);
      return last ? `model:${last.id}` : '';
    },
    run,
    model,
    async resolve(choice) {
      const m = model(choice);
      if (m) return m;
      const r = run(choice);
      const spec = r && train?.deploySpec(r.id);
      if (!r || !spec) return { name: 'InvalidArgument', message: 'Choose a trained run or a model first.' };
      try {
        spec.notebookLink = await shareUrl(structuredClone(unwrap(notebook.state.notebook)), location.href);
      } catch {
        // A notebook too large for a link still exports; the artifact then carries no link.
        spec.notebookLink = null;
      }
      const info = await deploy.deployRun(r.id, r.model.label, spec);
      if (info) return info;
      const error = deploy.state.error ?? { name: 'InternalError', message: 'Fitting the model failed.' };
      deploy.dismissError();
      return error;
    },
    fileName(choice) {
      const r = run(choice);
      if (r) {
        const target = train?.experimentOf(r)?.target;
        return fileSafe(`${r.model.label}${target ? `-${target}` : ''}`);
      }
      const m = model(choice);
      return m ? fileSafe(`${m.model}${m.target ? `-${m.target}` : ''}`) : 'model';
    },
  };
}

/**
 * The section's choice: what the user picked while it is still on offer, else the preferred one
 * (so a removed run or model falls back instead of leaving the <select> empty).
 */
export function createModelChoice(
  train: TrainStore | undefined,
  deploy: DeployStore,
  notebook: NotebookStore,
): { choices: ModelChoices; choice: Accessor<string>; pick: Setter<string> } {
  const choices = createModelChoices(train, deploy, notebook);
  const [picked, pick] = createSignal('');
  const choice = createMemo(() => {
    const p = picked();
    return p && choices.options().some((o) => o.value === p) ? p : choices.preferred();
  });
  return { choices, choice, pick };
}
