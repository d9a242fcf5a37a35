/** Mounts a pure viz view (a function returning an SVG element) and re-renders it when its inputs change. */
import { createEffect, type JSX, onCleanup } from 'solid-js';

export function Chart(props: { render: () => Element | null; class?: string; label?: string }): JSX.Element {
  let host!: HTMLDivElement;
  createEffect(() => {
    const node = props.render();
    host.replaceChildren(...(node ? [node] : []));
  });
  onCleanup(() => host?.replaceChildren());
  return <div class={`chart ${props.class ?? ''}`} ref={host} data-chart={props.label} />;
}
