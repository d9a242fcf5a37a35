// @vitest-environment happy-dom
import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { encodeNotebookLink } from '../../src/spec/link';
import type { Notebook } from '../../src/spec/notebook';
import { createIdbStore, createMemoryStore } from '../../src/state/autosave';
import { createNotebookStore } from '../../src/state/notebook';
import { LEGACY_KEY, type SavedBook } from '../../src/state/notebook-book';
import {
  AUTOSAVE_KEY,
  LEAVE_KEY,
  type LeaveStore,
  startNotebookSession,
} from '../../src/state/notebook-session';
import type { UrlWindow } from '../../src/state/url-sync';
import { createNotebookFakes, irisInfo } from './notebook-fakes';

const SAVED: Notebook = {
  version: 1,
  seed: 7,
  target: 'target',
  dataset: { kind: 'sample', sample: 'iris' },
  steps: [{ id: 's1', step: 'StandardScaler', params: { with_mean: false }, enabled: true }],
};

function staticWindow(hash: string): UrlWindow & { replaced: string[]; leave(): void } {
  let url = `http://127.0.0.1/${hash}`;
  const replaced: string[] = [];
  const onLeave = new Set<() => void>();
  return {
    replaced,
    /** The page is left or reloaded. */
    leave: () => {
      for (const l of onLeave) l();
    },
    location: {
      get href() {
        return url;
      },
      get hash() {
        const i = url.indexOf('#');
        return i >= 0 ? url.slice(i) : '';
      },
    },
    history: {
      state: null,
      replaceState(_d, _u, next) {
        replaced.push(next);
        url = next;
      },
    },
    addEventListener(type, listener) {
      if (type === 'pagehide') onLeave.add(listener);
    },
    removeEventListener(type, listener) {
      if (type === 'pagehide') onLeave.delete(listener);
    },
  };
}

/** Boots a session over fakes; `test` runs inside the reactive root. */
function boot(
  hash: string,
  storage: ReturnType<typeof createMemoryStore>,
  test: (ctx: {
    nb: ReturnType<typeof createNotebookStore>;
    fakes: ReturnType<typeof createNotebookFakes>;
    win: ReturnType<typeof staticWindow>;
  }) => Promise<void>,
  pauses: { autosaveMs: number; fragmentMs: number; leaveStore?: LeaveStore } = {
    autosaveMs: 10,
    fragmentMs: 10,
  },
) {
  return createRoot(async (dispose) => {
    const fakes = createNotebookFakes();
    const nb = createNotebookStore(fakes.client, fakes.host, { debounceMs: 10 });
    const win = staticWindow(hash);
    try {
      await startNotebookSession({
        notebook: nb,
        host: fakes.host,
        storage,
        win,
        ...pauses,
      });
      await test({ nb, fakes, win });
    } finally {
      nb.dispose();
      dispose();
    }
  });
}

describe('autosave and boot', () => {
  it('migrates the single notebook of older builds to its dataset, and reloads its sample', async () => {
    const storage = createMemoryStore();
    await storage.save(LEGACY_KEY, { notebook: SAVED });
    await boot('', storage, async ({ nb, fakes }) => {
      expect(fakes.loads).toEqual(['sample:iris']);
      expect(nb.state.notebook.steps).toEqual(SAVED.steps);
      expect(nb.state.notebook.seed).toBe(7);
      expect(nb.state.datasetId).toBe('iris');
      // The target survives binding because iris has that column.
      expect(nb.state.notebook.target).toBe('target');
    });
  });

  it('saves every change after a short pause', async () => {
    const storage = createMemoryStore();
    await boot('', storage, async ({ nb, fakes }) => {
      fakes.addDataset(irisInfo());
      nb.addStep('PCA');
      await vi.waitFor(() => {
        const saved = storage.data.get(AUTOSAVE_KEY) as SavedBook | undefined;
        expect(saved?.version).toBe(2);
        expect(saved?.active).toBe('sample:iris');
        expect(saved?.notebooks.map((nb) => nb.steps.map((s) => s.step))).toEqual([['PCA']]);
        expect(saved?.notebooks[0]?.dataset).toEqual({
          kind: 'sample',
          sample: 'iris',
          fingerprint: 'fp-iris',
        });
      });
    });
  });

  it('ignores an autosave that does not validate', async () => {
    const storage = createMemoryStore();
    await storage.save(LEGACY_KEY, { notebook: { ...SAVED, steps: [{ id: '<b>', step: 'Evil' }] } });
    await boot('', storage, async ({ nb, fakes }) => {
      expect(nb.state.notebook.steps).toEqual([]);
      expect(fakes.loads).toEqual([]);
      expect(fakes.reports).toEqual([]);
    });
  });

  it('opens a link in the URL in preference to the autosave', async () => {
    const storage = createMemoryStore();
    await storage.save(LEGACY_KEY, { notebook: SAVED });
    const link = await encodeNotebookLink({ ...SAVED, seed: 99, steps: [] });
    await boot(link, storage, async ({ nb, fakes }) => {
      expect(nb.state.notebook.seed).toBe(99);
      expect(nb.state.notebook.steps).toEqual([]);
      expect(fakes.loads).toEqual(['sample:iris']);
    });
  });

  it('asks before loading a URL dataset from a link, and asks for a file', async () => {
    for (const dataset of [
      { kind: 'url' as const, url: 'https://example.com/data.csv' },
      { kind: 'file' as const, name: 'mine.csv', rows: 12 },
    ]) {
      const link = await encodeNotebookLink({ ...SAVED, dataset });
      await boot(link, createMemoryStore(), async ({ nb, fakes }) => {
        expect(fakes.loads).toEqual([]);
        expect(nb.state.pending).toEqual(dataset);
        expect(nb.state.notebook.steps).toHaveLength(1);
      });
    }
  });

  it('a reload right after switching datasets shows the dataset that was on screen', async () => {
    // Long pauses: a switch must reach the URL and the autosave without waiting for them.
    const pauses = { autosaveMs: 60_000, fragmentMs: 100 };
    const storage = createMemoryStore();
    let hashAtReload = '';
    await boot(
      '',
      storage,
      async ({ nb, fakes, win }) => {
        fakes.addDataset(irisInfo());
        nb.addStep('PCA');
        await vi.waitFor(() => expect(win.location.hash).toMatch(/^#nb=v2\./));
        const irisLink = win.location.hash;
        const wine = { ...irisInfo('wine'), source: { kind: 'sample' as const, sample: 'wine' } };
        fakes.addDataset({ ...wine, fingerprint: 'fp-wine' });
        // At once, before wine's link is encoded: no link names iris while wine is on screen.
        expect(nb.state.notebook.steps).toEqual([]);
        expect(win.location.hash).toBe('');
        await vi.waitFor(() => expect(win.location.hash).toMatch(/^#nb=v2\./));
        expect(win.location.hash).not.toBe(irisLink);
        // Back to iris: its link, already encoded, is in the URL at once.
        fakes.host.select('iris');
        expect(win.location.hash).toBe(irisLink);
        await vi.waitFor(() =>
          expect((storage.data.get(AUTOSAVE_KEY) as SavedBook | undefined)?.active).toBe('sample:iris'),
        );
        hashAtReload = win.location.hash;
      },
      pauses,
    );
    for (const hash of [hashAtReload, '']) {
      await boot(hash, storage, async ({ nb, fakes }) => {
        expect(fakes.loads).toEqual(['sample:iris']);
        expect(nb.state.notebook.steps.map((s) => s.step)).toEqual(['PCA']);
      });
    }
  });

  it('saves an edit still waiting for the pause when the page is left', async () => {
    const storage = createMemoryStore();
    await boot(
      '',
      storage,
      async ({ nb, fakes, win }) => {
        fakes.addDataset(irisInfo());
        const saved = () => storage.data.get(AUTOSAVE_KEY) as SavedBook | undefined;
        await vi.waitFor(() => expect(saved()?.active).toBe('sample:iris'));
        nb.addStep('PCA');
        await new Promise((r) => setTimeout(r, 20));
        const steps = () => saved()?.notebooks[0]?.steps.map((s) => s.step) ?? [];
        expect(steps()).toEqual([]);
        win.leave();
        await vi.waitFor(() => expect(steps()).toEqual(['PCA']));
      },
      { autosaveMs: 60_000, fragmentMs: 10 },
    );
  });

  it('a reload with the fragment the app wrote shows the saved notebook, even when the link is behind it', async () => {
    const storage = createMemoryStore();
    let hash = '';
    await boot(
      '',
      storage,
      async ({ nb, fakes, win }) => {
        fakes.addDataset(irisInfo());
        nb.addStep('PCA');
        await vi.waitFor(() => expect(win.location.hash).toMatch(/^#nb=v2\./));
        hash = win.location.hash;
        // An edit, then the page is left before the link catches up.
        nb.addStep('StandardScaler');
        win.leave();
        expect(win.location.hash).toBe(hash);
      },
      { autosaveMs: 60_000, fragmentMs: 200 },
    );
    await vi.waitFor(() => expect((storage.data.get(AUTOSAVE_KEY) as SavedBook).link).toBe(hash));
    await boot(hash, storage, async ({ nb, fakes }) => {
      expect(fakes.loads).toEqual(['sample:iris']);
      expect(nb.state.notebook.steps.map((s) => s.step)).toEqual(['PCA', 'StandardScaler']);
    });
    // The same link in a browser whose autosave did not write it is opened as a link.
    await boot(hash, createMemoryStore(), async ({ nb }) => {
      expect(nb.state.notebook.steps.map((s) => s.step)).toEqual(['PCA']);
    });
  });

  it('keeps the record saved as the page is left when the IndexedDB write is dropped by the unload', async () => {
    const storage = createMemoryStore();
    const items = new Map<string, string>();
    const leaveStore: LeaveStore = {
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    };
    let hash = '';
    await boot(
      '',
      storage,
      async ({ nb, fakes, win }) => {
        fakes.addDataset(irisInfo());
        nb.addStep('PCA');
        await vi.waitFor(() =>
          expect((storage.data.get(AUTOSAVE_KEY) as SavedBook | undefined)?.notebooks).toHaveLength(1),
        );
        hash = win.location.hash;
        nb.addStep('StandardScaler');
        // The unload drops the asynchronous write.
        storage.save = async () => {};
        win.leave();
        expect(items.has(LEAVE_KEY)).toBe(true);
      },
      { autosaveMs: 50, fragmentMs: 60_000, leaveStore },
    );
    await boot(
      hash,
      storage,
      async ({ nb }) => {
        expect(nb.state.notebook.steps.map((s) => s.step)).toEqual(['PCA', 'StandardScaler']);
        // Read once: an older leave record never overrides later saves.
        expect(items.has(LEAVE_KEY)).toBe(false);
      },
      { autosaveMs: 10, fragmentMs: 10, leaveStore },
    );
  });

  it('reports a hostile link and changes nothing', async () => {
    const storage = createMemoryStore();
    for (const hash of ['#nb=v1.%%%', '#nb=v2.AAAA', '#nb=v1.q1YqSy0qzszPU7JSMDQwMAAA']) {
      await boot(hash, storage, async ({ nb, fakes, win }) => {
        expect(fakes.reports).toHaveLength(1);
        expect(fakes.reports[0]?.action).toBe('Opening a notebook link');
        expect(fakes.reports[0]?.error.message.length).toBeGreaterThan(10);
        expect(nb.state.notebook.steps).toEqual([]);
        expect(nb.state.notebook.dataset).toBeNull();
        expect(fakes.loads).toEqual([]);
        // The bad fragment is dropped, so a reload does not repeat the error.
        await vi.waitFor(() => expect(win.location.hash).toBe(''));
      });
    }
  });
});

describe('key-value stores', () => {
  it('the memory store returns copies', async () => {
    const store = createMemoryStore();
    const value = { a: [1, 2] };
    await store.save('k', value);
    value.a.push(3);
    expect(await store.load('k')).toEqual({ a: [1, 2] });
    expect(await store.load('missing')).toBeUndefined();
  });

  it('the IndexedDB store fails clearly without IndexedDB', async () => {
    const store = createIdbStore(undefined);
    await expect(store.load('k')).rejects.toThrow('IndexedDB is not available');
  });
});
