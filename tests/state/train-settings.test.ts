// @vitest-environment happy-dom
/**
 * The Train form follows the notebook on screen: when another notebook comes (another dataset,
 * an undo, a link) with a target that changes the task, its models are swapped for ones that can
 * do that task — whichever of the two changes the form sees first.
 */
import { batch, createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import type { ModelInfo, TrainTask } from '../../src/protocol/api';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { createTrainSettings } from '../../src/state/train-settings';

const model = (name: string, tasks: TrainTask[]) => ({ name, tasks, params: {} }) as unknown as ModelInfo;
const CATALOG = [
  model('LogisticRegression', ['classification']),
  model('LinearRegression', ['regression']),
  model('KMeans', ['clustering']),
];

describe('train settings', () => {
  it('swaps the models of a notebook whose target changes the task together with its settings', async () => {
    await createRoot(async (dispose) => {
      const iris: Notebook = {
        ...emptyNotebook(),
        target: 'target',
        train: {
          split: { kind: 'stratified-kfold', k: 5 },
          models: [{ name: 'LogisticRegression', params: {} }],
        },
      };
      // Wine's own notebook: no target (clustering), and settings made for classification.
      const wine: Notebook = {
        ...emptyNotebook(),
        target: null,
        train: { split: { kind: 'kfold', k: 3 }, models: [{ name: 'LogisticRegression', params: {} }] },
      };
      const [nb, setNb] = createSignal(iris);
      const settings = createTrainSettings(
        { api: { modelCatalog: async () => CATALOG, inferTask: async () => 'classification' } },
        { datasetId: () => 'd', notebook: nb, setTrainSettings: () => {} },
      );
      await vi.waitFor(() => expect(settings.state.catalog).toHaveLength(3));
      expect(settings.task()).toBe('classification');
      expect(settings.state.settings.models.map((m) => m.name)).toEqual(['LogisticRegression']);
      batch(() => setNb(wine));
      expect(settings.task()).toBe('clustering');
      expect(settings.state.settings.split).toEqual({ kind: 'kfold', k: 3 });
      expect(settings.state.settings.models.map((m) => m.name)).toEqual(['KMeans']);
      dispose();
    });
  });
});
