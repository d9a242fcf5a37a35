/**
 * A labelled <select> as the forms lay it out: `<label class="train-field"><span>Label</span>
 * <select class="input">…</select></label>`. The options are the children; `onPick` gets the chosen
 * option's value.
 */
import { createEffect, type JSX } from 'solid-js';

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
  let select: HTMLSelectElement | undefined;
  // Set after the options are in, and only when given: binding `value={undefined}` emptied a
  // select whose options mark the choice with `selected` (Prototype's partial-dependence Feature
  // and "Probability of" showed blank boxes).
  createEffect(() => {
    const value = props.value;
    if (select && value !== undefined) select.value = value;
  });
  return (
    <label class={props.class ?? 'train-field'}>
      <span>{props.label}</span>
      <select
        ref={select}
        class={props.selectClass ? `input ${props.selectClass}` : 'input'}
        data-testid={props.testid}
        disabled={props.disabled}
        onChange={(e) => props.onPick(e.currentTarget.value)}
      >
        {props.children}
      </select>
    </label>
  );
}
