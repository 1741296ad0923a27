# The peer of bench/labels.ts: scikit-learn's TfidfVectorizer(min_df=10) on the same pre-cut terms,
# and the study's word-embedding labels in numpy (its notebook's product: normalised TF-IDFᵀ ·
# document embeddings, each word's vector against the cluster centroids by cosine), timed the same
# way. Run by the bench with Debian's /usr/bin/python3 (python3-sklearn), one thread.
#
#   /usr/bin/python3 bench/labels_sklearn.py tfidf|study DIR N D MIN_DF TOP_N
# DIR holds terms.tsv (a document a line, terms joined by tabs), vectors.f32 ([N, D]) and
# topics.i32 ([N] the clusters).
import json
import resource
import sys
import time

import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer


def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


task, folder, n, d, min_df, top_n = sys.argv[1:7]
n, d, min_df, top_n = int(n), int(d), int(min_df), int(top_n)
with open(f"{folder}/terms.tsv", encoding="utf-8") as f:
    lines = f.read().split("\n")[:n]
result = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def analyzer(line):
    return line.split("\t") if line else []


if task == "tfidf":
    result["baselineMiB"] = rss()
    t = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=min_df)
    X = vectorizer.fit_transform(lines)
    result["seconds"] = time.perf_counter() - t
    result["vocabulary"] = len(vectorizer.vocabulary_)
    result["nnz"] = int(X.nnz)
else:
    vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=min_df)
    X = vectorizer.fit_transform(lines)  # [n, V] float64, unit-L2 rows
    terms = vectorizer.get_feature_names_out()
    E = np.fromfile(f"{folder}/vectors.f32", dtype="<f4").reshape(n, d)
    a = np.fromfile(f"{folder}/topics.i32", dtype="<i4")
    result["baselineMiB"] = rss()
    t = time.perf_counter()
    En = E / np.linalg.norm(E, axis=1, keepdims=True)  # unit-length documents, as ours by default
    W = np.asarray(X.T @ En)  # [V, d] the study's word vectors
    clusters = np.unique(a[a >= 0])
    C = np.stack([En[a == c].mean(axis=0) for c in clusters])  # [C, d] centroids
    Wn = W / np.maximum(np.linalg.norm(W, axis=1, keepdims=True), 1e-300)
    Cn = C / np.linalg.norm(C, axis=1, keepdims=True)
    cos = Wn @ Cn.T  # [V, C]
    labels = []
    for j, c in enumerate(clusters):
        order = np.argsort(-cos[:, j], kind="stable")[:top_n]
        labels.append({"cluster": int(c), "terms": [str(terms[i]) for i in order]})
    result["seconds"] = time.perf_counter() - t
    result["labels"] = labels
result["maxRssMiB"] = rss()
print(json.dumps(result, ensure_ascii=False))
