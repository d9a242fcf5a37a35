/**
 * A model's parameter form, generated from its schema (sklearn names and defaults), with the
 * notebook form's parsing rules: a value that does not parse stays in the field with a message.
 */
import { createSignal, For, type JSX, Show } from 'solid-js';
import type { ModelInfo, StepParamInfo, TrainParamValue } from '../../protocol/api';
import { ParamCheck } from '../notebook/ParamForm';
import { fieldText, parseNumberInput, parseStringInput } from '../notebook/params';

export function ModelParams(props: {
  idPrefix: string;
  info: ModelInfo;
  values: Record<string, TrainParamValue>;
  onValue: (key: string, value: TrainParamValue) => void;
}): JSX.Element {
  const entries = () => Object.entries(props.info.params);
  return (
    <div class="train-params">
      <For each={entries()} fallback={<p class="muted small">No parameters.</p>}>
        {([key, info]) => {
          const id = `${props.idPrefix}-${key}`;
          const value = () =>
            props.values[key] === undefined ? (info.default as TrainParamValue) : props.values[key]!;
          return (
            <div class="train-param" data-param={key} title={info.description}>
              <Field id={id} name={key} info={info} value={value()} onValue={(v) => props.onValue(key, v)} />
            </div>
          );
        }}
      </For>
    </div>
  );
}

function Field(props: {
  id: string;
  name: string;
  info: StepParamInfo;
  value: TrainParamValue;
  onValue: (v: TrainParamValue) => void;
}): JSX.Element {
  const [error, setError] = createSignal<string | null>(null);
  const info = props.info;
  if (info.type === 'boolean') {
    return (
      <ParamCheck
        id={props.id}
        name={props.name}
        checked={props.value === true}
        onValue={(v) => props.onValue(v)}
      />
    );
  }
  if (info.type === 'enum') {
    return (
      <>
        <label class="param-name" for={props.id}>
          {props.name}
        </label>
        <select
          id={props.id}
          class="input param-input"
          value={props.value === null ? '' : String(props.value)}
          onChange={(e) => props.onValue(e.currentTarget.value === '' ? null : e.currentTarget.value)}
        >
          <Show when={info.default === null}>
            <option value="">null (default)</option>
          </Show>
          <For each={info.options}>{(o) => <option value={o}>{o}</option>}</For>
        </select>
      </>
    );
  }
  const numeric = info.type === 'number' || info.type === 'integer';
  return (
    <>
      <label class="param-name" for={props.id}>
        {props.name}
      </label>
      <input
        id={props.id}
        class="input param-input"
        classList={{ invalid: error() !== null }}
        type={numeric ? 'number' : 'text'}
        step={info.type === 'integer' ? 1 : 'any'}
        placeholder={info.default === null ? 'null (default)' : undefined}
        value={fieldText(props.value as never)}
        aria-invalid={error() !== null}
        onInput={(e) => {
          const t = e.currentTarget.value;
          const parsed =
            info.type === 'number' || info.type === 'integer'
              ? parseNumberInput(info, t)
              : info.type === 'string'
                ? parseStringInput(info, t)
                : { ok: false as const, message: 'Not editable here.' };
          if (parsed.ok) {
            setError(null);
            props.onValue(parsed.value as TrainParamValue);
          } else setError(parsed.message);
        }}
      />
      <Show when={error()}>
        {(m) => (
          <p class="param-invalid small" role="alert">
            {m()}
          </p>
        )}
      </Show>
    </>
  );
}
