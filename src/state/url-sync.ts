/**
 * Share links: the URL fragment mirrors the notebook (`#nb=v2.…`, replaced in place, no reload,
 * no history entries), and a fragment the user pastes or opens is read back. A link is hostile
 * until parse.ts says otherwise; a bad one becomes an error notice and changes nothing.
 *
 * The fragment never names another dataset than the one on screen, not even for a moment: a
 * reload opens the fragment first, so a fragment still naming the dataset shown before would
 * bring that one back instead (encoding a v2 link — schema check, deflate, CRC-32 — is async and
 * debounced). When the notebook on screen changes dataset, its link is written at once when it
 * was encoded before (switching back), and otherwise the old fragment is removed at once and
 * the new link follows.
 */
import { createEffect, onCleanup } from 'solid-js';
import { EngineError } from '../core/errors';
import { encodeNotebookLink, fragmentHasNotebook } from '../spec/link';
import type { Notebook } from '../spec/notebook';
import type { ParseOptions } from '../spec/parse';

/** What url-sync needs of `window` (tests pass a fake). */
export interface UrlWindow {
  location: { readonly href: string; readonly hash: string };
  history: { replaceState(data: unknown, unused: string, url: string): void; readonly state: unknown };
  addEventListener(type: 'hashchange' | 'pagehide', listener: () => void): void;
  removeEventListener(type: 'hashchange' | 'pagehide', listener: () => void): void;
}

/** `href` with its fragment replaced by `fragment` ('' removes it). */
export function withFragment(href: string, fragment: string): string {
  const hash = href.indexOf('#');
  return (hash >= 0 ? href.slice(0, hash) : href) + fragment;
}

/** How many encoded links are remembered for switching back (a few per loaded dataset). */
const ENCODED_KEPT = 32;

/** Whether there is anything worth putting in a link. */
function worthALink(nb: Notebook): boolean {
  return nb.steps.length > 0 || nb.dataset !== null;
}

/** The whole share URL for a notebook: this page's address plus `#nb=v2.…`. */
export async function shareUrl(nb: Notebook, href: string): Promise<string> {
  return withFragment(href, await encodeNotebookLink(nb));
}

/** The notice shown for a link that cannot be opened; the parser's message is shown as text. */
export function badLinkError(message: string): EngineError {
  return new EngineError('InvalidArgument', message, {
    hint: 'The link may have been cut off or altered. Ask for it again; your notebook is unchanged.',
  });
}

export interface FragmentSyncOptions {
  notebook: () => Notebook;
  /** Called when the fragment changes to a notebook link we did not write (a pasted link). */
  onLink: (hash: string) => void;
  debounceMs?: number;
  /** The checks a written link must pass (the same the app applies when opening one). */
  linkOptions?: () => ParseOptions;
}

/**
 * Keeps the fragment in step with the notebook and listens for links. Call inside a reactive
 * owner; stops with it.
 */
export function startFragmentSync(win: UrlWindow, options: FragmentSyncOptions): void {
  const debounceMs = options.debounceMs ?? 250;
  let lastWritten = win.location.hash;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  // The links already encoded, by notebook JSON (most recent last), so switching back is synchronous.
  const encoded = new Map<string, string>();
  let shownDataset: string | undefined;

  function put(fragment: string): void {
    if (fragment === win.location.hash) return;
    lastWritten = fragment;
    win.history.replaceState(win.history.state, '', withFragment(win.location.href, fragment));
  }

  async function write(json: string): Promise<void> {
    const mine = ++sequence;
    const nb = JSON.parse(json) as Notebook;
    let fragment = '';
    if (worthALink(nb)) {
      try {
        fragment = await encodeNotebookLink(nb, options.linkOptions?.());
      } catch {
        // Not linkable right now (a URL too long, a parameter out of range): keep the last good link.
        return;
      }
    }
    encoded.delete(json);
    encoded.set(json, fragment);
    if (encoded.size > ENCODED_KEPT) encoded.delete(encoded.keys().next().value as string);
    if (mine === sequence) put(fragment);
  }

  createEffect(() => {
    // Reading the JSON tracks every field of the notebook.
    const nb = options.notebook();
    const json = JSON.stringify(nb);
    const dataset = JSON.stringify(nb.dataset);
    const switched = shownDataset !== undefined && dataset !== shownDataset;
    shownDataset = dataset;
    if (timer !== undefined) clearTimeout(timer);
    if (switched) {
      // Any write still encoding is for the dataset shown before: it must not land.
      sequence += 1;
      const known = encoded.get(json);
      put(known ?? '');
      if (known !== undefined) return;
    }
    timer = setTimeout(() => void write(json), switched ? 0 : debounceMs);
  });

  const onHashChange = () => {
    const hash = win.location.hash;
    if (hash === lastWritten || !fragmentHasNotebook(hash)) return;
    lastWritten = hash;
    options.onLink(hash);
  };
  win.addEventListener('hashchange', onHashChange);
  onCleanup(() => {
    if (timer !== undefined) clearTimeout(timer);
    win.removeEventListener('hashchange', onHashChange);
  });
}
