/**
 * The what-if row's prediction next to the original row's: debounced after each edit, both rows
 * in one call to the worker, and an answer used only if no later request was made.
 */
import type { SetStoreFunction } from 'solid-js/store';
import type { DeployedModelInfo, EngineApi } from '../protocol/api';
import { failure } from './failure';
import { type PredictRowsResult, type PrototypeState, plain, type RowPrediction } from './prototype-state';

const rowPrediction = (res: PredictRowsResult, k: number): RowPrediction => ({
  prediction: res.predictions[k] ?? null,
  probabilities: res.probabilities?.[k] ?? null,
  drift: res.drift.filter((d) => d.row === k).map((d) => ({ ...d, row: 0 })),
});

export function createPredictor(
  api: Pick<EngineApi, 'predictRows'>,
  state: PrototypeState,
  setState: SetStoreFunction<PrototypeState>,
  model: () => DeployedModelInfo | null,
  debounceMs: number,
): { schedule(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Every request gets a number; an answer is used only if no later request was made.
  let sequence = 0;

  async function predictNow(): Promise<void> {
    const m = model();
    if (!m) return;
    const id = m.id;
    const seq = ++sequence;
    setState('predicting', true);
    try {
      // The original and the edited row in one call: both from the same model, side by side.
      const res = await api.predictRows(id, [plain(state.base.row), plain(state.values)]);
      if (seq !== sequence || state.modelId !== id) return;
      setState({
        original: rowPrediction(res, 0),
        current: rowPrediction(res, 1),
        classes: res.classes ?? null,
        predictError: null,
        predicting: false,
      });
    } catch (e) {
      if (seq !== sequence) return;
      setState({ predictError: failure(e), predicting: false });
    }
  }

  return {
    schedule(): void {
      clearTimeout(timer);
      sequence++;
      setState('predicting', true);
      if (debounceMs <= 0) void predictNow();
      else timer = setTimeout(() => void predictNow(), debounceMs);
    },
  };
}
