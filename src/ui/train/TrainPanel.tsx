/**
 * The Train tab: setup (target, task, split), the features the model will read, the models with
 * their parameter forms and actions, progress and curves, the split report, the runs table and
 * the tuning panel. Each part is its own component; this one lays them out.
 */
import type { JSX } from 'solid-js';
import { Show } from 'solid-js';
import type { DatasetInfo, FixStep } from '../../protocol/api';
import type { TrainRun, TrainStore } from '../../state/train';
import { FeatureList } from './FeatureList';
import { RunsTable } from './RunsTable';
import { TrainModels } from './TrainModels';
import { TrainResults } from './TrainResults';
import { TrainSetup } from './TrainSetup';
import { TunePanel } from './TunePanel';
import './train.css';

export function TrainPanel(props: {
  store: TrainStore;
  dataset: DatasetInfo;
  target: string | null;
  onOpenRun?: (run: TrainRun) => void;
  /** Fits a run on every row and opens it in the Prototype tab. */
  onPrototypeRun?: (run: TrainRun) => void;
  /** Adds steps to the notebook (the feature list's fixes, e.g. "Add OneHotEncoder"). */
  onAddSteps?: (steps: FixStep[]) => void;
}): JSX.Element {
  const store = props.store;
  return (
    <div class="train-view" data-testid="train-panel">
      <TrainSetup store={store} dataset={props.dataset} target={props.target} />
      <Show when={store.featurePlan()}>
        {(plan) => (
          <FeatureList plan={plan()} {...(props.onAddSteps ? { onAddSteps: props.onAddSteps } : {})} />
        )}
      </Show>
      <TrainModels store={store} target={props.target} />
      <TrainResults store={store} />
      <RunsTable
        store={store}
        {...(props.onOpenRun ? { onOpen: props.onOpenRun } : {})}
        {...(props.onPrototypeRun ? { onPrototype: props.onPrototypeRun } : {})}
      />
      <TunePanel store={store} />
    </div>
  );
}
