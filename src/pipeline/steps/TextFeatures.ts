import {
  column,
  type Frame,
  type OutColumn,
  outColumn,
  readLabels,
  rebuild,
  resolveColumns,
  typeOf,
} from '../../core/frame';
import type { ColumnType } from '../../core/types';
import { intData } from '../integers';
import { defineStep } from '../step';

type Params = { columns: string[] | null };
export interface TextFeaturesState {
  columns: string[];
}

const NAME = 'TextFeatures';

const textColumns = (input: Frame) =>
  input.schema.fields.filter((f) => typeOf(input, f.name) === 'text').map((f) => f.name);
const ACCEPTS: readonly ColumnType[] = ['text', 'categorical'];

/** Characters (Unicode code points, not UTF-16 units) and whitespace-separated tokens. */
function measure(text: string): [number, number] {
  let chars = 0;
  for (const _ of text) chars++;
  const trimmed = text.trim();
  return [chars, trimmed === '' ? 0 : trimmed.split(/\s+/u).length];
}

const PY_TEXT_FEATURES = `def text_features(columns, train, test):
    """TextFeatures: <column>_length (characters) and <column>_tokens (whitespace-separated words)."""
    for part in (train, test):
        for c in columns:
            s = part[c].astype(object)
            part[f"{c}_length"] = s.map(lambda v: len(str(v)), na_action="ignore").astype(float)
            part[f"{c}_tokens"] = s.map(lambda v: len(str(v).split()), na_action="ignore").astype(float)
    return train, test`;

export default defineStep<Params, TextFeaturesState>({
  name: NAME,
  kind: 'transform',
  description:
    'Adds the length in characters and the number of words of each text column (<col>_length, <col>_tokens).',
  category: 'Feature extraction',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description: 'Columns to measure; null means every text column.',
    },
  },
  accepts: ACCEPTS,
  defaultColumns: (input) => textColumns(input),
  missing: 'passes-through',
  async fit(input, params) {
    const selected = params.columns ?? textColumns(input);
    const chosen = params.columns === null && selected.length === 0 ? null : selected;
    return { columns: resolveColumns(input, NAME, 'measure', ACCEPTS, chosen) };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'measure', ACCEPTS, state.columns);
    const replace = new Map<string, OutColumn[]>();
    for (const name of state.columns) {
      const vector = column(input, name);
      const { codes, labels } = readLabels(vector);
      const measured = labels.map(measure);
      const length = Float64Array.from(codes, (c) => (c < 0 ? Number.NaN : measured[c]![0]));
      const tokens = Float64Array.from(codes, (c) => (c < 0 ? Number.NaN : measured[c]![1]));
      replace.set(name, [
        { name, type: typeOf(input, name), vector },
        outColumn(`${name}_length`, 'integer', intData(length)),
        outColumn(`${name}_tokens`, 'integer', intData(tokens)),
      ]);
    }
    return rebuild(input, NAME, replace);
  },
  python: (_params, at) => ({
    helpers: [PY_TEXT_FEATURES],
    lines: [`train, test = text_features(${at.columns}, train, test)`],
  }),
});
