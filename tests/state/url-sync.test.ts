// @vitest-environment happy-dom
import { createRoot, createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { decodeNotebookLink } from '../../src/spec/link';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { startFragmentSync, type UrlWindow, withFragment } from '../../src/state/url-sync';

function fakeWindow(href: string) {
  let url = href;
  const listeners = new Set<() => void>();
  const writes: string[] = [];
  const win: UrlWindow = {
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
        writes.push(next);
        url = next;
      },
    },
    addEventListener: (_t, l) => listeners.add(l),
    removeEventListener: (_t, l) => listeners.delete(l),
  };
  return {
    win,
    writes,
    listeners,
    /** The user edits the address bar (or follows a link to this page). */
    navigate(next: string) {
      url = next;
      for (const l of listeners) l();
    },
  };
}

const notebook = (steps: number): Notebook => ({
  ...emptyNotebook(),
  dataset: { kind: 'sample', sample: 'iris' },
  steps: Array.from({ length: steps }, (_, i) => ({
    id: `s${i + 1}`,
    step: 'StandardScaler',
    params: {},
    enabled: true,
  })),
});

describe('url sync', () => {
  it('replaces the fragment with the notebook after changes settle', async () => {
    const fake = fakeWindow('http://127.0.0.1/app/?x=1');
    const [nb, setNb] = createSignal(notebook(1));
    await createRoot(async (dispose) => {
      startFragmentSync(fake.win, { notebook: nb, onLink: () => {}, debounceMs: 20 });
      await vi.waitFor(() => expect(fake.writes).toHaveLength(1));
      expect(fake.writes[0]).toMatch(/^http:\/\/127\.0\.0\.1\/app\/\?x=1#nb=v2\./);
      const decoded = await decodeNotebookLink(fake.win.location.hash);
      expect(decoded.ok && decoded.notebook.steps).toHaveLength(1);
      setNb(notebook(2));
      await vi.waitFor(() => expect(fake.writes).toHaveLength(2));
      const again = await decodeNotebookLink(fake.win.location.hash);
      expect(again.ok && again.notebook.steps).toHaveLength(2);
      // An empty notebook leaves no fragment at all.
      setNb(emptyNotebook());
      await vi.waitFor(() => expect(fake.win.location.href).toBe('http://127.0.0.1/app/?x=1'));
      dispose();
      expect(fake.listeners.size).toBe(0);
    });
  });

  it('hands pasted links to onLink, but not the fragments it wrote itself', async () => {
    const fake = fakeWindow('http://127.0.0.1/');
    const opened: string[] = [];
    await createRoot(async (dispose) => {
      startFragmentSync(fake.win, {
        notebook: () => notebook(1),
        onLink: (h) => opened.push(h),
        debounceMs: 0,
      });
      await vi.waitFor(() => expect(fake.writes).toHaveLength(1));
      fake.navigate(fake.win.location.href);
      expect(opened).toEqual([]);
      fake.navigate('http://127.0.0.1/#other=1');
      expect(opened).toEqual([]);
      fake.navigate('http://127.0.0.1/#nb=v1.%%%');
      expect(opened).toEqual(['#nb=v1.%%%']);
      dispose();
    });
  });

  it('never leaves the link of another dataset in the URL: a switch drops it, or writes a known link at once', async () => {
    const fake = fakeWindow('http://127.0.0.1/');
    const iris = notebook(1);
    const wine: Notebook = { ...emptyNotebook(), dataset: { kind: 'sample', sample: 'wine' } };
    const [nb, setNb] = createSignal(iris);
    await createRoot(async (dispose) => {
      startFragmentSync(fake.win, { notebook: nb, onLink: () => {}, debounceMs: 20 });
      await vi.waitFor(() => expect(fake.writes).toHaveLength(1));
      const irisLink = fake.win.location.hash;
      setNb(wine);
      expect(fake.win.location.hash).toBe('');
      await vi.waitFor(() => expect(fake.win.location.hash).toMatch(/^#nb=v2\./));
      const wineLink = fake.win.location.hash;
      const decoded = await decodeNotebookLink(wineLink);
      expect(decoded.ok && decoded.notebook.dataset).toEqual(wine.dataset);
      setNb(structuredClone(iris));
      expect(fake.win.location.hash).toBe(irisLink);
      setNb(structuredClone(wine));
      expect(fake.win.location.hash).toBe(wineLink);
      // An edit of the same dataset waits for the pause, as before.
      setNb({ ...wine, seed: 5 });
      expect(fake.win.location.hash).toBe(wineLink);
      await vi.waitFor(() => expect(fake.win.location.hash).not.toBe(wineLink));
      dispose();
    });
  });

  it('puts a fragment on an address with or without one', () => {
    expect(withFragment('http://h/p?q#old', '#nb=v1.x')).toBe('http://h/p?q#nb=v1.x');
    expect(withFragment('http://h/p', '#nb=v1.x')).toBe('http://h/p#nb=v1.x');
    expect(withFragment('http://h/p#old', '')).toBe('http://h/p');
  });
});
