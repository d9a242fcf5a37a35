/**
 * What a step declares for the Python export: its pandas / scikit-learn code, next to its fit and
 * transform (src/pipeline/steps/<Name>.ts). src/export/python.ts assembles the script from these
 * pieces; the helpers below are the functions a step's code may call (each step lists the ones
 * it uses, and the script defines each once).
 *
 * The script's frames: filter steps run first on every row, as `df`; transform steps run inside
 * each fold on `train` (fitted) and `test` (transformed with the fitted step). A step reads the
 * columns it resolved in that fold from `at.columns`, a Python expression of a list of names.
 */

export interface PyContext {
  /** A Python expression: the list of columns the step works on in this fold. */
  columns: string;
  /** The target column as a Python literal, or None. */
  target: string;
}

export interface PyCode {
  /** Import lines the code needs (deduplicated in the script). */
  imports?: readonly string[];
  /** Whole `def`s the code calls (deduplicated by text): PY_MAKE, PY_FIT_COLUMNS, … */
  helpers?: readonly string[];
  /**
   * Statements, without indentation. A transform fits on `train` only and leaves the transformed
   * frames in `train` and `test`; a filter reads and reassigns `df`.
   */
  lines: readonly string[];
  /** Why the script's numbers may differ from Benchtop's (a different random generator…). */
  caveat?: string;
}

/** A JSON value as a Python literal (JSON is nearly Python: only true/false/null and ±Inf differ). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `float("${v}")`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
    .join(', ')}}`;
}

/** `params` without the keys Benchtop adds to sklearn's (e.g. `columns`), as a Python dict. */
export function pyParams(params: Record<string, unknown>, drop: readonly string[] = ['columns']): string {
  return py(Object.fromEntries(Object.entries(params).filter(([k]) => !drop.includes(k))));
}

export const PY_MAKE = `def make(cls, params):
    """The estimator with the parameters this scikit-learn version knows (says which it drops);
    seeded with SEED when it draws random numbers."""
    known = inspect.signature(cls).parameters
    if "random_state" in known:
        params = {"random_state": SEED, **params}
    dropped = sorted(k for k in params if k not in known)
    if dropped:
        print(f"note: {cls.__name__} here has no parameter(s) {dropped}; using its defaults", file=sys.stderr)
    return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in params.items() if k in known})`;

export const PY_FIT_COLUMNS = `def fit_columns(step, columns, train, test):
    """Fits on the training rows only and rewrites the same columns of both parts in place."""
    if not columns:
        return train, test
    step.fit(train[columns])
    for part in (train, test):
        if len(part):
            part[columns] = step.transform(part[columns])
    return train, test`;

export const PY_REPLACE_COLUMNS = `def replace_columns(step, columns, train, test, y=None, keep=False):
    """Fits on the training rows only; the step's output columns (get_feature_names_out) replace
    \`columns\` in both parts (or are added after them with keep=True)."""
    if not columns:
        return train, test
    step.fit(train[columns]) if y is None else step.fit(train[columns], train[y])
    names = [str(n) for n in step.get_feature_names_out(columns)]

    def apply(part):
        rest = part if keep else part.drop(columns=columns)
        if len(part) == 0:
            return pd.concat([rest, pd.DataFrame(columns=names, index=part.index, dtype=float)], axis=1)
        out = step.transform(part[columns])
        out = out.toarray() if hasattr(out, "toarray") else np.asarray(out)
        return pd.concat([rest, pd.DataFrame(out.astype(float), columns=names, index=part.index)], axis=1)

    return apply(train), apply(test)`;

export const PY_DROP_UNSELECTED = `def drop_unselected(step, columns, train, test, y=None):
    """Fits a feature selector on the training rows; the columns it rejects leave both parts."""
    if not columns:
        return train, test
    step.fit(train[columns]) if y is None else step.fit(train[columns], train[y])
    dropped = [c for c, kept in zip(columns, step.get_support()) if not kept]
    return train.drop(columns=dropped), test.drop(columns=dropped)`;

/** How expressions (FilterRows, DerivedColumn) read a column: see pipeline/expr-pandas.ts. */
export const PY_COL = `def col(frame, name):
    """A column in an expression: numbers (and booleans, as 0/1) as floats, text as it is."""
    s = frame[name]
    return s.astype(float) if pd.api.types.is_numeric_dtype(s) else s`;

export const PY_MARK_MISSING = `def mark_missing(part, columns, values):
    """Placeholder values become missing: text columns compare the text, numeric ones the number."""
    numbers = []
    for v in values:
        try:
            if np.isfinite(float(v)):
                numbers.append(float(v))
        except ValueError:
            pass
    for c in columns:
        numeric = pd.api.types.is_numeric_dtype(part[c])
        part[c] = part[c].where(~part[c].isin(numbers if numeric else values))
    return part`;

/** Values as Benchtop's labels: whole floats without ".0", booleans as True/False, missing kept. */
export const PY_AS_LABEL = `def as_label(s):
    """Values as Benchtop's labels: whole floats without ".0", booleans True/False, missing kept."""
    def one(v):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    out = s.map(one, na_action="ignore").astype(object)
    return out.where(out.notna(), np.nan)  # None (JSON null) and NaN alike: sklearn's "nan"`;

/** A scikit-learn transformer that rewrites its columns in place (same names, same shape). */
export function inPlace(module: string, cls: string, params: Record<string, unknown>, at: PyContext): PyCode {
  return {
    imports: [`from ${module} import ${cls}`],
    helpers: [PY_MAKE, PY_FIT_COLUMNS],
    lines: [`train, test = fit_columns(make(${cls}, ${py(params)}), ${at.columns}, train, test)`],
  };
}

/** These params of a step, in this order, as scikit-learn takes them (same names, same values). */
export function sklearnParams<P extends object>(
  params: P,
  keys: readonly (keyof P & string)[],
): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, params[k]]));
}

/** The export of a step that is scikit-learn's `cls` fitted in place, with these params passed through. */
export function inPlaceAs<P extends object>(
  module: string,
  cls: string,
  keys: readonly (keyof P & string)[],
): (params: P, at: PyContext) => PyCode {
  return (params, at) => inPlace(module, cls, sklearnParams(params, keys), at);
}

/** A scikit-learn transformer whose output columns (get_feature_names_out) replace its inputs. */
export function replacing(
  module: string,
  cls: string,
  params: Record<string, unknown>,
  at: PyContext,
  extra = '',
): PyCode {
  return {
    imports: [`from ${module} import ${cls}`],
    helpers: [PY_MAKE, PY_REPLACE_COLUMNS],
    lines: [`train, test = replace_columns(make(${cls}, ${py(params)}), ${at.columns}, train, test${extra})`],
  };
}
