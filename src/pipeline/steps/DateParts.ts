import { EngineError } from '../../core/errors';
import {
  column,
  type OutColumn,
  outColumn,
  readNumeric,
  rebuild,
  resolveColumns,
  typeOf,
} from '../../core/frame';
import type { ColumnType } from '../../core/types';
import { intData } from '../integers';
import { py } from '../python';
import { defineStep } from '../step';

const PARTS = [
  'year',
  'quarter',
  'month',
  'day',
  'dayofyear',
  'weekday',
  'hour',
  'minute',
  'second',
] as const;
type Part = (typeof PARTS)[number];
type Params = { columns: string[] | null; parts: string; drop_original: boolean };
export interface DatePartsState {
  columns: string[];
  parts: Part[];
  drop_original: boolean;
}

const NAME = 'DateParts';
const ACCEPTS: readonly ColumnType[] = ['date', 'datetime'];
const DAY_MS = 86_400_000;

/** One calendar part of a UTC timestamp in ms (pandas' .dt accessors; weekday Monday = 0). */
function partOf(ms: number, part: Part): number {
  const d = new Date(ms);
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'dayofyear':
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    case 'weekday':
      return (d.getUTCDay() + 6) % 7;
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'second':
      return d.getUTCSeconds();
  }
}

function parseParts(text: string): Part[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) {
    throw new EngineError(
      'InvalidArgument',
      `${NAME}: parameter "parts" lists no part (choose from ${PARTS.join(', ')}).`,
      {
        param: 'parts',
      },
    );
  }
  for (const p of parts) {
    if (!(PARTS as readonly string[]).includes(p)) {
      throw new EngineError(
        'InvalidArgument',
        `${NAME}: unknown part "${p}" (choose from ${PARTS.join(', ')}).`,
        {
          param: 'parts',
        },
      );
    }
  }
  return [...new Set(parts)] as Part[];
}

const PY_DATE_PARTS = `def date_parts(columns, parts, drop, train, test):
    """DateParts: pandas' .dt accessors (weekday Monday = 0), as <column>_<part> numbers."""
    for part in (train, test):
        for c in columns:
            d = pd.to_datetime(part[c], errors="coerce")
            for p in parts:
                part[f"{c}_{p}"] = getattr(d.dt, p).astype(float)
    if drop:
        train, test = train.drop(columns=columns), test.drop(columns=columns)
    return train, test`;

export default defineStep<Params, DatePartsState>({
  name: NAME,
  kind: 'transform',
  description:
    'Adds calendar parts of date and datetime columns (year, month, day, weekday, hour…) as integer columns.',
  category: 'Feature extraction',
  params: {
    columns: {
      type: 'columns',
      default: null,
      description: 'Columns to split; null means every date and datetime column.',
    },
    parts: {
      type: 'string',
      default: 'year,month,day,weekday',
      maxLength: 200,
      description: `Comma-separated parts: ${PARTS.join(', ')} (weekday: Monday = 0; times in UTC).`,
    },
    drop_original: {
      type: 'boolean',
      default: false,
      description: 'Remove the date column after splitting it.',
    },
  },
  accepts: ACCEPTS,
  missing: 'passes-through',
  async fit(input, params) {
    const columns = resolveColumns(input, NAME, 'split', ACCEPTS, params.columns);
    return { columns, parts: parseParts(params.parts), drop_original: params.drop_original };
  },
  async transform(input, state) {
    resolveColumns(input, NAME, 'split', ACCEPTS, state.columns);
    const replace = new Map<string, OutColumn[]>();
    for (const name of state.columns) {
      const ms = readNumeric(column(input, name));
      const parts = state.parts.map((p) =>
        outColumn(
          `${name}_${p}`,
          'integer',
          intData(ms.map((v) => (Number.isNaN(v) ? Number.NaN : partOf(v, p)))),
        ),
      );
      const original = { name, type: typeOf(input, name), vector: column(input, name) };
      replace.set(name, state.drop_original ? parts : [original, ...parts]);
    }
    return rebuild(input, NAME, replace);
  },
  python: (params, at) => ({
    helpers: [PY_DATE_PARTS],
    lines: [
      `train, test = date_parts(${at.columns}, ${py(parseParts(params.parts))}, ${py(params.drop_original)}, train, test)`,
    ],
  }),
});
