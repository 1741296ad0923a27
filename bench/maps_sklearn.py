# The peer of bench/maps.ts: scikit-learn's PCA and TSNE on the same float32 vectors, timed the
# same way. Run by the bench with Debian's /usr/bin/python3 (python3-sklearn); OMP_NUM_THREADS and
# OPENBLAS_NUM_THREADS set sklearn's threads. Writes the embedding as float32 to OUT so the bench
# scores it with the same trustworthiness code as its own.
#
#   /usr/bin/python3 bench/maps_sklearn.py pca|tsne VECTORS.f32 N D SEED OUT.f32
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from threadpoolctl import threadpool_info

task, path, n, d, seed, out = sys.argv[1:7]
n, d, seed = int(n), int(d), int(seed)
X = np.fromfile(path, dtype="<f4").reshape(n, d)
result = {"sklearn": sklearn.__version__,
          "threads": [{"api": i["internal_api"], "threads": i["num_threads"]} for i in threadpool_info()]}

if task == "pca":
    # 'full' is the exact LAPACK SVD ours matches; 'auto' picks the randomized solver at this size.
    for solver in ["full", "auto"]:
        t = time.perf_counter()
        Y = PCA(n_components=2, svd_solver=solver, random_state=seed).fit_transform(X)
        result[f"{solver}Seconds"] = time.perf_counter() - t
else:
    t = time.perf_counter()
    model = TSNE(n_components=2, random_state=seed)  # sklearn 1.2 defaults: perplexity 30, lr 'auto', init 'pca', Barnes-Hut 0.5
    Y = model.fit_transform(X)
    result["seconds"] = time.perf_counter() - t
    result["klDivergence"] = float(model.kl_divergence_)
    result["iterations"] = int(model.n_iter_) + 1

np.asarray(Y, dtype="<f4").tofile(out)
result["maxRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
