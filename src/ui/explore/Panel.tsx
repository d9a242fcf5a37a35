/**
 * Building blocks of the Explore tab: a panel with PNG/SVG export that reports its width (the
 * views are drawn to fit it), a host that mounts a d3 view (from src/viz) and destroys it when it
 * is replaced or unmounted, and the one labelled select every panel's controls use.
 */
import { For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { Request } from '../../state/explore-request';
import { downloadBlob, svgToBlob, svgToPngBlob } from '../../viz';

/** What a panel can export: an SVG element, and a PNG maker for canvas views. */
export interface Exportable {
  svg(): SVGSVGElement | null;
  png?(): Promise<Blob>;
}

/**
 * Follows `request` while the panel is shown; the accessor gives its last answer when that answer
 * is about `datasetId()` (so a chart keeps its picture while the next answer loads), else null.
 */
export function followLatest<T extends { datasetId: string }>(
  request: Request<T>,
  datasetId: () => string,
): () => T | null {
  request.follow();
  return () => {
    const v = request.latest();
    return v && v.datasetId === datasetId() ? v : null;
  };
}

/** Views are never drawn narrower than this (the panel scrolls instead). */
const MIN_VIEW_WIDTH = 320;
/** The width when the page has no layout to measure (a test's DOM). */
const DEFAULT_VIEW_WIDTH = 520;

export function Panel(props: {
  id: string;
  title: string;
  controls?: JSX.Element;
  note?: JSX.Element;
  /** A request that failed: said in place of the chart's note. */
  error?: string | null;
  exportable?: Exportable;
  /**
   * Called with the width a view may take once the panel is on the page, and again when it is
   * resized: a view waits for it rather than being drawn twice (a million points cost a frame).
   */
  onWidth?: (width: number) => void;
  children: JSX.Element;
  class?: string;
}): JSX.Element {
  let body: HTMLDivElement | undefined;
  const file = () => props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const png = async () => {
    const e = props.exportable;
    if (!e) return;
    const svg = e.svg();
    const blob = e.png ? await e.png() : svg ? await svgToPngBlob(svg) : null;
    if (blob) downloadBlob(blob, `${file()}.png`);
  };
  const svg = () => {
    const s = props.exportable?.svg();
    if (s) downloadBlob(svgToBlob(s), `${file()}.svg`);
  };
  onMount(() => {
    const el = body;
    if (!el || !props.onWidth) return;
    // Whole steps of 8 px: a view is rebuilt only when the width really changed.
    const measure = () =>
      props.onWidth?.(
        el.clientWidth > 0
          ? Math.max(MIN_VIEW_WIDTH, Math.floor(el.clientWidth / 8) * 8)
          : DEFAULT_VIEW_WIDTH,
      );
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    onCleanup(() => observer.disconnect());
  });
  return (
    <section class={`xpanel ${props.class ?? ''}`} data-testid={props.id} aria-label={props.title}>
      <header class="xpanel-head">
        <h3>{props.title}</h3>
        <div class="xpanel-controls">{props.controls}</div>
        <Show when={props.exportable}>
          <div class="xpanel-export">
            <button type="button" class="small-button" onClick={() => void png()} title="Download as PNG">
              PNG
            </button>
            <button type="button" class="small-button" onClick={svg} title="Download as SVG">
              SVG
            </button>
          </div>
        </Show>
      </header>
      <Show
        when={props.error}
        fallback={
          <Show when={props.note}>
            <p class="xpanel-note muted small">{props.note}</p>
          </Show>
        }
      >
        <p class="xpanel-note xerror small" role="alert">
          {props.error}
        </p>
      </Show>
      <div class="xpanel-body" ref={body}>
        {props.children}
      </div>
    </section>
  );
}

/** Hosts one view node; the caller rebuilds by rendering a new Host (keyed by its inputs). */
export function Host(props: { view: { node: Element; destroy?(): void } }): JSX.Element {
  const v = props.view;
  onCleanup(() => v.destroy?.());
  return <div class="xview">{v.node}</div>;
}

/**
 * A panel's chart: its view (an SVG node) in Host, rebuilt when it changes, inside the div that
 * `ref` receives (for the SVG/PNG export); `fallback` while there is none.
 */
export function ChartHost(props: {
  ref?: HTMLDivElement | ((el: HTMLDivElement) => void);
  view: Element | null | undefined;
  fallback?: JSX.Element;
}): JSX.Element {
  return (
    <div ref={props.ref}>
      <Show when={props.view} keyed fallback={props.fallback}>
        {(v) => <Host view={{ node: v }} />}
      </Show>
    </div>
  );
}

/** An option of a Select: a column name, or a value with its own label. */
export type SelectOption = string | { value: string; label: string };

export function Select(props: {
  label: string;
  value: string;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  /** The "none" choice (value ''), when the select has one. */
  empty?: string;
  testid?: string;
}): JSX.Element {
  const value = (o: SelectOption) => (typeof o === 'string' ? o : o.value);
  return (
    <label class="xfield">
      <span>{props.label}</span>
      <select
        value={props.value}
        data-testid={props.testid}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <Show when={props.empty !== undefined}>
          <option value="">{props.empty}</option>
        </Show>
        <For each={props.options}>
          {(o) => (
            <option value={value(o)} selected={value(o) === props.value}>
              {typeof o === 'string' ? o : o.label}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}

/** The first <svg> under a panel's view, for SVG/PNG export of the SVG views. */
export const svgOf = (host: () => HTMLElement | undefined) => () =>
  (host()?.querySelector('svg') as SVGSVGElement | null) ?? null;
