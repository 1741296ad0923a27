# The peer of bench/kmeans.ts: scikit-learn's KMeans on the same float32 vectors, timed the same
# way (k-means++ alone, Lloyd iterations from given centres, and a whole fit). Run by the bench
# with Debian's /usr/bin/python3 (python3-sklearn); OMP_NUM_THREADS sets sklearn's threads.
#
#   /usr/bin/python3 bench/kmeans_sklearn.py VECTORS.f32 N D K N_INIT MAX_ITER SEED INIT.f32 ITERS
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from threadpoolctl import threadpool_info

path, n, d, k, n_init, max_iter, seed, init_path, iters = sys.argv[1:10]
n, d, k, n_init, max_iter, seed, iters = int(n), int(d), int(k), int(n_init), int(max_iter), int(seed), int(iters)
X = np.fromfile(path, dtype="<f4").reshape(n, d)
init = np.fromfile(init_path, dtype="<f4").reshape(k, d)

t = time.perf_counter()
kmeans_plusplus(X, k, random_state=seed)
seeding = time.perf_counter() - t

# Lloyd alone: from the given centres, tol=0 so it runs `iters` iterations unless labels settle.
t = time.perf_counter()
fixed = KMeans(k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd").fit(X)
lloyd = time.perf_counter() - t

t = time.perf_counter()
km = KMeans(k, n_init=n_init, max_iter=max_iter, tol=1e-4, random_state=seed, algorithm="lloyd").fit(X)
fit = time.perf_counter() - t

print(json.dumps({
    "sklearn": sklearn.__version__,
    "threads": [{"api": i["internal_api"], "threads": i["num_threads"]} for i in threadpool_info()],
    "seedingSeconds": seeding,
    "lloydSeconds": lloyd, "lloydIterations": int(fixed.n_iter_), "lloydInertia": float(fixed.inertia_),
    "fitSeconds": fit, "fitIterationsOfBest": int(km.n_iter_), "fitInertia": float(km.inertia_),
    "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
