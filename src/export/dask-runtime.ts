/**
 * The Python half of the Dask export: everything the generated script does that does not depend
 * on the notebook (src/export/dask.ts writes the notebook's constants above it). Kept as Python
 * text so the script is one self-contained file: Benchtop's seeded generator and fold makers
 * ported bit for bit (tests/export/dask-folds.test.ts checks them against src/models/split.ts),
 * each exported step as a distributed fit plus a per-partition transform, the models trained on
 * the cluster, and the app's metrics combined from per-partition sums.
 */
// biome-ignore format: Python source
export const DASK_RUNTIME = String.raw`import argparse
import glob
import json
import logging
import math
import os
import sys
import time

import numpy as np
import pandas as pd

M32 = 0xFFFFFFFF
EPS = 2.220446049250313e-16
NUMERIC = ("integer", "float")
FEATURE_TYPES = ("integer", "float", "boolean")


class BenchtopError(Exception):
    """A named error with Benchtop's wording (SchemaError, InvalidArgument…)."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ── Benchtop's seeded generator (src/core/rng.ts: sfc32 seeded by splitmix32), bit for bit ──


class Rng:
    def __init__(self, seed):
        s = int(seed) & M32

        def splitmix():
            nonlocal s
            s = (s + 0x9E3779B9) & M32
            z = s
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
            return (z ^ (z >> 16)) & M32

        self.a, self.b, self.c, self.d = splitmix(), splitmix(), splitmix(), splitmix()
        self.draws(12)

    def draws(self, count):
        """The next count raw 32-bit outputs."""
        a, b, c, d = self.a, self.b, self.c, self.d
        out = [0] * count
        for k in range(count):
            t = (a + b + d) & M32
            d = (d + 1) & M32
            a = b ^ (b >> 9)
            b = (c + (c << 3)) & M32
            c = (((c << 21) | (c >> 11)) + t) & M32
            out[k] = t
        self.a, self.b, self.c, self.d = a, b, c, d
        return out

    def fork(self):
        return Rng(self.draws(1)[0])

    def shuffle(self, items):
        """Fisher–Yates in place (src/models/split.ts shuffleInPlace): j = floor(u / 2^32 · (i + 1))."""
        n = len(items)
        if n < 2:
            return items
        u = np.array(self.draws(n - 1), dtype=np.float64) / 4294967296.0
        i = np.arange(n - 1, 0, -1, dtype=np.float64)
        js = np.floor(u * (i + 1)).astype(np.int64).tolist()
        for step, j in enumerate(js):
            k = n - 1 - step
            items[k], items[j] = items[j], items[k]
        return items


# ── Folds (src/models/split.ts): the same rows in every fold as the app, for the same seed ──


def first_appearance_codes(labels):
    """Class numbers by first appearance, as Benchtop and scikit-learn's StratifiedKFold number them."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]


def check_splits(k, n, what):
    if k < 2:
        raise BenchtopError("InvalidArgument", f"Cross-validation needs at least 2 folds, got {k}.")
    if k > n:
        raise BenchtopError("InvalidArgument", f"Cannot make {k} folds from {n} {what}.")


def kfold(n, k, shuffle, rng):
    check_splits(k, n, "rows")
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    order = np.asarray(order, dtype=np.int64)
    fold = np.empty(n, dtype=np.int16)
    start = 0
    for f in range(k):
        size = n // k + (1 if f < n % k else 0)
        fold[order[start:start + size]] = f
        start += size
    return fold


def stratified_kfold(codes, k, shuffle, rng):
    n = len(codes)
    check_splits(k, n, "rows")
    counts = np.bincount(codes)
    if counts.min() < k:
        raise BenchtopError(
            "InvalidArgument",
            f"A class has only {counts.min()} rows, fewer than the {k} folds, so some folds would not contain it.",
        )
    fold = np.empty(n, dtype=np.int16)
    start = 0
    for c, count in enumerate(counts.tolist()):
        # Rows start..start+count of the class-sorted order are dealt round-robin to the folds.
        alloc = [0] * k
        for f in range(k):
            first = start + ((f - start) % k)
            alloc[f] = max(0, (start + count - first + k - 1) // k)
        assigned = [f for f in range(k) for _ in range(alloc[f])]
        if shuffle:
            rng.shuffle(assigned)
        fold[np.flatnonzero(codes == c)] = assigned
        start += count
    return fold


def holdout(n, test_size, rng, stratify=None, ordered=False):
    if not (0 < test_size < 1):
        raise BenchtopError("InvalidArgument", f"The test fraction must be between 0 and 1, got {test_size}.")
    n_test = math.ceil(test_size * n)
    if n_test < 1 or n - n_test < 1:
        raise BenchtopError("InvalidArgument", f"Cannot split {n} rows into a train and a test part.")
    is_test = np.zeros(n, dtype=np.int16)
    if ordered:
        is_test[n - n_test:] = 1
    elif stratify is not None:
        _, first = np.unique(stratify, return_index=True)
        classes = [int(stratify[i]) for i in sorted(first.tolist())]
        rows_of = {c: np.flatnonzero(stratify == c).tolist() for c in classes}
        for c in classes:
            if len(rows_of[c]) < 2:
                raise BenchtopError(
                    "InvalidArgument", "A class has only one row, so a stratified split cannot place it on both sides."
                )
        shares = [len(rows_of[c]) * n_test / n for c in classes]
        take = [math.floor(s) for s in shares]
        left = n_test - sum(take)
        by_remainder = sorted(range(len(classes)), key=lambda k: (-(shares[k] - math.floor(shares[k])), k))
        for k in by_remainder:
            if left == 0:
                break
            take[k] += 1
            left -= 1
        for k, c in enumerate(classes):
            perm = rng.shuffle(list(rows_of[c]))
            is_test[perm[: take[k]]] = 1
    else:
        perm = rng.shuffle(list(range(n)))
        is_test[perm[:n_test]] = 1
    return is_test


def make_rounds(split, n, codes, seed):
    """Per round (fold of each repeat), a per-row array: the fold number, or 1 for a hold-out's test rows."""
    rng = Rng(seed)
    kind = split["kind"]
    if kind == "holdout":
        if split.get("group") or split.get("timeColumn"):
            raise BenchtopError("InvalidArgument", "group and time-ordered hold-outs are not exported to Dask")
        ordered = split.get("shuffle") is False
        strat = codes if split.get("stratify") and not ordered else None
        return [(holdout(n, split["testSize"], rng, stratify=strat, ordered=ordered), [1])]
    k = split["k"]
    repeats = max(1, int(split.get("repeats") or 1))
    stratified = kind == "stratified-kfold"
    out = []
    if repeats > 1:
        for _ in range(repeats):
            r = rng.fork()
            assign = stratified_kfold(codes, k, True, r) if stratified else kfold(n, k, True, r)
            out.append((assign, list(range(k))))
        return out
    shuffle = split.get("shuffle", True) is not False
    assign = stratified_kfold(codes, k, shuffle, rng) if stratified else kfold(n, k, shuffle, rng)
    return [(assign, list(range(k)))]


# ── Reading: CSV or Parquet partitions, typed as Benchtop typed the sample ──

TRUE_WORDS = {"true": 1.0, "t": 1.0, "yes": 1.0, "false": 0.0, "f": 0.0, "no": 0.0}


def expand(paths):
    files = []
    for p in paths:
        found = sorted(glob.glob(p)) if any(ch in p for ch in "*?[") else [p]
        if not found:
            raise BenchtopError("NotFound", f"No file matches {p}.")
        for f in found:
            if os.path.isdir(f):
                files += sorted(os.path.join(f, x) for x in os.listdir(f) if not x.startswith((".", "_")))
            else:
                files.append(f)
    for f in files:
        if not os.path.exists(f):
            raise BenchtopError("NotFound", f"{f} does not exist.")
    return files


def read_data(files, blocksize):
    """One dask DataFrame, rows in file order; numbers as float64, labels as strings."""
    import dask.dataframe as dd

    classification = TASK == "classification"
    dtypes = {}
    for name, kind in COLUMNS.items():
        if name == TARGET and classification:
            dtypes[name] = "object"
        else:
            dtypes[name] = "float64" if kind in NUMERIC else "object"
    parquet = [f for f in files if f.lower().endswith((".parquet", ".pq"))]
    if parquet and len(parquet) != len(files):
        raise BenchtopError("InvalidArgument", "Give either CSV or Parquet files, not both.")
    if parquet:
        ddf = dd.read_parquet(files, columns=list(COLUMNS))
        ddf = ddf.astype({k: v for k, v in dtypes.items() if v == "float64"})
    else:
        ddf = dd.read_csv(
            files,
            sep=CSV_SEP,
            decimal=CSV_DECIMAL,
            encoding=CSV_ENCODING,
            usecols=list(COLUMNS),
            dtype=dtypes,
            na_values=NA_VALUES,
            keep_default_na=True,
            blocksize=blocksize,
        )
    missing = [c for c in COLUMNS if c not in ddf.columns]
    if missing:
        raise BenchtopError("SchemaError", f"The data has no column {', '.join(repr(c) for c in missing)}.")
    ddf = ddf[list(COLUMNS)]
    for name, kind in COLUMNS.items():
        if kind == "boolean" and name != TARGET:
            ddf[name] = ddf[name].str.strip().str.lower().map(TRUE_WORDS, meta=(name, "float64"))
    labels = [c for c, kind in COLUMNS.items() if kind in ("categorical", "text") or (c == TARGET and classification)]
    if labels:
        ddf = ddf.categorize(columns=labels)
    return ddf


# ── Leading filters (FilterRows): Benchtop's expression language, evaluated per partition ──


def _expr(node, df):
    """A node of src/pipeline/expr.ts on a partition: ("number", float64), ("text", object/None) or ("bool", bool)."""
    k = node["kind"]
    n = len(df)
    if k == "number":
        return "number", np.full(n, float(node["value"]))
    if k == "string":
        return "text", np.full(n, node["value"], dtype=object)
    if k == "column":
        name = node["name"]
        kind = COLUMNS.get(name)
        if kind in ("integer", "float", "boolean"):
            return "number", df[name].to_numpy(dtype=np.float64)
        if kind in ("categorical", "text"):
            v = df[name].astype(object).to_numpy()
            return "text", np.where(pd.isna(v), None, v)
        raise BenchtopError("SchemaError", f"Expression error at position {node['pos']}: column \"{name}\" cannot be used here.")

    def num(child):
        t, v = _expr(child, df)
        if t != "number":
            raise BenchtopError("SchemaError", f"Expression error at position {child['pos']}: a number is needed here.")
        return v

    def cond(child):
        t, v = _expr(child, df)
        if t != "bool":
            raise BenchtopError("SchemaError", f"Expression error at position {child['pos']}: a condition is needed here.")
        return v

    with np.errstate(all="ignore"):
        if k == "negate":
            return "number", -num(node["arg"])
        if k == "arith":
            a, b, op = num(node["left"]), num(node["right"]), node["op"]
            return "number", a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b if op == "/" else np.power(a, b)
        if k == "call":
            args = [num(a) for a in node["args"]]
            fn = node["fn"]
            if fn in ("min", "max"):
                out = args[0]
                for y in args[1:]:
                    out = np.minimum(out, y) if fn == "min" else np.maximum(out, y)
                return "number", out
            return "number", {"log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs}[fn](args[0])
        if k == "compare":
            (ta, a), (tb, b), op = _expr(node["left"], df), _expr(node["right"], df), node["op"]
            if ta == "number" and tb == "number":
                valid = ~np.isnan(a) & ~np.isnan(b)
                out = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
                # As pandas: a comparison with a missing value is False, except != (True).
                return "bool", (out | ~valid) if op == "!=" else (out & valid)
            if ta == "text" and tb == "text" and op in ("==", "!="):
                valid = np.array([x is not None and y is not None for x, y in zip(a, b)], dtype=bool)
                same = np.array([x == y for x, y in zip(a, b)], dtype=bool)
                return "bool", (same & valid) if op == "==" else (~same | ~valid)
            raise BenchtopError("SchemaError", f"Expression error at position {node['pos']}: cannot compare {ta} with {tb}.")
        if k == "logic":
            a, b = cond(node["left"]), cond(node["right"])
            return "bool", (a & b) if node["op"] == "and" else (a | b)
        if k == "not":
            return "bool", ~cond(node["arg"])
        if k == "missing":
            t, v = _expr(node["arg"], df)
            missing = np.isnan(v) if t == "number" else np.array([x is None for x in v], dtype=bool) if t == "text" else np.zeros(n, dtype=bool)
            return "bool", missing != node["negated"]
    raise BenchtopError("InvalidArgument", f"Unknown expression node {k}.")


def apply_filter(df, node):
    kind, keep = _expr(node, df)
    if kind != "bool":
        raise BenchtopError("InvalidArgument", "FilterRows needs a condition such as x > 0.")
    return df[keep]


# ── Steps: each fitted on the fold's training rows with distributed aggregations, applied per partition ──


def js_label(v):
    """A value as Benchtop's labels spell it (numbers like JavaScript's String())."""
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e21 else repr(f)
    return str(v)


def select(step, types):
    """The columns a step works on: its own, else every accepted column but the target (plan.ts)."""
    cols = step["columns"]
    if cols is None and TARGET is not None:
        cols = [c for c, t in types.items() if c != TARGET and t in step["accepts"]]
    return cols


def resolve(types, step, action, accepts, cols):
    name = step["name"]
    if cols is None:
        names = [c for c, t in types.items() if t in accepts]
        if not names:
            raise BenchtopError("SchemaError", f"{name} found no column to {action}: it works on {', '.join(accepts)} columns.")
        return names
    for c in cols:
        if c not in types:
            raise BenchtopError("SchemaError", f"{name} cannot find column \"{c}\".")
        if types[c] not in accepts:
            raise BenchtopError(
                "SchemaError", f"{name} cannot {action} column \"{c}\" (type {types[c]}): it works on {', '.join(accepts)} columns."
            )
    return list(cols)


def moments(frame, cols):
    """Count, mean and M2 per column, combined over partitions (Chan et al.): one stable pass."""
    import dask

    def part(df):
        out = []
        for c in cols:
            v = df[c].to_numpy(dtype=np.float64)
            v = v[~np.isnan(v)]
            n = len(v)
            m = float(v.mean()) if n else 0.0
            out.append((n, m, float(((v - m) ** 2).sum()) if n else 0.0))
        return out

    parts = dask.compute(*[dask.delayed(part)(p) for p in frame.to_delayed()])
    result = []
    for j in range(len(cols)):
        n, mean, m2 = 0, 0.0, 0.0
        for p in parts:
            nb, mb, m2b = p[j]
            if nb == 0:
                continue
            delta = mb - mean
            total = n + nb
            mean += delta * nb / total
            m2 += m2b + delta * delta * n * nb / total
            n = total
        result.append((n, mean, m2 / n if n else float("nan")))
    return result


def require_present(step, col, count):
    if count == 0:
        raise BenchtopError("SchemaError", f"{step} cannot fit column \"{col}\": it has no values in the training rows.")


def fit_imputer(train, types, step, cols):
    import dask

    p = step["params"]
    strategy = p["strategy"]
    numeric_only = strategy in ("mean", "median")
    if cols is None and numeric_only:
        names = resolve(types, step, "impute", NUMERIC, None)
    else:
        names = resolve(types, step, "impute", step["accepts"], cols)
    stats = {}
    counts = {}
    wanted = []
    for c in names:
        if types[c] in NUMERIC:
            if strategy == "mean":
                wanted.append(c)
            elif strategy == "most_frequent":
                counts[c] = train[c].value_counts(dropna=True)
        else:
            if numeric_only:
                raise BenchtopError(
                    "SchemaError",
                    f"SimpleImputer cannot take the {strategy} of column \"{c}\" (type {types[c]}): use strategy 'most_frequent' or 'constant'.",
                )
            if strategy == "most_frequent":
                counts[c] = train[c].value_counts(dropna=True)
    computed = dask.compute(counts)[0] if counts else {}
    means = dict(zip(wanted, moments(train, wanted))) if wanted else {}
    columns, statistics, dropped = [], [], []
    for c in names:
        if types[c] in NUMERIC:
            if strategy == "constant":
                fill = 0.0 if p["fill_value"] == "" else float(p["fill_value"])
            elif strategy == "mean":
                n, mean, _ = means[c]
                fill = mean if n > 0 else None
            else:
                vc = computed[c]
                vc = vc[vc > 0]
                # The smallest of the most frequent values, as sklearn's _most_frequent.
                fill = float(min(vc.index[vc == vc.max()])) if len(vc) else None
        elif strategy == "constant":
            fill = p["fill_value"] or "missing_value"
        else:
            vc = computed[c]
            vc = vc[vc > 0]
            fill = None
            if len(vc):
                best = vc.max()
                fill = sorted(str(x) for x in vc.index[vc == best])[0]
        if fill is None:
            dropped.append(c)
        else:
            columns.append(c)
            statistics.append(fill)
    return {"columns": columns, "statistics": statistics, "dropped": dropped}


def apply_imputer(df, st):
    df = df.drop(columns=st["dropped"])
    for c, fill in zip(st["columns"], st["statistics"]):
        if isinstance(fill, float):
            df[c] = df[c].astype("float64").fillna(fill)
        elif isinstance(df[c].dtype, pd.CategoricalDtype):
            if fill not in df[c].cat.categories:
                df[c] = df[c].cat.add_categories([fill])
            df[c] = df[c].fillna(fill)
        else:
            df[c] = df[c].fillna(fill)
    return df


def types_imputer(types, st):
    out = {c: t for c, t in types.items() if c not in st["dropped"]}
    for c, fill in zip(st["columns"], st["statistics"]):
        if isinstance(fill, float):
            out[c] = "float"
    return out


def fit_standard(train, types, step, cols):
    p = step["params"]
    names = resolve(types, step, "scale", NUMERIC, cols)
    center, scale = [], []
    for c, (n, mean, var) in zip(names, moments(train, names)):
        require_present("StandardScaler", c, n)
        constant = var <= n * EPS * var + (n * mean * EPS) ** 2
        s = math.sqrt(var)
        center.append(mean if p["with_mean"] else 0.0)
        scale.append(1.0 if (constant or s < 10 * EPS) else s if p["with_std"] else 1.0)
    return {"columns": names, "center": center, "scale": scale}


def apply_affine(df, st):
    for c, m, s in zip(st["columns"], st["center"], st["scale"]):
        df[c] = (df[c].astype("float64") - m) / s
    return df


def safe_scale(s):
    return 1.0 if s < 10 * EPS else s


def min_max(train, cols):
    import dask

    lows = [train[c].min() for c in cols]
    highs = [train[c].max() for c in cols]
    counts = [train[c].count() for c in cols]
    return dask.compute(lows, highs, counts)


def fit_minmax(train, types, step, cols):
    p = step["params"]
    names = resolve(types, step, "scale", NUMERIC, cols)
    lo, hi = p["feature_range"]
    lows, highs, counts = min_max(train, names)
    scale, shift = [], []
    for c, a, b, n in zip(names, lows, highs, counts):
        require_present("MinMaxScaler", c, n)
        s = (hi - lo) / safe_scale(float(b) - float(a))
        scale.append(s)
        shift.append(lo - float(a) * s)
    return {"columns": names, "scale": scale, "min": shift, "clip": p["clip"], "range": [lo, hi]}


def apply_minmax(df, st):
    lo, hi = st["range"]
    for c, s, m in zip(st["columns"], st["scale"], st["min"]):
        x = df[c].astype("float64") * s + m
        df[c] = x.clip(lo, hi) if st["clip"] else x
    return df


def fit_maxabs(train, types, step, cols):
    names = resolve(types, step, "scale", NUMERIC, cols)
    lows, highs, counts = min_max(train, names)
    scale = []
    for c, a, b, n in zip(names, lows, highs, counts):
        require_present("MaxAbsScaler", c, n)
        scale.append(safe_scale(max(abs(float(a)), abs(float(b)))))
    return {"columns": names, "center": [0.0] * len(names), "scale": scale}


def fit_log1p(train, types, step, cols):
    return {"columns": resolve(types, step, "transform", NUMERIC, cols)}


def apply_log1p(df, st):
    for c in st["columns"]:
        v = df[c].astype("float64")
        bad = v[v <= -1]
        if len(bad):
            raise BenchtopError(
                "SchemaError",
                f"Log1p cannot transform column \"{c}\": it has the value {js_label(bad.iloc[0])}, and log(1 + x) needs x > -1.",
            )
        df[c] = np.log1p(v)
    return df


def numeric_types(types, st):
    return {c: ("float" if c in st["columns"] else t) for c, t in types.items()}


def fit_drop(train, types, step, cols):
    return {"columns": resolve(types, step, "drop", step["accepts"], cols or [])}


def apply_drop(df, st):
    return df.drop(columns=st["columns"])


def types_drop(types, st):
    return {c: t for c, t in types.items() if c not in st["columns"]}


def sort_categories(labels, kind):
    if kind in NUMERIC:
        return sorted(labels, key=float)
    return sorted(labels)


def label_series(s, kind):
    """A column's values as Benchtop's labels (strings), missing stays missing."""
    if kind in NUMERIC:
        return s.map(lambda v: None if pd.isna(v) else js_label(v))
    if kind == "boolean":
        return s.map(lambda v: None if pd.isna(v) else ("True" if v else "False"))
    return s.astype("object")


def fit_onehot(train, types, step, cols):
    import dask

    p = step["params"]
    if p["drop"] is not None and p["max_categories"] is not None:
        raise BenchtopError("InvalidArgument", "OneHotEncoder: drop together with max_categories is not supported yet.")
    if cols is None:
        cols = [c for c, t in types.items() if t == "categorical"] or None
    names = resolve(types, step, "encode", ("categorical", "text", "integer", "boolean"), cols)
    counted = dask.compute(
        {c: train[c].value_counts(dropna=True) for c in names},
        {c: train[c].isna().sum() for c in names},
    )
    out = []
    for c in names:
        vc = counted[0][c]
        vc = vc[vc > 0]
        by_label = {}
        for value, count in vc.items():
            key = label_series(pd.Series([value]), types[c]).iloc[0]
            by_label[key] = by_label.get(key, 0) + int(count)
        categories = sort_categories(list(by_label), types[c])
        missing_count = int(counted[1][c])
        missing_category = missing_count > 0
        size = len(categories) + (1 if missing_category else 0)
        if p["max_categories"] is None and size > 1000:
            raise BenchtopError(
                "SchemaError",
                f"OneHotEncoder cannot encode column \"{c}\" (type {types[c]}): it has {size} distinct values, more than 1000 one-hot columns.",
            )
        all_counts = [by_label[k] for k in categories] + ([missing_count] if missing_category else [])
        infrequent = [False] * size
        if p["max_categories"] is not None and p["max_categories"] < size + 1:
            order = sorted(range(size), key=lambda k: (all_counts[k], k))
            for k in order[: size - p["max_categories"] + 1]:
                infrequent[k] = True
        drop_first = p["drop"] == "first" or (p["drop"] == "if_binary" and size == 2)
        output_of, output_names = [], []
        for k in range(size):
            if infrequent[k] or (drop_first and k == 0):
                output_of.append(-1)
            else:
                output_of.append(len(output_names))
                output_names.append(f"{c}_{categories[k] if k < len(categories) else 'nan'}")
        infrequent_output = -1
        if any(infrequent):
            infrequent_output = len(output_names)
            output_names.append(f"{c}_infrequent_sklearn")
            output_of = [infrequent_output if infrequent[k] else o for k, o in enumerate(output_of)]
        out.append(
            {
                "name": c,
                "kind": types[c],
                "categories": categories,
                "missing_category": missing_category,
                "output_of": output_of,
                "output_names": output_names,
                "infrequent_output": infrequent_output,
            }
        )
    return {"columns": out, "handle_unknown": p["handle_unknown"]}


def apply_onehot(df, st):
    pieces = {}
    for col in st["columns"]:
        c = col["name"]
        labels = label_series(df[c], col["kind"])
        index = {v: k for k, v in enumerate(col["categories"])}
        codes = labels.map(lambda v: -1 if v is None or (isinstance(v, float) and math.isnan(v)) else index.get(v, -2))
        codes = codes.to_numpy(dtype=np.int64)
        size = len(col["categories"])
        output_of = np.asarray(col["output_of"] + [-2], dtype=np.int64)
        missing_output = col["output_of"][size] if col["missing_category"] else -2
        target = np.where(codes >= 0, output_of[np.clip(codes, 0, None)], np.where(codes == -1, missing_output, -2))
        unknown = target == -2
        if unknown.any():
            if st["handle_unknown"] == "error":
                i = int(np.flatnonzero(unknown)[0])
                value = "missing" if codes[i] == -1 else f"\"{labels.iloc[i]}\""
                raise BenchtopError("SchemaError", f"OneHotEncoder found an unknown category {value} in column \"{c}\".")
            target = np.where(unknown, col["infrequent_output"] if st["handle_unknown"] == "infrequent_if_exist" else -1, target)
        matrix = np.zeros((len(df), len(col["output_names"])), dtype=np.float64)
        rows = np.flatnonzero(target >= 0)
        matrix[rows, target[rows]] = 1.0
        pieces[c] = pd.DataFrame(matrix, columns=col["output_names"], index=df.index)
    parts = [pieces[c] if c in pieces else df[[c]] for c in df.columns]
    return pd.concat(parts, axis=1) if parts else df


def types_onehot(types, st):
    encoded = {col["name"]: col["output_names"] for col in st["columns"]}
    out = {}
    for c, t in types.items():
        if c in encoded:
            for o in encoded[c]:
                out[o] = "float"
        else:
            out[c] = t
    return out


STEPS = {
    "SimpleImputer": (fit_imputer, apply_imputer, types_imputer),
    "StandardScaler": (fit_standard, apply_affine, numeric_types),
    "MinMaxScaler": (fit_minmax, apply_minmax, numeric_types),
    "MaxAbsScaler": (fit_maxabs, apply_affine, numeric_types),
    "Log1p": (fit_log1p, apply_log1p, numeric_types),
    "DropColumns": (fit_drop, apply_drop, types_drop),
    "OneHotEncoder": (fit_onehot, apply_onehot, types_onehot),
}


def run_steps(train, test, types):
    """The notebook's transforms on one fold: fitted on the training rows, applied to both parts."""
    for step in TRANSFORMS:
        fit, apply, retype = STEPS[step["name"]]
        state = fit(train, types, step, select(step, types))
        train = train.map_partitions(apply, state, meta=apply(train._meta.copy(), state))
        test = test.map_partitions(apply, state, meta=apply(test._meta.copy(), state))
        types = retype(types, state)
    return train, test, types


# ── Models: trained on the cluster ──


def row_uniform(rows, seed):
    """A seeded uniform number per global row (splitmix64 of seed and row): the same on any partitioning."""
    with np.errstate(over="ignore"):
        z = rows.astype(np.uint64) + np.uint64((int(seed) & M32) << 32)
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


class XgbPredictor:
    """Predicts a partition with the trained booster (on the worker that holds it)."""

    def __init__(self, booster, task, n_classes, best):
        self.booster, self.task, self.n_classes, self.best = booster, task, n_classes, best

    def __call__(self, X):
        import xgboost

        dm = xgboost.DMatrix(X, missing=np.nan)
        out = self.booster.predict(dm, iteration_range=(0, self.best + 1) if self.best is not None else (0, 0))
        if self.task == "regression":
            return out, None
        proba = np.column_stack([1 - out, out]) if out.ndim == 1 else out
        return proba.argmax(axis=1), proba


class SklearnPredictor:
    def __init__(self, model, task, n_classes):
        self.model, self.task, self.n_classes = model, task, n_classes

    def __call__(self, X):
        x = X.to_numpy(dtype=np.float64)
        if self.task == "regression":
            return self.model.predict(x), None
        if self.task == "clustering":
            return self.model.predict(x), None
        if hasattr(self.model, "predict_proba"):
            try:
                proba = np.zeros((len(x), self.n_classes))
                proba[:, self.model.classes_.astype(np.int64)] = self.model.predict_proba(x)
                return proba.argmax(axis=1), proba
            except AttributeError:
                pass  # SGDClassifier has predict_proba only with a probabilistic loss
        return self.model.predict(x).astype(np.int64), None


def xgb_params(spec, task, n_classes, stats):
    p = spec["params"]
    name = spec["name"]
    # A row's hessian when boosting starts: 1 for squared error, p(1-p) for the log loss.
    hess = 1.0 if task == "regression" else (0.25 if n_classes == 2 else 2 * (1 / n_classes) * (1 - 1 / n_classes))
    common = {"tree_method": "hist", "random_state": SEED, "missing": np.nan}
    if name.startswith("HistGradientBoosting"):
        out = dict(
            common,
            n_estimators=p["max_iter"],
            learning_rate=p["learning_rate"],
            max_leaves=p["max_leaf_nodes"],
            grow_policy="lossguide",
            max_depth=p["max_depth"] or 0,
            min_child_weight=p["min_samples_leaf"] * hess,
            reg_lambda=p["l2_regularization"],
            max_bin=p["max_bins"],
        )
        if task == "regression":
            out["base_score"] = stats["y_mean"]
        elif n_classes == 2:
            out["base_score"] = min(max(stats["prior"], 1e-6), 1 - 1e-6)
        return out
    d = stats["features"]
    mf = p["max_features"]
    k = max(1, math.floor(math.sqrt(d))) if mf == "sqrt" else max(1, math.floor(math.log2(d))) if mf == "log2" else d
    return dict(
        common,
        n_estimators=p["n_estimators"],
        max_depth=p["max_depth"] or 0,
        grow_policy="lossguide",
        max_leaves=0,
        min_child_weight=p["min_samples_leaf"] * hess,
        subsample=0.632 if p["bootstrap"] else 1.0,
        colsample_bynode=k / d,
        reg_lambda=0.0,
    )


def fit_xgb(client, spec, task, n_classes, train_X, train_y, train_rows, stats):
    from xgboost import dask as dxgb

    params = xgb_params(spec, task, n_classes, stats)
    p = spec["params"]
    forest = spec["name"].startswith("RandomForest")
    if forest:
        cls = dxgb.DaskXGBRFRegressor if task == "regression" else dxgb.DaskXGBRFClassifier
    else:
        cls = dxgb.DaskXGBRegressor if task == "regression" else dxgb.DaskXGBClassifier
    early = not forest and (p["early_stopping"] == "on" or (p["early_stopping"] == "auto" and stats["rows"] > 10000))
    best = None
    if early:
        # Benchtop holds out validation_fraction of the training rows; here a seeded share of them.
        val = train_rows.map_partitions(lambda r: pd.Series(row_uniform(r.to_numpy(), SEED) < p["validation_fraction"], index=r.index))
        params["early_stopping_rounds"] = p["n_iter_no_change"]
        model = cls(**params)
        model.client = client
        model.fit(train_X[~val], train_y[~val], eval_set=[(train_X[val], train_y[val])], verbose=False)
        best = model.best_iteration
    else:
        model = cls(**params)
        model.client = client
        model.fit(train_X, train_y)
    return XgbPredictor(model.get_booster(), task, n_classes, best)


def sgd_alpha(name, p, n):
    if name == "Ridge":
        return p["alpha"] / n
    if name in ("Lasso", "ElasticNet"):
        return p["alpha"]
    return 1.0 / (p["C"] * n)


def incremental_estimator(spec, task, n, seed):
    from sklearn import cluster, linear_model, naive_bayes, neural_network

    name, p = spec["name"], spec["params"]
    if name == "LogisticRegression":
        return linear_model.SGDClassifier(
            loss="log_loss",
            penalty=p["penalty"],
            alpha=sgd_alpha(name, p, n),
            l1_ratio=p["l1_ratio"] if p["l1_ratio"] is not None else 0.15,
            fit_intercept=p["fit_intercept"],
            random_state=seed,
        )
    if name in ("LinearRegression", "Ridge", "Lasso", "ElasticNet"):
        penalty = {"LinearRegression": None, "Ridge": "l2", "Lasso": "l1", "ElasticNet": "elasticnet"}[name]
        return linear_model.SGDRegressor(
            penalty=penalty,
            alpha=sgd_alpha(name, p, n) if penalty else 0.0,
            l1_ratio=p.get("l1_ratio", 0.15),
            fit_intercept=p["fit_intercept"],
            random_state=seed,
        )
    if name in ("MLPClassifier", "MLPRegressor"):
        cls = neural_network.MLPClassifier if name == "MLPClassifier" else neural_network.MLPRegressor
        sizes = tuple(int(s) for s in str(p["hidden_layer_sizes"]).replace(" ", "").split(",") if s)
        return cls(
            hidden_layer_sizes=sizes,
            activation=p["activation"],
            solver=p["solver"],
            alpha=p["alpha"],
            batch_size=p["batch_size"] if p["batch_size"] is not None else "auto",
            learning_rate_init=p["learning_rate_init"],
            shuffle=p["shuffle"],
            momentum=0.9,
            nesterovs_momentum=True,
            random_state=p["random_state"] if p["random_state"] is not None else seed,
        )
    if name == "KMeans":
        return cluster.MiniBatchKMeans(n_clusters=p["n_clusters"], n_init=p["n_init"], random_state=seed)
    if name == "GaussianNB":
        return naive_bayes.GaussianNB(var_smoothing=p["var_smoothing"])
    raise BenchtopError("InvalidArgument", f"{name} has no distributed form in this export.")


def _partial_fit(model, X, y, kwargs):
    if len(X) == 0:
        return model
    x = X.to_numpy(dtype=np.float64)
    if y is None:
        model.partial_fit(x, **kwargs)
    else:
        model.partial_fit(x, y.to_numpy(), **kwargs)
    return model


def fit_incremental(client, spec, task, n_classes, train_X, train_y, stats, epochs):
    import dask

    name, p = spec["name"], spec["params"]
    est = incremental_estimator(spec, task, stats["rows"], SEED)
    passes = 1 if name == "GaussianNB" else epochs if epochs else int(p.get("max_iter") or 20)
    kwargs = {"classes": np.arange(n_classes)} if task == "classification" else {}
    xs = train_X.to_delayed()
    ys = train_y.to_delayed() if train_y is not None else [None] * len(xs)
    model = dask.delayed(est)
    for _ in range(passes):
        for x, y in zip(xs, ys):
            model = dask.delayed(_partial_fit)(model, x, y, kwargs)
    model = client.compute(model).result()
    if name == "GaussianNB":
        # partial_fit sizes its variance floor on the first partition; Benchtop's on all training rows.
        floor = p["var_smoothing"] * stats["max_var"]
        model.var_ = model.var_ - model.epsilon_ + floor
        model.epsilon_ = floor
    return SklearnPredictor(model, task, n_classes), passes


XGB_MODELS = (
    "HistGradientBoostingClassifier",
    "HistGradientBoostingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
)


# ── Metrics: partial sums per test partition, combined with scikit-learn's definitions ──


def part_scores(X, y, predictor, task, n_classes, pick):
    pred, proba = predictor(X)
    out = {"n": len(X)}
    if task == "classification":
        t = y.to_numpy().astype(np.int64)
        p = np.asarray(pred, dtype=np.int64)
        out["cm"] = np.bincount(t * n_classes + p, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
        if proba is not None:
            clipped = np.clip(proba, EPS, 1 - EPS)
            own = clipped[np.arange(len(t)), t] / clipped.sum(axis=1)
            out["log_loss"] = float(-np.log(own).sum())
            classes = [1] if n_classes == 2 else range(n_classes)
            out["roc"] = {
                c: pd.DataFrame({"s": proba[:, c], "pos": (t == c).astype(np.int64), "neg": (t != c).astype(np.int64)})
                .groupby("s")
                .sum()
                for c in classes
            }
    elif task == "regression":
        t = y.to_numpy(dtype=np.float64)
        e = t - np.asarray(pred, dtype=np.float64)
        m = t.mean() if len(t) else 0.0
        out.update(abs=float(np.abs(e).sum()), sq=float((e * e).sum()), mean=float(m), m2=float(((t - m) ** 2).sum()))
    else:
        x = X.to_numpy(dtype=np.float64)
        centers = predictor.model.cluster_centers_
        out["inertia"] = float(((x - centers[np.asarray(pred)]) ** 2).sum())
        out["X"] = x[pick]
        out["labels"] = np.asarray(pred)[pick]
    return out


def auc(table):
    """sklearn's roc_auc_score from (score → positives, negatives): trapezoids over distinct scores."""
    table = table.sort_index(ascending=False)
    tps = table["pos"].cumsum().to_numpy(dtype=np.float64)
    fps = table["neg"].cumsum().to_numpy(dtype=np.float64)
    P, N = tps[-1], fps[-1]
    if P == 0 or N == 0:
        return float("nan")
    x = np.concatenate([[0.0], fps / N])
    y = np.concatenate([[0.0], tps / P])
    return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))


def classification_metrics(parts, n_classes):
    cm = sum(p["cm"] for p in parts)
    total = cm.sum()
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    labels = [c for c in range(n_classes) if support[c] > 0 or predicted[c] > 0]
    tp = np.diag(cm)
    out = {"accuracy": tp.sum() / total}
    present = [c for c in labels if support[c] > 0]
    out["balanced_accuracy"] = sum(tp[c] / support[c] for c in present) / len(present)
    for average in ("macro", "weighted"):
        pr = rc = f1 = 0.0
        for c in labels:
            p = tp[c] / predicted[c] if predicted[c] else 0.0
            r = tp[c] / support[c] if support[c] else 0.0
            w = 1 / len(labels) if average == "macro" else support[c] / total
            pr += w * p
            rc += w * r
            f1 += w * (0.0 if p + r == 0 else 2 * p * r / (p + r))
        out[f"precision_{average}"] = pr
        out[f"recall_{average}"] = rc
        out[f"f1_{average}"] = f1
    if all("log_loss" in p for p in parts):
        keys = parts[0]["roc"].keys()
        aucs = [auc(pd.concat([p["roc"][c] for p in parts]).groupby(level=0).sum()) for c in keys]
        out["roc_auc"] = float(np.mean(aucs))
        out["log_loss"] = sum(p["log_loss"] for p in parts) / total
    return {k: float(v) for k, v in out.items()}


def regression_metrics(parts):
    n = sum(p["n"] for p in parts)
    mean, m2, seen = 0.0, 0.0, 0
    for p in parts:
        if p["n"] == 0:
            continue
        delta = p["mean"] - mean
        total = seen + p["n"]
        mean += delta * p["n"] / total
        m2 += p["m2"] + delta * delta * seen * p["n"] / total
        seen = total
    sq = sum(p["sq"] for p in parts)
    return {
        "mae": sum(p["abs"] for p in parts) / n,
        "rmse": math.sqrt(sq / n),
        "r2": (1 - sq / m2) if m2 > 0 else (1.0 if sq == 0 else 0.0),
    }


def clustering_metrics(parts):
    from sklearn.metrics import silhouette_score

    out = {}
    X = np.concatenate([p["X"] for p in parts])
    labels = np.concatenate([p["labels"] for p in parts])
    k = len(set(labels.tolist()))
    out["silhouette"] = float(silhouette_score(X, labels)) if 2 <= k <= len(labels) - 1 else float("nan")
    out["inertia"] = sum(p["inertia"] for p in parts)
    return out


def silhouette_picks(counts):
    """Per test partition, the local rows among Benchtop's evenly spaced silhouette rows (at most 2,000)."""
    m = int(sum(counts))
    rows = min(m, 2000)
    step = m / rows if rows else 1
    wanted = np.array([math.floor(k * step) for k in range(rows)], dtype=np.int64)
    picks, start = [], 0
    for c in counts:
        local = wanted[(wanted >= start) & (wanted < start + c)] - start
        picks.append(local)
        start += c
    return picks


def summarize(values):
    from scipy import stats

    v = np.asarray(values, dtype=np.float64)
    n = len(v)
    mean = float(v.mean())
    std = float(v.std(ddof=1)) if n > 1 else 0.0
    half = float(stats.t.ppf(0.975, n - 1) * std / math.sqrt(n)) if n > 1 else float("nan")
    return {"mean": mean, "std": std, "n": n, "ciLow": mean - half, "ciHigh": mean + half}


# ── The experiment: the same folds, the notebook fitted per fold, every model scored ──


def attach_rounds(df, offset, slices):
    df = df.copy()
    df["__row"] = np.arange(offset, offset + len(df), dtype=np.int64)
    for r, part in enumerate(slices):
        df[f"__r{r}"] = part
    return df


def _rss():
    import psutil

    return psutil.Process().memory_info().rss


class MemoryWatch:
    """Samples every worker's resident memory once a second; keeps each one's peak."""

    def __init__(self, client):
        import threading

        self.client, self.peak, self.stop = client, {}, threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stop.wait(1.0):
            try:
                for worker, rss in self.client.run(_rss).items():
                    self.peak[worker] = max(self.peak.get(worker, 0), rss)
            except Exception:  # noqa: BLE001 (a worker restarting or the cluster closing)
                pass

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        return {w: round(b / 2**20) for w, b in sorted(self.peak.items())}


def labels_of(models):
    seen, out = {}, []
    for m in models:
        seen[m["name"]] = seen.get(m["name"], 0) + 1
        out.append(m["name"] if seen[m["name"]] == 1 else f"{m['name']} #{seen[m['name']]}")
    return out


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="*", default=[DATA_FILE], help="CSV or Parquet files, globs or folders (rows in name order)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: start a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--threads-per-worker", type=int, default=1)
    parser.add_argument("--memory-limit", default="auto", help="LocalCluster memory per worker, e.g. 4GB")
    parser.add_argument("--blocksize", default="64MB", help="CSV bytes per partition (default 64MB)")
    parser.add_argument("--epochs", type=int, help="passes over the data for the incremental learners")
    parser.add_argument("--dump-features", metavar="DIR", help="write each fold's transformed test rows as CSV (for checking)")
    return parser.parse_args()


def main():
    args = parse_args()
    # Warnings and errors of the cluster only; progress is this script's own lines.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, wait

    started = time.time()
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=args.workers,
            threads_per_worker=args.threads_per_worker,
            processes=True,
            memory_limit=args.memory_limit,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    for name in ("distributed", "distributed.scheduler", "distributed.core"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # A worker slow to exit at the end is killed with a warning that says nothing about the run.
    logging.getLogger("distributed.nanny").setLevel(logging.ERROR)
    watch = MemoryWatch(client)
    try:
        workers = len(client.scheduler_info()["workers"])
        log(f"dask: {workers} workers at {client.scheduler.address}")
        files = expand(args.data)
        base = read_data(files, args.blocksize)
        # The notebook's leading filters run once on every row before the split, as in the app.
        for node in FILTERS:
            base = base.map_partitions(apply_filter, node, meta=base._meta)
        lengths = base.map_partitions(len).compute().tolist()
        n = int(sum(lengths))
        log(f"read {len(files)} file(s): {n:,} rows in {len(lengths)} partitions ({time.time() - started:.1f} s)")
        t_split = time.time()
        codes = None
        classes = None
        if TARGET is not None:
            y = base[TARGET]
            if TASK == "classification":
                classes = [str(c) for c in y.cat.categories]
                raw = y.cat.codes.compute().to_numpy()
                if (raw < 0).any():
                    raise BenchtopError("SchemaError", f"The target \"{TARGET}\" has missing values.")
                present = np.unique(raw)
                if len(present) < 2:
                    raise BenchtopError("InvalidArgument", f"The target \"{TARGET}\" has only one class, so there is nothing to predict.")
                codes = first_appearance_codes(raw)
            elif int(y.isna().sum().compute()) > 0:
                raise BenchtopError("SchemaError", f"The target \"{TARGET}\" has missing values.")
        rounds = make_rounds(SPLIT, n, codes, SEED)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64).tolist()
        # Each partition's slice of the fold numbers, sent to the workers once (not inside the graph).
        slices = client.scatter([[a[offsets[i]:offsets[i] + lengths[i]] for a, _ in rounds] for i in range(len(lengths))])
        parts = [dask.delayed(attach_rounds)(p, offsets[i], slices[i]) for i, p in enumerate(base.to_delayed())]
        meta = attach_rounds(base._meta, 0, [np.zeros(0, dtype=np.int16) for _ in rounds])
        base = dd.from_delayed(parts, meta=meta, verify_meta=False).persist()
        wait(base)
        folds = [(r, f) for r, (_, fs) in enumerate(rounds) for f in fs]
        if classes:
            smallest = min(int((a == f).sum()) for a, fs in rounds for f in fs)
            if len(np.unique(codes)) > smallest:
                raise BenchtopError(
                    "InvalidArgument",
                    f"The target has {len(np.unique(codes))} classes but a test fold has only {smallest} rows, so most classes cannot be scored.",
                )
        log(f"split: {SPLIT['kind']}, {len(folds)} fold(s), seed {SEED} (Benchtop's folds, row for row; {time.time() - t_split:.1f} s)")

        labels = labels_of(MODELS)
        scores = {label: {} for label in labels}
        passes = {}
        features = None
        for index, (r, f) in enumerate(folds):
            t_fold = time.time()
            col = f"__r{r}"
            test_mask = base[col] == f if SPLIT["kind"] != "holdout" else base[col] == 1
            train, test = base[~test_mask], base[test_mask]
            train, test, types = run_steps(train, test, dict(COLUMNS))
            if features is None:
                features = [c for c, t in types.items() if c != TARGET and t in FEATURE_TYPES and c not in EXCLUDE]
                if not features:
                    raise BenchtopError("SchemaError", "There are no numeric feature columns to train on.")
            absent = [c for c in features if c not in types]
            if absent:
                raise BenchtopError("SchemaError", f"Feature column \"{absent[0]}\" does not exist.")
            names = [f"f{j}" for j in range(len(features))]
            Xtr = train[features].astype("float64")
            Xte = test[features].astype("float64")
            Xtr.columns = names
            Xte.columns = names
            if args.dump_features:
                os.makedirs(args.dump_features, exist_ok=True)
                dump = test[["__row"] + features].compute()
                dump.to_csv(os.path.join(args.dump_features, f"fold{index}.csv"), index=False, float_format="%.17g")
            ytr = yte = None
            if TASK == "classification":
                ytr, yte = train[TARGET].cat.codes.astype("int64"), test[TARGET].cat.codes.astype("int64")
            elif TASK == "regression":
                ytr, yte = train[TARGET].astype("float64"), test[TARGET].astype("float64")
            facts = {
                "rows": Xtr.shape[0],
                "missing": Xtr.isna().sum() + Xte.isna().sum(),
                "var": Xtr.var(ddof=0).max(),
            }
            if TASK == "regression":
                facts["y_mean"] = ytr.mean()
            if TASK == "classification":
                facts["prior"] = (ytr == 1).mean()
            stats = dict(zip(facts, dask.compute(*facts.values())))
            stats["missing"] = stats["missing"].to_numpy()
            bad = np.flatnonzero(stats["missing"] > 0)
            if len(bad):
                raise BenchtopError(
                    "SchemaError", f"Feature \"{features[bad[0]]}\" has {int(stats['missing'][bad[0]])} missing values."
                )
            stats.update(rows=int(stats["rows"]), max_var=float(stats["var"]), features=len(features))
            if any(m["name"] not in XGB_MODELS for m in MODELS):
                Xtr, ytr = client.persist([Xtr, ytr]) if ytr is not None else (client.persist(Xtr), None)
            picks = None
            if TASK == "clustering":
                picks = silhouette_picks(Xte.map_partitions(len).compute().tolist())
            xs, ys = Xte.to_delayed(), (yte.to_delayed() if yte is not None else [None] * Xte.npartitions)
            for label, spec in zip(labels, MODELS):
                t0 = time.time()
                n_classes = len(classes) if classes else 0
                if spec["name"] in XGB_MODELS:
                    predictor = fit_xgb(client, spec, TASK, n_classes, Xtr, ytr, train["__row"], stats)
                    passes[label] = None
                else:
                    predictor, passes[label] = fit_incremental(client, spec, TASK, n_classes, Xtr, ytr, stats, args.epochs)
                shared = client.scatter(predictor, broadcast=True)
                jobs = [
                    dask.delayed(part_scores)(x, y, shared, TASK, n_classes, picks[i] if picks else None)
                    for i, (x, y) in enumerate(zip(xs, ys))
                ]
                results = [p for p in dask.compute(*jobs) if p["n"] > 0]
                if TASK == "classification":
                    fold_scores = classification_metrics(results, n_classes)
                elif TASK == "regression":
                    fold_scores = regression_metrics(results)
                else:
                    fold_scores = clustering_metrics(results)
                for k, v in fold_scores.items():
                    scores[label].setdefault(k, []).append(v)
                shown = ", ".join(f"{k} {v:.4f}" for k, v in list(fold_scores.items())[:2])
                log(f"fold {index + 1}/{len(folds)} · {label}: {shown} ({time.time() - t0:.1f} s)")
            log(f"fold {index + 1}/{len(folds)} done in {time.time() - t_fold:.1f} s")
        result = {
            "metrics": {label: {k: summarize(v) for k, v in s.items()} for label, s in scores.items()},
            "folds": scores,
            "task": TASK,
            "target": TARGET,
            "features": features,
            "rows": n,
            "partitions": len(lengths),
            "workers": workers,
            "passes": passes,
            "seconds": round(time.time() - started, 2),
            "peak_memory_mb": watch.close(),
            "versions": versions(),
        }
        log(f"done in {result['seconds']} s; peak memory per worker (MB): {result['peak_memory_mb']}")
        print(json.dumps(finite(result), allow_nan=False))
    finally:
        watch.stop.set()
        client.close()
        if cluster is not None:
            cluster.close()


def finite(value):
    """JSON without NaN or Infinity (an interval of one fold is undefined): those become null."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def versions():
    import dask

    out = {"python": sys.version.split()[0], "dask": dask.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    for name in ("distributed", "xgboost", "sklearn"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            pass
    return out


if __name__ == "__main__":
    try:
        main()
    except BenchtopError as e:
        print(f"{e.name}: {e}", file=sys.stderr)
        sys.exit(1)
`;
