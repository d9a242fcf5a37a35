"""scikit-learn's TSNE on the blobs of bench/cases/tsne.ts, for the t-SNE rows of bench/README.md.

Run the bench case first (it writes $TMPDIR/benchtop-tsne-blobs-<n>x50.f32), then, with Debian's
python that has scikit-learn 1.2.1 (the pyenv python3 on PATH does not):

    /usr/bin/python3 bench/tsne_sklearn.py 5000 [70000 ...]

Prints the wall time of TSNE(random_state=0).fit_transform (defaults: barnes_hut, angle 0.5, all
cores through OpenMP) and the trustworthiness (k = 10) on the same seeded 5,000-row sample rule
as the bench (all rows up to 5,000; above that a sample, drawn with numpy, not our Rng).
"""
import os
import sys
import tempfile
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE, trustworthiness


def main():
    for n in (int(a) for a in sys.argv[1:] or ["5000"]):
        path = os.path.join(tempfile.gettempdir(), f"benchtop-tsne-blobs-{n}x50.f32")
        X = np.fromfile(path, dtype=np.float32).reshape(n, 50)
        t0 = time.time()
        Y = TSNE(n_components=2, random_state=0).fit_transform(X)
        seconds = time.time() - t0
        pick = np.arange(n) if n <= 5000 else np.random.RandomState(7).choice(n, 5000, replace=False)
        t = trustworthiness(X[pick], Y[pick], n_neighbors=10)
        print(f"sklearn {sklearn.__version__} TSNE {n} x 50: {seconds:.1f} s, trustworthiness(k=10) {t:.4f}")


if __name__ == "__main__":
    main()
