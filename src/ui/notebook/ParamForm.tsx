/**
 * The parameter form of one step, generated from its schema: a field per parameter with the
 * description as help text. Values that do not pass their check stay in the field with a message
 * and are not sent; values equal to the default are dropped from the document by the store.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { ColumnInfo, StepInfo, StepParamInfo } from '../../protocol/api';
import type { ParamValue, StepSpec } from '../../spec/notebook';
import { useNotebook } from './context';
import {
  columnChoices,
  fieldText,
  type ParamInput,
  parseNumberInput,
  parseRangeInput,
  parseStringInput,
} from './params';

interface FieldProps<T extends StepParamInfo> {
  id: string;
  name: string;
  info: T;
  value: ParamValue;
  onValue: (value: ParamValue) => void;
}

export function ParamForm(props: {
  spec: StepSpec;
  info: StepInfo;
  columns: readonly ColumnInfo[];
}): JSX.Element {
  const nb = useNotebook();
  const entries = () => Object.entries(props.info.params);
  // The step's main column list lives in StepSpec.columns (read first by the engine).
  const currentValue = (key: string, info: StepParamInfo): ParamValue => {
    if (info.type === 'columns' && key === 'columns' && props.spec.columns) return [...props.spec.columns];
    const v = props.spec.params[key];
    return v === undefined ? (info.default as ParamValue) : v;
  };
  const setValue = (key: string, info: StepParamInfo, value: ParamValue) => {
    if (info.type === 'columns' && key === 'columns') {
      nb.setColumns(props.spec.id, Array.isArray(value) ? (value as string[]) : null);
    } else nb.setParam(props.spec.id, key, value);
  };
  return (
    <div class="param-form">
      <For each={entries()} fallback={<p class="muted small">This step has no parameters.</p>}>
        {([key, info]) => {
          const common = {
            id: `param-${props.spec.id}-${key}`,
            name: key,
            get value() {
              return currentValue(key, info);
            },
            onValue: (v: ParamValue) => setValue(key, info, v),
          };
          return (
            <div class="param" data-param={key}>
              {info.type === 'boolean' ? (
                <BooleanField {...common} info={info} />
              ) : info.type === 'enum' ? (
                <EnumField {...common} info={info} />
              ) : info.type === 'columns' ? (
                <ColumnsField
                  {...common}
                  info={info}
                  choices={columnChoices(props.columns, props.info.accepts)}
                />
              ) : info.type === 'range' ? (
                <RangeField {...common} info={info} />
              ) : info.type === 'string' ? (
                <TextField {...common} info={info} parse={(t) => parseStringInput(info, t)} />
              ) : (
                <TextField {...common} info={info} numeric parse={(t) => parseNumberInput(info, t)} />
              )}
              <p class="param-help small muted" id={`${common.id}-help`}>
                {info.description}
              </p>
            </div>
          );
        }}
      </For>
    </div>
  );
}

function Label(props: { for?: string; name: string }): JSX.Element {
  return (
    <label class="param-name" for={props.for}>
      {props.name}
    </label>
  );
}

function Invalid(props: { id: string; message: string | null }): JSX.Element {
  return (
    <Show when={props.message}>
      {(m) => (
        <p class="param-invalid small" id={`${props.id}-error`} role="alert">
          {m()}
        </p>
      )}
    </Show>
  );
}

/** A text or number field: typed text stays until it parses; outside edits (undo) replace it. */
function TextField(
  props: FieldProps<StepParamInfo> & { numeric?: boolean; parse: (text: string) => ParamInput },
): JSX.Element {
  const [text, setText] = createSignal(fieldText(props.value));
  const [error, setError] = createSignal<string | null>(null);
  createEffect(
    on(
      () => props.value,
      (v) => {
        setText(fieldText(v));
        setError(null);
      },
      { defer: true },
    ),
  );
  const limits = () => props.info as { min?: number; max?: number };
  return (
    <>
      <Label for={props.id} name={props.name} />
      <input
        id={props.id}
        class="input param-input"
        classList={{ invalid: error() !== null }}
        type={props.numeric ? 'number' : 'text'}
        step={props.numeric ? (props.info.type === 'integer' ? 1 : 'any') : undefined}
        min={props.numeric ? limits().min : undefined}
        max={props.numeric ? limits().max : undefined}
        placeholder={props.info.default === null ? 'null (default)' : undefined}
        value={text()}
        aria-invalid={error() !== null}
        aria-describedby={`${props.id}-help`}
        onInput={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const parsed = props.parse(t);
          if (parsed.ok) {
            setError(null);
            props.onValue(parsed.value);
          } else setError(parsed.message);
        }}
      />
      <Invalid id={props.id} message={error()} />
    </>
  );
}

function BooleanField(props: FieldProps<Extract<StepParamInfo, { type: 'boolean' }>>): JSX.Element {
  return (
    <ParamCheck
      id={props.id}
      name={props.name}
      checked={props.value === true}
      describedBy={`${props.id}-help`}
      onValue={(v) => props.onValue(v)}
    />
  );
}

/** A boolean parameter (of a step here, of a model in the Train tab): a labelled checkbox. */
export function ParamCheck(props: {
  id: string;
  name: string;
  checked: boolean;
  describedBy?: string;
  onValue: (checked: boolean) => void;
}): JSX.Element {
  return (
    <label class="param-check" for={props.id}>
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onValue(e.currentTarget.checked)}
      />
      <span class="param-name">{props.name}</span>
    </label>
  );
}

/**
 * The option that stands for null. Not "\u0000null": Solid writes a static option value into its
 * HTML template, where the parser turns U+0000 into U+FFFD, so the select's value never matched
 * and a null-default enum (OneHotEncoder's drop) showed a blank box.
 */
const NULL_OPTION = '__null__';

function EnumField(props: FieldProps<Extract<StepParamInfo, { type: 'enum' }>>): JSX.Element {
  return (
    <>
      <Label for={props.id} name={props.name} />
      <select
        id={props.id}
        class="input param-input"
        value={props.value === null ? NULL_OPTION : String(props.value)}
        aria-describedby={`${props.id}-help`}
        onChange={(e) => {
          const v = e.currentTarget.value;
          props.onValue(v === NULL_OPTION ? null : v);
        }}
      >
        <Show when={props.info.default === null}>
          <option value={NULL_OPTION}>null (default)</option>
        </Show>
        <For each={props.info.options}>{(o) => <option value={o}>{o}</option>}</For>
      </select>
    </>
  );
}

function RangeField(props: FieldProps<Extract<StepParamInfo, { type: 'range' }>>): JSX.Element {
  const pair = () => (Array.isArray(props.value) ? props.value : [...props.info.default]) as number[];
  const [low, setLow] = createSignal(String(pair()[0]));
  const [high, setHigh] = createSignal(String(pair()[1]));
  const [error, setError] = createSignal<string | null>(null);
  createEffect(
    on(
      () => props.value,
      () => {
        setLow(String(pair()[0]));
        setHigh(String(pair()[1]));
        setError(null);
      },
      { defer: true },
    ),
  );
  const update = () => {
    const parsed = parseRangeInput(props.info, low(), high());
    if (parsed.ok) {
      setError(null);
      props.onValue(parsed.value);
    } else setError(parsed.message);
  };
  return (
    <>
      <Label for={`${props.id}-low`} name={props.name} />
      <span class="param-range">
        <input
          id={`${props.id}-low`}
          class="input param-input"
          type="number"
          step="any"
          aria-label={`${props.name} low`}
          value={low()}
          onInput={(e) => {
            setLow(e.currentTarget.value);
            update();
          }}
        />
        <span class="muted">to</span>
        <input
          class="input param-input"
          type="number"
          step="any"
          aria-label={`${props.name} high`}
          value={high()}
          onInput={(e) => {
            setHigh(e.currentTarget.value);
            update();
          }}
        />
      </span>
      <Invalid id={props.id} message={error()} />
    </>
  );
}

/** Checkboxes over the columns the step accepts; none checked means the step's default choice. */
function ColumnsField(
  props: FieldProps<Extract<StepParamInfo, { type: 'columns' }>> & { choices: string[] },
): JSX.Element {
  const chosen = () => new Set(Array.isArray(props.value) ? (props.value as string[]) : []);
  const toggle = (name: string, on: boolean) => {
    const set = chosen();
    if (on) set.add(name);
    else set.delete(name);
    // Keep table order, so the document does not depend on click order.
    const list = props.choices.filter((c) => set.has(c));
    props.onValue(list.length > 0 ? list : props.info.default === null ? null : []);
  };
  return (
    <fieldset class="param-columns" aria-describedby={`${props.id}-help`}>
      <legend class="param-name">
        {props.name}{' '}
        <span class="muted small">{chosen().size === 0 ? '(default)' : `(${chosen().size} chosen)`}</span>
      </legend>
      <Show
        when={props.choices.length > 0}
        fallback={<p class="muted small">No column of a type this step accepts.</p>}
      >
        <div class="param-column-list">
          <For each={props.choices}>
            {(name) => (
              <label class="param-check">
                <input
                  type="checkbox"
                  checked={chosen().has(name)}
                  onChange={(e) => toggle(name, e.currentTarget.checked)}
                />
                <span class="param-column-name" title={name}>
                  {name}
                </span>
              </label>
            )}
          </For>
        </div>
      </Show>
    </fieldset>
  );
}
