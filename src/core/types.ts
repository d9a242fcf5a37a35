/**
 * Column types as the user sees them. Each maps to one Arrow type (see `arrowTypeFor`); the
 * logical type is kept in the Arrow field's metadata under `benchtop.type` so that it survives
 * IPC round trips to the UI and back.
 */
export const COLUMN_TYPES = [
  'integer',
  'float',
  'boolean',
  'date',
  'datetime',
  'categorical',
  'text',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const TYPE_METADATA_KEY = 'benchtop.type';
/** Field metadata of a 0/1 indicator column an encoder made (its step name, e.g. OneHotEncoder):
 * scalers leave such columns alone unless they are chosen explicitly. */
export const ENCODED_BY_METADATA_KEY = 'benchtop.encoded_by';

/** The types a model reads as numbers directly; other columns must be encoded first. */
export const FEATURE_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>(['integer', 'float', 'boolean']);

/** The strings read as "missing" unless the user configures otherwise (pandas' na_values, trimmed). */
export const DEFAULT_MISSING_MARKERS: readonly string[] = [
  '',
  'NA',
  'N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  'None',
  '?',
];

/**
 * Text whose values repeat — labels the reader left as text (a country per row of a panel), not
 * prose: each value is used at least twice on average and values are short. Quality advice and
 * standard preprocessing both read a text column as categories by this one rule.
 */
export function isRepeatedLabels(distinct: number, present: number, meanLength: number): boolean {
  return distinct * 2 <= present && meanLength <= 40;
}

/** A column named like an identifier: "id", "ID", "user_id", "id_str", "Patient.ID". */
export function isIdName(name: string): boolean {
  return /(^|[_\s.-])id$|^id([_\s.-]|$)/i.test(name);
}

export function isColumnType(value: unknown): value is ColumnType {
  return typeof value === 'string' && (COLUMN_TYPES as readonly string[]).includes(value);
}

/**
 * Five-number summary of one group of values, whiskers at Tukey's 1.5·IQR fences: what the
 * worker's grouped distributions compute and the box plot draws.
 */
export interface BoxSummary {
  label: string;
  n: number;
  q1: number;
  median: number;
  q3: number;
  whiskerLo: number;
  whiskerHi: number;
}
