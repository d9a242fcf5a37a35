/**
 * Building blocks of the Explore tab: a panel with PNG/SVG export, and a host that mounts a d3
 * view (from src/viz) and destroys it when it is replaced or unmounted.
 */
import { type JSX, onCleanup, Show } from 'solid-js';
import { downloadBlob, svgToBlob, svgToPngBlob } from '../../viz';

/** What a panel can export: an SVG element, and a PNG maker for canvas views. */
export interface Exportable {
  svg(): SVGSVGElement | null;
  png?(): Promise<Blob>;
}

export function Panel(props: {
  id: string;
  title: string;
  controls?: JSX.Element;
  note?: JSX.Element;
  exportable?: Exportable;
  children: JSX.Element;
  class?: string;
}): JSX.Element {
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
      <Show when={props.note}>
        <p class="xpanel-note muted small">{props.note}</p>
      </Show>
      <div class="xpanel-body">{props.children}</div>
    </section>
  );
}

/** Hosts one view node; the caller rebuilds by rendering a new Host (keyed by its inputs). */
export function Host(props: { view: { node: Element; destroy?(): void } }): JSX.Element {
  const v = props.view;
  onCleanup(() => v.destroy?.());
  return <div class="xview">{v.node}</div>;
}

export function Select(props: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  empty?: string;
  testid?: string;
}): JSX.Element {
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
        {props.options.map((o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
