/**
 * A labelled <select> as the forms lay it out: `<label class="train-field"><span>Label</span>
 * <select class="input">…</select></label>`. The options are the children; `onPick` gets the chosen
 * option's value.
 */
import type { JSX } from 'solid-js';

export function SelectField(props: {
  label: string;
  onPick: (value: string) => void;
  value?: string;
  disabled?: boolean;
  testid?: string;
  /** The label's class: the row it sits in styles it. */
  class?: 'train-field' | 'export-field';
  /** Classes on the select besides `input`. */
  selectClass?: string;
  children: JSX.Element;
}): JSX.Element {
  return (
    <label class={props.class ?? 'train-field'}>
      <span>{props.label}</span>
      <select
        class={props.selectClass ? `input ${props.selectClass}` : 'input'}
        data-testid={props.testid}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onPick(e.currentTarget.value)}
      >
        {props.children}
      </select>
    </label>
  );
}
