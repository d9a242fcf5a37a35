/**
 * The date format of a date/datetime column, shown in its Data-tab header and changeable: a small
 * button with the format (strftime, as pandas' `to_datetime(format=…)` takes it) opens a panel
 * with the common formats, a custom field, the day/month guess when there was one, and what the
 * last choice did ("2 of 40 values did not fit … nothing is lost"). The engine re-reads the
 * column's text in the worker; this file only asks.
 */
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { EngineError } from '../../core/errors';
import type { ColumnType } from '../../core/types';
import type { ColumnInfo } from '../../protocol/api';
import { formatCount } from '../format';

/** The engine's name for "the ISO 8601 reader" (src/io/dates.ts ISO_DATETIME_FORMAT). */
export const ISO_FORMAT = 'ISO8601';

interface Choice {
  format: string;
  /** 12 June 1998, 13:45 written in the format. */
  example: string;
}

const DATE_CHOICES: readonly Choice[] = [
  { format: '%Y-%m-%d', example: '1998-06-12' },
  { format: '%m/%d/%Y', example: '06/12/1998' },
  { format: '%d/%m/%Y', example: '12/06/1998' },
  { format: '%d.%m.%Y', example: '12.06.1998' },
  { format: '%b %d %Y', example: 'Jun 12 1998' },
  { format: '%d %b %Y', example: '12 Jun 1998' },
  { format: '%B %d, %Y', example: 'June 12, 1998' },
];
const TIME_CHOICES: readonly Choice[] = [
  { format: ISO_FORMAT, example: '1998-06-12T13:45:00Z' },
  { format: '%Y-%m-%d %H:%M:%S', example: '1998-06-12 13:45:00' },
  { format: '%m/%d/%Y %H:%M', example: '06/12/1998 13:45' },
  { format: '%d/%m/%Y %H:%M', example: '12/06/1998 13:45' },
  { format: '%d.%m.%Y %H:%M', example: '12.06.1998 13:45' },
  { format: '%m/%d/%Y %I:%M %p', example: '06/12/1998 01:45 PM' },
  { format: '%b %d %Y %I:%M %p', example: 'Jun 12 1998 01:45 PM' },
];

/** How a format is shown: strftime as is, the ISO reader by its name. */
export function formatLabel(format: string | undefined): string {
  if (format === undefined) return 'pick format';
  return format === ISO_FORMAT ? 'ISO 8601' : format;
}

/** The type a format reads into: datetime when it has a time of day. */
export function typeForFormat(format: string, current: ColumnType): ColumnType {
  if (format === ISO_FORMAT) return current === 'date' ? 'date' : 'datetime';
  return /%[HIMSfp]/.test(format) ? 'datetime' : 'date';
}

/** "month-first" / "day-first" for a numeric format, from the order of %m and %d. */
function order(format: string): string {
  return format.indexOf('%m') < format.indexOf('%d') ? 'month-first' : 'day-first';
}

/** The sentence for what the last choice did. */
export function fitSummary(column: ColumnInfo, rows: number): string {
  const unfit = column.unfit ?? 0;
  const present = rows - column.missing + unfit;
  const label = formatLabel(column.dateFormat);
  if (unfit === 0) return `All ${formatCount(present)} values fit ${label}.`;
  return `${formatCount(unfit)} of ${formatCount(present)} values did not fit ${label} and show as missing. Nothing is lost: another format reads them again.`;
}

export function DateFormatPicker(props: {
  column: ColumnInfo;
  rows: number;
  open: boolean;
  onOpen: (open: boolean) => void;
  /** Resolves to the engine's refusal when it refused (shown in the panel). */
  onApply: (type: ColumnType, format: string) => Promise<unknown>;
}): JSX.Element {
  let button: HTMLButtonElement | undefined;
  let panel: HTMLDivElement | undefined;
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<EngineError | null>(null);
  const [applied, setApplied] = createSignal(false);
  const [custom, setCustom] = createSignal('');
  const [at, setAt] = createSignal({ left: 0, top: 0 });

  const current = () => props.column.dateFormat;
  const guessed = () => props.column.dateAlternative;
  const listed = () => [...DATE_CHOICES, ...TIME_CHOICES].some((c) => c.format === current());

  const place = () => {
    if (!button) return;
    const r = button.getBoundingClientRect();
    const width = 340;
    setAt({ left: Math.max(8, Math.min(r.left, window.innerWidth - width - 8)), top: r.bottom + 4 });
    // Once drawn: lift it as far as needed to end inside the window.
    requestAnimationFrame(() => {
      const height = panel?.offsetHeight ?? 0;
      const over = r.bottom + 4 + height - (window.innerHeight - 8);
      if (over > 0) setAt((p) => ({ ...p, top: Math.max(8, p.top - over) }));
    });
  };
  const toggle = () => {
    if (!props.open) place();
    setError(null);
    props.onOpen(!props.open);
  };
  const apply = async (format: string) => {
    const trimmed = format.trim();
    setPending(true);
    setError(null);
    const result = await props.onApply(typeForFormat(trimmed, props.column.type), trimmed);
    setPending(false);
    if (result instanceof EngineError) setError(result);
    else setApplied(true);
  };

  // Closes on Escape, a click elsewhere, or a scroll of the table under it.
  const close = (e: Event) => {
    if (!props.open) return;
    if (e.type === 'scroll' && e.target instanceof Node && panel?.contains(e.target)) return;
    if (e instanceof KeyboardEvent) {
      if (e.key !== 'Escape') return;
      button?.focus();
    } else if (e.target instanceof Node && (panel?.contains(e.target) || button?.contains(e.target))) {
      return;
    }
    props.onOpen(false);
  };
  onMount(() => {
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    document.addEventListener('scroll', close, true);
  });
  onCleanup(() => {
    document.removeEventListener('pointerdown', close);
    document.removeEventListener('keydown', close);
    document.removeEventListener('scroll', close, true);
  });

  const option = (choice: Choice) => (
    <label class="datefmt-option" classList={{ current: choice.format === current() }}>
      <input
        type="radio"
        name={`datefmt-${props.column.name}`}
        value={choice.format}
        checked={choice.format === current()}
        disabled={pending()}
        onChange={() => void apply(choice.format)}
      />
      <code>{formatLabel(choice.format)}</code>
      <span class="datefmt-example">{choice.example}</span>
    </label>
  );

  return (
    <>
      <button
        ref={button}
        type="button"
        class="vt-datefmt"
        classList={{ guessed: guessed() !== undefined, unset: current() === undefined }}
        aria-haspopup="dialog"
        aria-expanded={props.open}
        aria-label={`Date format of ${props.column.name}: ${formatLabel(current())}`}
        title={
          guessed() !== undefined
            ? `Read as ${current()} (${order(current() ?? '')}, a guess: every day is 12 or less). Click to change.`
            : `Read with the format ${formatLabel(current())}. Click to change.`
        }
        onClick={toggle}
      >
        {formatLabel(current())}
        <Show when={guessed()}>
          <span class="vt-guess" aria-hidden="true">
            ?
          </span>
        </Show>
      </button>
      <Show when={props.open}>
        <div
          ref={panel}
          class="datefmt-panel"
          role="dialog"
          aria-label={`Date format of ${props.column.name}`}
          style={{ left: `${at().left}px`, top: `${at().top}px` }}
        >
          <p class="datefmt-title">
            Read <strong>{props.column.name}</strong> as
          </p>
          <Show when={error()}>
            {(e) => (
              <p class="datefmt-error" role="alert">
                {e().message}
                <Show when={e().detail?.hint}> {String(e().detail?.hint)}</Show>
              </p>
            )}
          </Show>
          <Show when={!error() && (pending() || applied() || (props.column.unfit ?? 0) > 0)}>
            <p
              class="datefmt-result"
              classList={{ warn: (props.column.unfit ?? 0) > 0 }}
              role="status"
              data-testid="date-fit"
            >
              {pending() ? 'Reading…' : fitSummary(props.column, props.rows)}
            </p>
          </Show>
          <Show when={guessed()}>
            {(other) => (
              <p class="datefmt-guess" data-testid="date-guess">
                Every day is 12 or less, so both orders fit: read {order(current() ?? '')} ({current()}).{' '}
                <button
                  type="button"
                  class="datefmt-flip"
                  disabled={pending()}
                  onClick={() => void apply(other())}
                >
                  Read {order(other())} instead
                </button>
              </p>
            )}
          </Show>
          <fieldset class="datefmt-list" disabled={pending()}>
            <legend class="visually-hidden">Common formats</legend>
            <Show when={current() !== undefined && !listed()}>
              {option({ format: current()!, example: 'as read now' })}
            </Show>
            <For each={DATE_CHOICES}>{option}</For>
            <span class="datefmt-group">with a time</span>
            <For each={TIME_CHOICES}>{option}</For>
          </fieldset>
          <form
            class="datefmt-custom"
            onSubmit={(e) => {
              e.preventDefault();
              if (custom().trim() !== '') void apply(custom());
            }}
          >
            <label>
              <span>Custom</span>
              <input
                type="text"
                value={custom()}
                placeholder="%Y%m%d"
                spellcheck={false}
                aria-label="Custom date format (strftime)"
                title="strftime codes, as pandas' to_datetime(format=…): %Y %y %m %d %b %B %H %I %M %S %f %p"
                onInput={(e) => setCustom(e.currentTarget.value)}
              />
            </label>
            <button type="submit" class="button datefmt-read" disabled={pending() || custom().trim() === ''}>
              Read
            </button>
          </form>
        </div>
      </Show>
    </>
  );
}
