/**
 * The prototype store's timing: edits are debounced into one prediction, an answer that arrives
 * after a newer request was made is dropped, and a failed prediction leaves the values as typed.
 */
import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { DeployedModelInfo, PredictResult } from '../../src/protocol/api';
import { createPrototypeStore } from '../../src/state/prototype';

const model = {
  id: 'm1',
  classes: null,
  typicalRow: { x: 1 },
  contract: { features: [{ name: 'x', type: 'float', min: 0, max: 10, missing: 'rejected' }], target: null },
} as unknown as DeployedModelInfo;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

const answer = (edited: number): PredictResult => ({ predictions: [10, edited * 10], drift: [] });

function setup(debounceMs: number) {
  const calls: { rows: Record<string, unknown>[]; reply: ReturnType<typeof deferred<PredictResult>> }[] = [];
  const client = {
    api: {
      predictRows: async (_id: string, rows: Record<string, unknown>[]) => {
        const reply = deferred<PredictResult>();
        calls.push({ rows, reply });
        return reply.promise;
      },
      partialDependence: async () => {
        throw new Error('unused');
      },
      counterfactual: async () => {
        throw new Error('unused');
      },
    },
    rows: async () => {
      throw new Error('unused');
    },
  };
  const host = {
    startJob: () => {
      throw new Error('unused');
    },
    jobProgress: () => null,
  };
  const store = createRoot(() => createPrototypeStore(client as never, host as never, { debounceMs }));
  return { store, calls };
}

describe('prototype store', () => {
  it('debounces typing into one prediction of the original and the edited row', async () => {
    vi.useFakeTimers();
    try {
      const { store, calls } = setup(100);
      store.open(model);
      store.setValue('x', 2);
      store.setValue('x', 3);
      vi.advanceTimersByTime(99);
      expect(calls).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.rows).toEqual([{ x: 1 }, { x: 3 }]);
      calls[0]!.reply.resolve(answer(3));
      await vi.runAllTimersAsync();
      expect(store.state.current?.prediction).toBe(30);
      expect(store.state.original?.prediction).toBe(10);
      expect(store.state.predicting).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops an answer that arrives after a newer request', async () => {
    const { store, calls } = setup(0);
    store.open(model);
    store.setValue('x', 5);
    expect(calls).toHaveLength(2);
    calls[1]!.reply.resolve(answer(5));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.current?.prediction).toBe(50);
    // The first (typical row) answer comes last: it is stale and must not overwrite.
    calls[0]!.reply.resolve(answer(1));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.current?.prediction).toBe(50);
  });

  it('keeps the typed values when a prediction fails, and shows the message', async () => {
    const { store, calls } = setup(0);
    store.open(model);
    store.setValue('x', 'abc');
    calls[1]!.reply.reject(new EngineError('NotFound', 'No deployed model with id "m1".'));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.predictError?.message).toMatch(/No deployed model/);
    expect(store.state.values).toEqual({ x: 'abc' });
    store.reset();
    expect(store.state.values).toEqual({ x: 1 });
  });
});
