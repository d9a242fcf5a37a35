"""Reference mutual information for tests/analysis/explore.test.ts (sklearn 1.2.1).

Each column is discretised as src/analysis/explore/insights.ts does: numbers into 10 equal-width bins
over [min, max] (floor((v - min) / width), the maximum in the last bin, missing as bin 10);
categories as codes. Then sklearn.metrics.mutual_info_score(target, binned), in nats.
Run: /usr/bin/python3 tests/analysis/explore_mi_fixture.py > tests/analysis/explore-mi.fixture.json
"""
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import mutual_info_score

BINS = 10
out = {"sklearn": sklearn.__version__, "bins": BINS, "datasets": {}}
for name, target in [("iris", "target"), ("iris_missing", "target"), ("wine", "target")]:
    df = pd.read_csv(f"public/samples/{name}.csv", na_values=["?"])
    t = df[target].astype(str).to_numpy()
    mi = {}
    for col in df.columns:
        if col == target or col == "measured_on":  # dates are binned by time; left out here
            continue
        if df[col].dtype == object:  # categories: one code each, missing its own code
            codes, uniques = pd.factorize(df[col])
            mi[col] = mutual_info_score(t, np.where(codes < 0, len(uniques), codes))
            continue
        v = df[col].to_numpy(dtype=float)
        present = v[~np.isnan(v)]
        lo, hi = present.min(), present.max()
        width = (hi - lo) / BINS
        codes = np.where(np.isnan(v), BINS, np.clip(np.floor((v - lo) / width), 0, BINS - 1))
        mi[col] = mutual_info_score(t, codes.astype(int))
    out["datasets"][name] = {"target": target, "mi": mi}
json.dump(out, sys.stdout, indent=1)
