"""Native peers of `npm run bench`: numpy / pandas / scikit-learn on the very inputs the bench
cases wrote to $TMPDIR/benchtop-bench/ (bench/data.ts), each task timed the way bench/harness.ts
times ours (perf_counter around the call, `runs` times, median taken by bench/run.ts) and checked
with the same quality measure, computed after the first run's time was taken.

    python3 bench/native.py info
    python3 bench/native.py <task> '<json args>' <runs>

bench/run.ts runs it in a process of its own, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed
from that command's environment. Prints one line `BENCH_JSON {"runs": [ms…], "quality": …,
"peakRssMb": …}`.
"""
import gc
import json
import os
import platform
import resource
import sys
import time
import warnings

import numpy as np


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl absent: BLAS unknown"
    parts = []
    for p in threadpool_info():
        parts.append(
            f"{p.get('internal_api')} {p.get('version')} {p.get('architecture') or ''} × {p.get('num_threads')} threads".replace("  ", " ")
        )
    return ", ".join(parts) or "no BLAS/OpenMP pool found"


def info():
    import pandas
    import sklearn

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pandas.__version__}, "
        f"scikit-learn {sklearn.__version__}; {blas_info()}"
    )


def column_major(path, rows, cols):
    """A column-major rows × cols float64 file as an (rows, cols) Fortran-ordered array."""
    return np.fromfile(path, dtype=np.float64).reshape(cols, rows).T


def row_major(path, rows, cols, dtype=np.float64):
    return np.fromfile(path, dtype=dtype).reshape(rows, cols)


# ---------------------------------------------------------------- tasks: (prepare, run, quality)


def task_scaler(a):
    X = column_major(a["file"], a["rows"], a["cols"])
    if a["impl"] == "sklearn":
        from sklearn.preprocessing import StandardScaler

        run = lambda: StandardScaler().fit_transform(X)
    else:
        run = lambda: (X - X.mean(axis=0)) / X.std(axis=0)

    def quality(Z):
        # Exact sums (math.fsum), as the TS side's compensated sums: the checker adds no rounding.
        import math

        worst_mean = worst_std = 0.0
        for j in range(Z.shape[1]):
            col = Z[:, j]
            mean = math.fsum(col) / len(col)
            std = math.sqrt(math.fsum((col - mean) ** 2) / len(col))
            worst_mean, worst_std = max(worst_mean, abs(mean)), max(worst_std, abs(std - 1))
        return f"max abs(mean) {worst_mean:.1e}, max abs(std−1) {worst_std:.1e}"

    return run, quality


def task_pca(a):
    X = column_major(a["file"], a["rows"], a["cols"])
    k = a["k"]
    if a["impl"] == "sklearn":
        from sklearn.decomposition import PCA

        def run():
            p = PCA(n_components=k, svd_solver="full")
            Y = p.fit_transform(X)
            return Y, p.explained_variance_ratio_

    else:

        def run():
            mean = X.mean(axis=0)
            Xc = X - mean
            C = (Xc.T @ Xc) / (X.shape[0] - 1)
            w, V = np.linalg.eigh(C)
            order = np.argsort(w)[::-1][:k]
            Y = Xc @ V[:, order]
            return Y, w[order] / w.sum()

    return run, lambda r: f"EVR(10) {r[1].sum():.6f}, EVR₁ {r[1][0]:.6f}"


def task_kmeans(a):
    from sklearn.cluster import KMeans

    X = row_major(a["file"], a["rows"], a["cols"])
    run = lambda: KMeans(
        n_clusters=a["k"], n_init=1, init="k-means++", max_iter=a["max_iter"], tol=a["tol"], random_state=1
    ).fit(X)
    return run, lambda m: f"inertia {m.inertia_:.6e} ({m.n_iter_} iterations)"


def task_knn(a):
    from sklearn.neighbors import NearestNeighbors

    Q = row_major(a["queries"], a["nq"], a["d"])
    R = row_major(a["refs"], a["nr"], a["d"])
    k = a["k"]

    def run():
        return NearestNeighbors(n_neighbors=k, algorithm="brute").fit(R).kneighbors(Q)

    return run, lambda r: f"mean d²(k-th) {np.mean(r[0][:, -1] ** 2):.6f}"


def classification(a):
    X = row_major(a["X"], a["rows"], a["d"])
    y = np.fromfile(a["y"], dtype=np.int32)
    Xt = row_major(a["Xtest"], a["testRows"], a["d"])
    yt = np.fromfile(a["ytest"], dtype=np.int32)
    return X, y, Xt, yt


def task_logistic(a):
    from sklearn.linear_model import LogisticRegression

    X, y, Xt, yt = classification(a)
    C = a["C"]
    run = lambda: LogisticRegression(C=C, solver="lbfgs", max_iter=a["max_iter"], tol=a["tol"]).fit(X, y)

    def quality(m):
        # sklearn's objective per row: mean cross-entropy + ‖W‖² / (2·C·n) (intercepts unpenalised).
        z = X @ m.coef_.T + m.intercept_
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        obj = -logp[np.arange(len(y)), y].mean() + (m.coef_**2).sum() / (2 * C * len(y))
        return f"test acc {(m.predict(Xt) == yt).mean():.4f}, objective {obj:.6f} ({int(m.n_iter_.max())} it.)"

    return run, quality


def task_mlp(a):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y, Xt, yt = classification(a)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    run = lambda: MLPClassifier(
        hidden_layer_sizes=tuple(a["hidden"]),
        batch_size=a["batch"],
        max_iter=a["epochs"],
        n_iter_no_change=a["epochs"] + 1,
        tol=0.0,
        random_state=0,
    ).fit(X, y)
    return run, lambda m: f"test acc {(m.predict(Xt) == yt).mean():.4f}"


def task_tsne(a):
    from sklearn.manifold import TSNE, trustworthiness

    if a.get("csv"):
        import pandas as pd

        X = pd.read_csv(a["csv"]).iloc[:, : a["d"]].to_numpy(dtype=np.float32)
    else:
        X = row_major(a["file"], a["rows"], a["d"], np.float32)
    run = lambda: TSNE(n_components=2, random_state=0).fit_transform(X)

    def quality(Y):
        n = len(X)
        pick = np.arange(n) if n <= 5000 else np.random.RandomState(7).choice(n, 5000, replace=False)
        return f"trustworthiness(k=10) {trustworthiness(X[pick], Y[pick], n_neighbors=10):.4f}"

    return run, quality


def read_synthetic_csv(a, dates=True):
    import pandas as pd

    date_cols = [c for c, t in a["types"].items() if t in ("date", "datetime")] if dates else []
    return pd.read_csv(a["csv"], parse_dates=date_cols)


def task_csv(a):
    import pandas as pd

    dates = a["impl"] == "dates"
    date_cols = [c for c, t in a["types"].items() if t in ("date", "datetime")] if dates else False
    run = lambda: pd.read_csv(a["csv"], parse_dates=date_cols)

    def quality(df):
        numeric = sum(1 for t in df.dtypes if t.kind in "iuf")
        datelike = sum(1 for t in df.dtypes if t.kind == "M")
        return f"{len(df):,} rows, {numeric} numeric, {datelike} date columns"

    return run, quality


def profile_digest(means, stds, medians, distinct):
    d = "–" if distinct is None else f"{int(distinct)}"
    return f"Σmean {sum(means):.6g}, Σstd {sum(stds):.6g}, Σmedian {sum(medians):.6g}, Σdistinct {d}"


def task_profile(a):
    df = read_synthetic_csv(a)
    numeric = [c for c, t in a["types"].items() if t in ("integer", "float")]
    if a["impl"] == "describe":
        run = lambda: df.describe()

        def quality(d):
            return profile_digest(d.loc["mean", numeric], d.loc["std", numeric], d.loc["50%", numeric], None)

        return run, quality

    def same_statistics():
        """What profileTable computes, column by column: counts, exact distinct, moments,
        quartiles, extremes, zeros/negatives/infinities, monotonicity, a histogram (Freedman–Diaconis,
        5–50 bins), top-10 categories, text lengths and date ranges."""
        out = {}
        for name, kind in a["types"].items():
            s = df[name]
            r = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
            if kind in ("integer", "float"):
                v = s.to_numpy(dtype=np.float64)
                v = v[~np.isnan(v)]
                finite = v[np.isfinite(v)]
                f = pd_series(finite)
                q25, q50, q75 = np.percentile(finite, [25, 50, 75])
                r.update(
                    mean=finite.mean(), std=finite.std(ddof=1), min=finite.min(), q25=q25, median=q50,
                    q75=q75, max=finite.max(), skew=f.skew(), kurt=f.kurt(), zeros=int((v == 0).sum()),
                    negatives=int((v < 0).sum()), posInf=int((v == np.inf).sum()), negInf=int((v == -np.inf).sum()),
                    monotonic=bool(s.dropna().is_monotonic_increasing),
                )
                iqr = q75 - q25
                width = 2 * iqr * len(finite) ** (-1 / 3)
                bins = 10 if width <= 0 else int(min(50, max(5, np.ceil((finite.max() - finite.min()) / width))))
                r["histogram"] = np.histogram(finite, bins=bins)[0]
            elif kind in ("date", "datetime"):
                t = s.dropna().to_numpy(dtype="datetime64[ms]").astype(np.int64)
                r.update(min=t.min(), max=t.max())
                r["histogram"] = np.histogram(t, bins=int(np.ceil(np.log2(len(t)) + 1)))[0]
            else:
                counts = s.value_counts()
                r["top"] = counts.head(10)
                r["other"] = int(counts.iloc[10:].sum())
                if kind == "text":
                    lengths = s.dropna().str.len()
                    r.update(minLength=lengths.min(), meanLength=lengths.mean(), maxLength=lengths.max())
            out[name] = r
        return out

    def quality(out):
        return profile_digest(
            [out[c]["mean"] for c in numeric],
            [out[c]["std"] for c in numeric],
            [out[c]["median"] for c in numeric],
            sum(r["distinct"] for r in out.values()),
        )

    return same_statistics, quality


def task_realloop(a):
    """The practitioner's loop as a scikit-learn user writes it, on the columns our engine's
    standard preprocessing chose and on our folds (the plan bench/cases/realloop.ts wrote):
    read the file, a ColumnTransformer in a Pipeline per model, cross_validate."""
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import PredefinedSplit, cross_validate
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    with open(a["plan"]) as f:
        plan = json.load(f)
    stage = a["stage"]
    read = (lambda: pd.read_json(plan["path"])) if plan["format"] == "json" else (lambda: pd.read_csv(plan["path"]))

    def cols(step, **params):
        for s in plan["steps"]:
            if s["step"] == step and all(s["params"].get(k) == v for k, v in params.items()):
                return s.get("columns", [])
        return []

    numeric = cols("SimpleImputer", strategy="median")
    few = cols("OneHotEncoder", handle_unknown="ignore")
    many = cols("OneHotEncoder", handle_unknown="infrequent_if_exist")
    encoded = set(few) | set(many)
    # Booleans: imputed with the categories (when they have gaps) or read as they are.
    booleans = [c for c in cols("SimpleImputer", strategy="most_frequent") if c not in encoded] + plan["passthrough"]

    def preprocessor():
        parts = []
        if numeric:
            parts.append(("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric))
        for name, cs, enc in (
            ("cat", few, dict(handle_unknown="ignore")),
            ("many", many, dict(handle_unknown="infrequent_if_exist", max_categories=20)),
            ("bool", booleans, dict(drop="if_binary")),
        ):
            if cs:
                parts.append((name, Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("onehot", OneHotEncoder(sparse_output=False, **enc))]), cs))
        return ColumnTransformer(parts, remainder="drop")

    regression = plan["task"] == "regression"
    estimators = {
        "linear": (lambda: Ridge(alpha=1.0)) if regression else (lambda: LogisticRegression(C=1.0, max_iter=100)),
        "hgb": HistGradientBoostingRegressor if regression else HistGradientBoostingClassifier,
    }
    scoring = "r2" if regression else "accuracy"
    cv = PredefinedSplit(np.asarray(plan["folds"]))

    def cv_mean(df, which):
        X, y = df.drop(columns=[plan["target"]]), df[plan["target"]]
        model = Pipeline([("prep", preprocessor()), ("model", estimators[which]())])
        return float(cross_validate(model, X, y, cv=cv, scoring=scoring)["test_score"].mean())

    label = "R²" if regression else "accuracy"

    def agree(which, value):
        ref = plan["reference"][which]
        tol = 0.02 * abs(ref) if regression else 0.01
        d = abs(value - ref)
        mark = "✓" if d <= tol else "✗"
        return f"{plan['models'][which]}: {label} {value:.4f} (Δ {d:.4f} ≤ {tol:.4f} {mark})"

    if stage == "load":
        return read, lambda df: f"{len(df):,} rows × {df.shape[1]} columns"
    if stage == "all":
        def whole():
            df = read()
            return {w: cv_mean(df, w) for w in ("linear", "hgb")}

        return whole, lambda m: "; ".join(agree(w, v) for w, v in m.items())
    df = read()
    return (lambda: {stage: cv_mean(df, stage)}), lambda m: "; ".join(agree(w, v) for w, v in m.items())


def pd_series(values):
    import pandas as pd

    return pd.Series(values)


TASKS = {
    "scaler": task_scaler,
    "pca": task_pca,
    "kmeans": task_kmeans,
    "knn": task_knn,
    "logistic": task_logistic,
    "mlp": task_mlp,
    "tsne": task_tsne,
    "csv": task_csv,
    "profile": task_profile,
    "realloop": task_realloop,
}


def main():
    if sys.argv[1] == "info":
        info()
        return
    task, args, runs = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
    run, quality = TASKS[task](args)
    times, q = [], "–"
    for r in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - t0) * 1000)
        if r == 0:
            q = quality(result)
        del result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_JSON " + json.dumps({"runs": times, "quality": q, "peakRssMb": peak}), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
