/**
 * Hyper-parameter search: an sklearn-style grid (comma-separated values per parameter) over the
 * Train tab's split and seed, results sorted by score with CIs, and score against each parameter.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type {
  ModelInfo,
  StepParamInfo,
  TrainParamValue,
  TuneCandidate,
  TuneResult,
} from '../../protocol/api';
import { ci, duration, meanStd, metricName, paramsText } from '../../report/format';
import type { TrainStore } from '../../state/train';
import { lines } from '../../viz/lines';
import { SelectField } from '../SelectField';
import { Chart } from './Chart';

/** "0.1, 1, 10" → [0.1, 1, 10], checked against the parameter's schema. */
export function parseGridValues(info: StepParamInfo, text: string): TrainParamValue[] | string {
  const parts = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (parts.length === 0) return [];
  const out: TrainParamValue[] = [];
  for (const p of parts) {
    if (info.type === 'number' || info.type === 'integer') {
      const v = p === 'null' && info.default === null ? null : Number(p);
      if (v !== null && !Number.isFinite(v)) return `"${p}" is not a number.`;
      if (v !== null && info.type === 'integer' && !Number.isInteger(v))
        return `"${p}" is not a whole number.`;
      if (v !== null && info.min !== undefined && v < info.min) return `${p} is below ${info.min}.`;
      if (v !== null && info.max !== undefined && v > info.max) return `${p} is above ${info.max}.`;
      out.push(v);
    } else if (info.type === 'boolean') {
      if (p !== 'true' && p !== 'false') return `"${p}" is not true or false.`;
      out.push(p === 'true');
    } else if (info.type === 'enum') {
      if (!info.options.includes(p)) return `"${p}" is not one of ${info.options.join(', ')}.`;
      out.push(p);
    } else if (info.type === 'string') out.push(p);
    else return 'This parameter cannot be searched.';
  }
  return out;
}

function gridText(values: readonly TrainParamValue[] | undefined): string {
  return values ? values.map((v) => String(v)).join(', ') : '';
}

/** Best score at each value of one parameter (over the other parameters), for the chart. */
export function scoreByParam(candidates: readonly TuneCandidate[], key: string, higherIsBetter: boolean) {
  const best = new Map<number, TuneCandidate>();
  for (const c of candidates) {
    const v = c.params[key];
    if (typeof v !== 'number') continue;
    const prev = best.get(v);
    const better =
      !prev || (higherIsBetter ? c.score.mean > prev.score.mean : c.score.mean < prev.score.mean);
    if (better) best.set(v, c);
  }
  const xs = [...best.keys()].sort((a, b) => a - b);
  return {
    x: xs,
    y: xs.map((v) => best.get(v)!.score.mean),
    low: xs.map((v) => best.get(v)!.score.ciLow),
    high: xs.map((v) => best.get(v)!.score.ciHigh),
  };
}

export function TunePanel(props: { store: TrainStore }): JSX.Element {
  const store = props.store;
  const tune = () => store.state.settings.tune;
  const model = () =>
    tune()?.model ?? store.state.settings.models[0]?.name ?? store.modelChoices()[0]?.name ?? '';
  const info = (): ModelInfo | undefined => store.modelInfo(model());
  // What the user typed, per parameter, so re-rendering the parsed grid never rewrites a field
  // mid-typing ("0.1," stays "0.1,"); cleared when the model changes.
  const [drafts, setDrafts] = createSignal<Record<string, string>>({});
  const result = () => store.state.tune;
  // Parameter names (strings), so the fields keep their DOM — and focus — while the grid changes.
  const searchable = () =>
    Object.entries(info()?.params ?? {})
      .filter(([, p]) => p.type !== 'columns' && p.type !== 'range')
      .map(([key]) => key);

  /** Parses a field as it is typed: a valid list goes into the grid at once, a bad one out of it. */
  const setValues = (key: string, text: string) => {
    const p = info()?.params[key];
    if (!p) return;
    setDrafts({ ...drafts(), [key]: text });
    const parsed = parseGridValues(p, text);
    const grid = { ...(tune()?.model === model() ? (tune()?.grid ?? {}) : {}) } as Record<
      string,
      TrainParamValue[]
    >;
    if (typeof parsed === 'string' || parsed.length === 0) delete grid[key];
    else grid[key] = parsed;
    store.setTuneGrid(model(), grid);
  };
  /** A typed text and what it parses to, while it still says what the grid holds (a link or
   * another dataset's settings replace it). */
  const draftOf = (key: string): { text: string; parsed: TrainParamValue[] | string } | null => {
    const values = (tune()?.model === model() ? tune()?.grid[key] : undefined) as
      | TrainParamValue[]
      | undefined;
    const text = drafts()[key];
    const p = info()?.params[key];
    if (text === undefined || !p) return null;
    const parsed = parseGridValues(p, text);
    const holds =
      typeof parsed === 'string' || parsed.length === 0
        ? values === undefined
        : JSON.stringify(parsed) === JSON.stringify(values);
    return holds ? { text, parsed } : null;
  };
  const fieldText = (key: string) =>
    draftOf(key)?.text ??
    gridText((tune()?.model === model() ? tune()?.grid[key] : undefined) as TrainParamValue[]);
  const errorOf = (key: string): string | undefined => {
    const parsed = draftOf(key)?.parsed;
    return typeof parsed === 'string' ? parsed : undefined;
  };
  const anyError = () => searchable().some((key) => errorOf(key) !== undefined);

  const combos = () => Object.values(tune()?.grid ?? {}).reduce((n, v) => n * (v as unknown[]).length, 1);

  return (
    <section class="train-section" aria-labelledby="tune-title" data-testid="tune-panel">
      <h2 id="tune-title" class="train-h2">
        Tuning <span class="muted small">grid search with the split above</span>
      </h2>
      <div class="train-row">
        <SelectField
          label="Model"
          testid="tune-model"
          value={model()}
          onPick={(value) => {
            setDrafts({});
            store.setTuneGrid(value, {});
          }}
        >
          <For each={store.modelChoices()}>{(m) => <option value={m.name}>{m.name}</option>}</For>
        </SelectField>
      </div>
      <div class="tune-grid">
        <For each={searchable()}>
          {(key) => (
            <label class="train-field tune-param" title={info()?.params[key]?.description}>
              <span>
                {key} <span class="muted small">default {String(info()?.params[key]?.default)}</span>
              </span>
              <input
                class="input"
                data-tune-param={key}
                placeholder="values, comma-separated"
                value={fieldText(key)}
                onInput={(e) => setValues(key, e.currentTarget.value)}
                aria-invalid={errorOf(key) !== undefined}
              />
              <Show when={errorOf(key)}>
                <span class="param-invalid small" role="alert">
                  {errorOf(key)}
                </span>
              </Show>
            </label>
          )}
        </For>
      </div>
      <div class="train-actions">
        <button
          type="button"
          class="button primary"
          data-testid="tune-button"
          disabled={store.running() || !tune() || tune()?.model !== model() || combos() < 2 || anyError()}
          onClick={() => store.tune()}
        >
          Search {combos() > 1 ? `${combos()} combinations` : 'grid'}
        </button>
      </div>
      <Show when={result()}>{(r) => <TuneResults result={r()} />}</Show>
    </section>
  );
}

/** The search's candidates sorted by score with CIs, and the score against each numeric parameter. */
function TuneResults(props: { result: TuneResult }): JSX.Element {
  return (
    <div class="tune-results">
      <table class="runs-table" data-testid="tune-table">
        <thead>
          <tr>
            <th scope="col">rank</th>
            <th scope="col">parameters</th>
            <th scope="col" class="num">
              {metricName(props.result.metric)} <span class="muted small">mean ± std [95% CI]</span>
            </th>
            <th scope="col" class="num">
              time
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.result.candidates}>
            {(c) => (
              <tr classList={{ best: c.rank === 1 }}>
                <td>{c.rank}</td>
                <td class="small">{paramsText(c.params)}</td>
                <td class="num">
                  {meanStd(c.score)} <span class="muted small">{ci(c.score, props.result.metric)}</span>
                </td>
                <td class="num small">{duration(c.fitMs)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="chart-row">
        <For
          each={Object.keys(props.result.candidates[0]?.params ?? {}).filter(
            (k) => typeof props.result.candidates[0]?.params[k] === 'number',
          )}
        >
          {(key) => (
            <Chart
              label={`tune-${key}`}
              render={() => {
                const s = scoreByParam(props.result.candidates, key, props.result.higherIsBetter);
                const positive = s.x.every((v) => v > 0);
                const spread = positive && s.x.length > 2 && s.x.at(-1)! / s.x[0]! >= 100;
                return lines([{ label: metricName(props.result.metric), ...s, markers: true }], {
                  xLabel: key,
                  yLabel: metricName(props.result.metric),
                  xLog: spread,
                  width: 320,
                  height: 220,
                  theme: 'auto',
                  title: `${metricName(props.result.metric)} against ${key}`,
                });
              }}
            />
          )}
        </For>
      </div>
    </div>
  );
}
