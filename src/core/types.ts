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
