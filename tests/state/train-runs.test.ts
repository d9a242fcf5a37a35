// @vitest-environment happy-dom
/**
 * Each dataset sees only its own runs: filed under the dataset key (which a reload keeps, where
 * engine ids change), autosaved, and brought back filed the same way; runs saved by a build that
 * did not file them belong to the dataset its single notebook was on.
 */
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import type { ExperimentResult } from '../../src/protocol/api';
import { createMemoryStore } from '../../src/state/autosave';
import { LEGACY_KEY } from '../../src/state/notebook-book';
import { createTrainRuns, RUNS_KEY } from '../../src/state/train-runs';

function experiment(id: string, datasetId: string, ...labels: string[]): ExperimentResult {
  return {
    id,
    datasetId,
    target: 'target',
    task: 'classification',
    seed: 0,
    rows: 150,
    folds: 5,
    split: { kind: 'stratified-kfold', k: 5 },
    features: ['x'],
    primary: 'accuracy',
    higherIsBetter: true,
    testTrainRatio: 0.25,
    models: labels.map((label) => ({ label, name: label, params: {} })),
    comparisons: [],
  } as unknown as ExperimentResult;
}

const client = { api: { compareRuns: async () => Promise.reject(new Error('not used')) } };
const labels = (runs: { model: { label: string } }[]) => runs.map((r) => r.model.label);

describe('runs per dataset', () => {
  it('lists only the runs of the dataset on screen, and a reload files them the same way', async () => {
    const storage = createMemoryStore();
    await createRoot(async (dispose) => {
      const [key, setKey] = createSignal<string | null>('sample:iris');
      const runs = createTrainRuns(client, key, storage);
      runs.add(experiment('e1', 'iris-1', 'LogisticRegression'), 'train', 'sample:iris');
      setKey('sample:wine');
      expect(runs.runs()).toEqual([]);
      runs.add(
        experiment('e2', 'wine-1', 'RandomForestClassifier', 'KNeighborsClassifier'),
        'train',
        'sample:wine',
      );
      expect(labels(runs.runs())).toEqual(['RandomForestClassifier', 'KNeighborsClassifier']);
      setKey('sample:iris');
      expect(labels(runs.runs())).toEqual(['LogisticRegression']);
      // Removing a run of iris leaves wine's alone.
      runs.removeRun('e1/LogisticRegression');
      expect(runs.runs()).toEqual([]);
      setKey('sample:wine');
      expect(runs.runs()).toHaveLength(2);
      dispose();
    });
    // A reload: new engine ids, same dataset keys.
    await createRoot(async (dispose) => {
      const [key, setKey] = createSignal<string | null>('sample:iris');
      const runs = createTrainRuns(client, key, storage);
      await vi.waitFor(() => expect(runs.state.all).toHaveLength(1));
      expect(runs.runs()).toEqual([]);
      setKey('sample:wine');
      expect(labels(runs.runs())).toEqual(['RandomForestClassifier', 'KNeighborsClassifier']);
      dispose();
    });
  });

  it('files runs saved before runs were filed by dataset under the dataset of that build\u2019s notebook', async () => {
    const storage = createMemoryStore();
    await storage.save(RUNS_KEY, { experiments: [experiment('old', 'x', 'LogisticRegression')] });
    await storage.save(LEGACY_KEY, {
      notebook: { version: 1, seed: 0, target: null, steps: [], dataset: { kind: 'sample', sample: 'iris' } },
    });
    await createRoot(async (dispose) => {
      const [key, setKey] = createSignal<string | null>('sample:wine');
      const runs = createTrainRuns(client, key, storage);
      await vi.waitFor(() => expect(runs.state.all).toHaveLength(1));
      expect(runs.runs()).toEqual([]);
      setKey('sample:iris');
      expect(labels(runs.runs())).toEqual(['LogisticRegression']);
      dispose();
    });
  });
});
