/**
 * The data half of the Python export: read the file in the format the data came from (CSV/TSV,
 * JSON, NDJSON; Parquet and Arrow through pandas when pyarrow or fastparquet is installed, else
 * the script says so), with Benchtop's missing markers, then give every column the type Benchtop
 * gave it (numbers, labels, dates), so both read the same values.
 */
import type { Table } from 'apache-arrow';
import { logicalType } from '../core/frame';
import { DEFAULT_MISSING_MARKERS } from '../core/types';
import { DATE_FORMAT_METADATA_KEY, ISO_DATE_FORMAT, ISO_DATETIME_FORMAT } from '../io/dates';
import type { DataFormat, LoadReport } from '../io/types';
import { PY_AS_LABEL, py } from '../pipeline/python';

/** Where the script's data comes from: the dataset's format as loaded. */
export interface PythonSource {
  format: DataFormat;
  /** CSV/TSV field delimiter (',' when absent). */
  delimiter?: string;
  /** CSV decimal mark ('.' when absent; ',' for "10,75"). */
  decimal?: string;
  encoding?: string;
  /** Strings read as missing (DEFAULT_MISSING_MARKERS when absent). */
  missingMarkers?: readonly string[];
}

/** Formats pandas reads only through pyarrow or fastparquet (neither is in Debian's python3-pandas). */
export const NEEDS_PYARROW: readonly DataFormat[] = ['parquet', 'arrow'];

export const PY_READ_DATA = `def read_data(path):
    """The file in the format Benchtop loaded it from, with Benchtop's missing markers."""
    if FORMAT == "csv":
        labels = [c for c, kind in INPUT_TYPES.items() if kind in ("categorical", "text", "boolean")]
        # round_trip: numbers parsed exactly as Benchtop (and Python's float) parse them.
        return pd.read_csv(path, sep=DELIMITER, decimal=DECIMAL, encoding=ENCODING, na_values=MISSING,
                           keep_default_na=False, dtype={c: str for c in labels}, float_precision="round_trip")
    if FORMAT in ("json", "ndjson"):
        with open(path, encoding=ENCODING) as f:
            if FORMAT == "ndjson":
                records = [json.loads(line) for line in f if line.strip()]
            else:
                doc = json.load(f)
                # A document of several arrays: its largest array of records.
                arrays = [v for v in doc.values() if isinstance(v, list)] if isinstance(doc, dict) else [doc]
                records = max(arrays, key=len) if arrays else [doc]
        df = pd.json_normalize(records)
        return df.apply(lambda s: s.mask(s.isin(MISSING)) if s.dtype == object else s)
    for module in ("pyarrow", "fastparquet"):
        try:
            __import__(module)
            break
        except ImportError:
            pass
    else:
        sys.exit(f"This dataset came from a {FORMAT} file: pandas reads it with pyarrow or fastparquet, and "
                 "neither is installed (pip install pyarrow). Or export the data as CSV from Benchtop "
                 "and pass that file instead.")
    if FORMAT == "parquet":
        return pd.read_parquet(path)
    import pyarrow as pa
    try:
        return pa.ipc.open_file(path).read_pandas()
    except pa.ArrowInvalid:
        return pa.ipc.open_stream(path).read_pandas()`;

export const PY_APPLY_TYPES = `def apply_types(df):
    """Benchtop's column types: numbers as numbers, categories and text as labels, dates as dates."""
    truth = {"true": True, "t": True, "yes": True, "y": True, "1": True,
             "false": False, "f": False, "no": False, "n": False, "0": False}
    for name, kind in INPUT_TYPES.items():
        if name not in df.columns:
            continue
        s = df[name]
        if kind in ("integer", "float"):
            df[name] = pd.to_numeric(s, errors="coerce")
        elif kind == "boolean" and not pd.api.types.is_bool_dtype(s):
            df[name] = as_label(s).str.strip().str.lower().map(truth)
        elif kind in ("categorical", "text"):
            df[name] = as_label(s)
        elif kind in ("date", "datetime"):
            df[name] = pd.to_datetime(s, format=DATE_FORMATS.get(name), errors="coerce")
    return df`;

export const DATA_HELPERS = [PY_AS_LABEL, PY_READ_DATA, PY_APPLY_TYPES];

/** The source's text encoding as Python names it (a UTF-16 BOM tells its byte order). */
export function pandasEncoding(source: PythonSource): string {
  const encoding = source.encoding === 'latin1' ? 'latin-1' : (source.encoding ?? 'utf-8');
  return encoding.replace(/^utf-16(le|be)$/, 'utf-16');
}

/** The constants read_data and apply_types use. */
export function dataConstants(table: Table, source: PythonSource, file: string): string {
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, logicalType(f)]));
  // The format each date column was read with (or the user chose); ISO is left to pandas.
  const formats: Record<string, string> = {};
  for (const f of table.schema.fields) {
    const format = f.metadata.get(DATE_FORMAT_METADATA_KEY);
    if (format !== undefined && format !== ISO_DATE_FORMAT && format !== ISO_DATETIME_FORMAT)
      formats[f.name] = format;
  }
  const markers = source.missingMarkers ?? DEFAULT_MISSING_MARKERS;
  return [
    `DATA = sys.argv[1] if len(sys.argv) > 1 else ${py(file)}`,
    `FORMAT = ${py(source.format)}`,
    `DELIMITER = ${py(source.delimiter ?? ',')}`,
    `DECIMAL = ${py(source.decimal ?? '.')}`,
    `ENCODING = ${py(pandasEncoding(source))}`,
    `MISSING = ${py(markers)}`,
    `# Benchtop's type of every column of the data as loaded.`,
    `INPUT_TYPES = ${py(types)}`,
    `# The strftime format of each date column read from text (Benchtop's format, same values).`,
    `DATE_FORMATS = ${py(formats)}`,
  ].join('\n');
}

/** The script's source from a dataset's load report (samples and files alike). */
export function pythonSource(
  report: Pick<LoadReport, 'format' | 'delimiter' | 'decimal' | 'encoding'>,
): PythonSource {
  return {
    format: report.format,
    ...(report.delimiter ? { delimiter: report.delimiter } : {}),
    ...(report.decimal ? { decimal: report.decimal } : {}),
    ...(report.encoding ? { encoding: report.encoding } : {}),
  };
}
