/**
 * The error slices of a run, worst first: each with its size, its error rate or mean absolute
 * error with a 95% interval drawn against the rest of the rows, and its adjusted p-value. Clicking
 * one lists its rows and selects them in the Explore and Data views.
 */
import { type Accessor, createSignal, For, type JSX, Show } from 'solid-js';
import type { ErrorAnalysisResult, ErrorSlice } from '../../protocol/api';
import { copy } from '../../state/plain';
import type { TrainRun } from '../../state/train';
import { formatCount } from '../format';
import { pValue } from './error-format';
import { type ErrorsContext, selectErrorRows } from './errors-context';

const SLICES_SHOWN = 8;

/** The slice's interval as a bar, its value as a dot and the rest's value as a tick, on one scale. */
function CiBar(props: { slice: ErrorSlice; max: number; format: (v: number) => string }): JSX.Element {
  const W = 150;
  const x = (v: number) => Math.max(0, Math.min(W, (v / props.max) * W));
  const s = () => props.slice;
  return (
    <svg
      class="ci-bar"
      classList={{ muted: !s().significant }}
      width={W}
      height="14"
      viewBox={`0 0 ${W} 14`}
      role="img"
      aria-label={`${props.format(s().value)}, 95% interval ${props.format(s().ciLow)} to ${props.format(s().ciHigh)}; rest ${props.format(s().rest)}`}
    >
      <rect class="ci-track" x="0" y="6" width={W} height="2" />
      <rect
        class="ci-range"
        x={x(s().ciLow)}
        y="3"
        width={Math.max(2, x(s().ciHigh) - x(s().ciLow))}
        height="8"
        rx="2"
      />
      <line class="ci-rest" x1={x(s().rest)} x2={x(s().rest)} y1="0" y2="14" />
      <circle class="ci-value" cx={x(s().value)} cy="7" r="3" />
    </svg>
  );
}

function SliceRow(props: {
  slice: ErrorSlice;
  index: number;
  picked: boolean;
  max: number;
  format: (v: number) => string;
  onPick: () => void;
}): JSX.Element {
  const s = () => props.slice;
  return (
    <tr
      data-slice={props.index}
      classList={{ selected: props.picked, insignificant: !s().significant }}
      title={s().sentence}
      onClick={() => props.onPick()}
    >
      <th scope="row">
        <button
          type="button"
          class="link-button"
          data-testid="slice-button"
          onClick={(e) => {
            e.stopPropagation();
            props.onPick();
          }}
        >
          {s().description}
        </button>
      </th>
      <td class="num" data-testid="slice-size">
        {formatCount(s().size)}
      </td>
      <td class="num">
        {props.format(s().value)}{' '}
        <span class="muted small">
          [{props.format(s().ciLow)}, {props.format(s().ciHigh)}]
        </span>
      </td>
      <td>
        <CiBar slice={s()} max={props.max} format={props.format} />
      </td>
      <td class="num">{props.format(s().rest)}</td>
      <td class="num">
        {s().significant ? pValue(s().qValue) : <span class="muted">{pValue(s().qValue)}</span>}
      </td>
    </tr>
  );
}

export function SlicesTable(props: {
  ctx: ErrorsContext;
  run: TrainRun;
  result: ErrorAnalysisResult;
  format: (v: number) => string;
  picked: Accessor<NonNullable<ErrorsContext['errors']['state']['picked']> | null>;
}): JSX.Element {
  const r = () => props.result;
  const classification = () => r().task === 'classification';
  const [allSlices, setAllSlices] = createSignal(false);
  const shownSlices = () => r().slices.slice(0, allSlices() ? undefined : SLICES_SHOWN);
  const scaleMax = () =>
    Math.max(1e-9, r().overall.ciHigh, ...shownSlices().flatMap((s) => [s.ciHigh, s.rest, s.value]));
  const pickSlice = (s: ErrorSlice) =>
    void selectErrorRows(
      props.ctx,
      props.run.id,
      { kind: 'slice', conditions: copy(s.conditions) },
      s.description,
    );
  const isPicked = (s: ErrorSlice) => {
    const p = props.picked();
    return p?.query.kind === 'slice' && p.label === s.description;
  };
  return (
    <Show
      when={r().slices.length > 0}
      fallback={<p class="muted small">No slice is worse than the rest of the rows.</p>}
    >
      <div class="runs-scroll">
        <table class="runs-table errors-slices" data-testid="error-slices">
          <caption class="small muted">
            Worst slices first: {classification() ? 'error rate' : 'mean absolute error'} with its 95%
            interval ({classification() ? 'Wilson' : 'Student t'}), the tick is the rest of the rows. Click a
            slice to list and select its rows.
          </caption>
          <thead>
            <tr>
              <th scope="col">slice</th>
              <th scope="col" class="num">
                rows
              </th>
              <th scope="col" class="num">
                {classification() ? 'error' : 'MAE'}
              </th>
              <th scope="col">95% interval · rest</th>
              <th scope="col" class="num">
                rest
              </th>
              <th scope="col" class="num" title="Benjamini–Hochberg adjusted p-value, slice vs rest">
                q
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={shownSlices()}>
              {(s, i) => (
                <SliceRow
                  slice={s}
                  index={i()}
                  picked={isPicked(s)}
                  max={scaleMax()}
                  format={props.format}
                  onPick={() => pickSlice(s)}
                />
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={r().slices.length > SLICES_SHOWN}>
        <button type="button" class="small-button" onClick={() => setAllSlices(!allSlices())}>
          {allSlices() ? 'Show fewer slices' : `Show all ${r().slices.length} slices`}
        </button>
      </Show>
    </Show>
  );
}
