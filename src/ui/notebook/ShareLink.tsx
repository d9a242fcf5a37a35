/**
 * "Copy link": puts the share URL on the clipboard and always shows it in a small popover with a
 * text field, for browsers (or permissions) where the clipboard is refused.
 */
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { shareUrl } from '../../state/url-sync';
import { useNotebook } from './context';

export function ShareLink(): JSX.Element {
  const nb = useNotebook();
  const [link, setLink] = createSignal<string | null>(null);
  const [note, setNote] = createSignal('');
  const copy = async () => {
    try {
      const url = await shareUrl(structuredClone(unwrap(nb.state.notebook)), location.href);
      setLink(url);
      try {
        await navigator.clipboard.writeText(url);
        setNote('Copied to the clipboard.');
      } catch {
        setNote('Copy it from the box: the browser did not allow the clipboard.');
      }
    } catch (e) {
      setLink('');
      setNote(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="share">
      <button
        type="button"
        class="button"
        title="Copy a link that reopens this notebook (it holds no data)"
        onClick={() => void copy()}
      >
        Copy link
      </button>
      <Show when={link() !== null}>
        <SharePopover link={link() ?? ''} note={note()} onClose={() => setLink(null)} />
      </Show>
    </div>
  );
}

function SharePopover(props: { link: string; note: string; onClose: () => void }): JSX.Element {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  return (
    <div class="share-popover" role="dialog" aria-label="Share link">
      <p class="small" role="status">
        {props.note}
      </p>
      <Show when={props.link}>
        <input
          class="input share-field"
          readOnly
          aria-label="Notebook link"
          value={props.link}
          onFocus={(e) => e.currentTarget.select()}
        />
        <p class="small muted">
          The link holds the steps and a reference to the data, never the data itself.
        </p>
      </Show>
      <button type="button" class="button" onClick={() => props.onClose()}>
        Close
      </button>
    </div>
  );
}
