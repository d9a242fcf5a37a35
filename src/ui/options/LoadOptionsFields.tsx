/** Delimiter / header / encoding overrides, shared by "Add data" and "Reload with options". */
import { For, type JSX } from 'solid-js';
import type { LoadOptions, LoadReport } from '../../protocol/api';

type Encoding = NonNullable<LoadOptions['encoding']>;

/** '' means "detect". */
export interface LoadChoice {
  delimiter: string;
  header: '' | 'yes' | 'no';
  encoding: '' | Encoding;
}

export const DETECT_ALL: LoadChoice = { delimiter: '', header: '', encoding: '' };

const DELIMITERS: { value: string; label: string }[] = [
  { value: '', label: 'Detect' },
  { value: ',', label: 'Comma ,' },
  { value: '\t', label: 'Tab' },
  { value: ';', label: 'Semicolon ;' },
  { value: '|', label: 'Pipe |' },
  { value: ' ', label: 'Space' },
];

const ENCODINGS: { value: '' | Encoding; label: string }[] = [
  { value: '', label: 'Detect' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'latin1', label: 'Latin-1' },
  { value: 'utf-16le', label: 'UTF-16 LE' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
];

/** Only the overrides the user chose; the engine detects everything else. */
export function toLoadOptions(choice: LoadChoice): LoadOptions | undefined {
  const o: LoadOptions = {};
  if (choice.delimiter) o.delimiter = choice.delimiter;
  if (choice.header) o.header = choice.header === 'yes';
  if (choice.encoding) o.encoding = choice.encoding;
  return Object.keys(o).length > 0 ? o : undefined;
}

/** What the engine detected last time, as a starting point for overrides. */
export function choiceFromReport(report: LoadReport): LoadChoice {
  const delimiter = DELIMITERS.some((d) => d.value === report.delimiter) ? (report.delimiter ?? '') : '';
  const encoding = ENCODINGS.find((e) => e.value === report.encoding?.toLowerCase())?.value ?? '';
  const header = report.header === undefined ? '' : report.header ? 'yes' : 'no';
  return { delimiter, header, encoding };
}

export function LoadOptionsFields(props: {
  idPrefix: string;
  value: LoadChoice;
  onChange: (next: LoadChoice) => void;
}): JSX.Element {
  const set = (patch: Partial<LoadChoice>) => props.onChange({ ...props.value, ...patch });
  return (
    <div class="options-grid small">
      <label for={`${props.idPrefix}-delimiter`}>Delimiter</label>
      <select
        id={`${props.idPrefix}-delimiter`}
        class="input"
        onChange={(e) => set({ delimiter: e.currentTarget.value })}
      >
        <For each={DELIMITERS}>
          {(d) => (
            <option value={d.value} selected={d.value === props.value.delimiter}>
              {d.label}
            </option>
          )}
        </For>
      </select>
      <label for={`${props.idPrefix}-header`}>Header row</label>
      <select
        id={`${props.idPrefix}-header`}
        class="input"
        onChange={(e) => set({ header: e.currentTarget.value as LoadChoice['header'] })}
      >
        <option value="" selected={props.value.header === ''}>
          Detect
        </option>
        <option value="yes" selected={props.value.header === 'yes'}>
          Yes
        </option>
        <option value="no" selected={props.value.header === 'no'}>
          No
        </option>
      </select>
      <label for={`${props.idPrefix}-encoding`}>Encoding</label>
      <select
        id={`${props.idPrefix}-encoding`}
        class="input"
        onChange={(e) => set({ encoding: e.currentTarget.value as LoadChoice['encoding'] })}
      >
        <For each={ENCODINGS}>
          {(enc) => (
            <option value={enc.value} selected={enc.value === props.value.encoding}>
              {enc.label}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
