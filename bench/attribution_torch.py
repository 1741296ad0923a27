# The peer of bench/attribution.ts: the same Integrated Gradients in PyTorch (float32), batched the
# same way — rows are (projection, step) pairs, `rows` of them per forward and backward pass, the
# gradient of Σ_rows w_step · u_p · f(row) taken with respect to the rows' word embeddings — on the
# weights the bench wrote (Hugging Face BERT names) and the document it chose. No transformers and
# no Captum on this machine (Debian's python3-torch only): the BERT forward is written here from the
# weights, as scripts/fixtures/make_ig_fixtures.py does in float64, batched over rows.
#
#   /usr/bin/python3 bench/attribution_torch.py SPEC.json --threads N
#
# SPEC (written by the bench): weightsFile (safetensors), config {hidden, heads, layers, eps}, ids,
# tokenTypeIds, special, padId, alphas and weights of the integration rule, rows per pass, and the
# targets: logit (class c), norm (projections: "identity" for the first N unit vectors, or a raw
# little-endian float32 file of N×H values). Prints one JSON line: per target the seconds (the two
# end-point forwards included, as ours), passes, token scores; peak RSS of this process.
import json
import math
import resource
import struct
import sys
import time

import os

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
from torch_bert import read_safetensors  # noqa: E402

spec_path = sys.argv[1]
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
torch.set_num_threads(threads)
torch.set_grad_enabled(True)
spec = json.load(open(spec_path))


t_load = time.perf_counter()
Wt = read_safetensors(spec["weightsFile"])
load_seconds = time.perf_counter() - t_load
cfg = spec["config"]
H, heads, L, eps = cfg["hidden"], cfg["heads"], cfg["layers"], cfg["eps"]
d = H // heads
W = lambda name: Wt[name]

ids = torch.tensor(spec["ids"], dtype=torch.long)
types = torch.tensor(spec["tokenTypeIds"], dtype=torch.long)
special = spec["special"]
T = len(spec["ids"])
E = W("bert.embeddings.word_embeddings.weight")
x = E[ids].clone()  # [T, H]
baseline = torch.stack([E[i] if s else E[spec["padId"]] for i, s in zip(spec["ids"], special)])
diff = x - baseline
# Position and token-type embeddings, the same for every row.
extra = W("bert.embeddings.position_embeddings.weight")[:T] + W("bert.embeddings.token_type_embeddings.weight")[types]  # [T, H]


def dense(h, prefix):
    return F.linear(h, W(prefix + ".weight"), W(prefix + ".bias"))


def layer_norm(h, prefix):
    return F.layer_norm(h, (H,), W(prefix + ".weight"), W(prefix + ".bias"), eps)


def encode(word):
    """The last hidden state [m, T, H] of rows of word embeddings [m, T, H] (no padding)."""
    m = word.shape[0]
    h = layer_norm(word + extra, "bert.embeddings.LayerNorm")
    scale = 1 / math.sqrt(d)
    for i in range(L):
        p = f"bert.encoder.layer.{i}."
        split = lambda t: t.view(m, T, heads, d).transpose(1, 2)  # [m, heads, T, d]
        q, k, v = (split(dense(h, p + "attention.self." + n)) for n in ("query", "key", "value"))
        attention = torch.softmax((q @ k.transpose(-1, -2)) * scale, dim=-1)
        context = (attention @ v).transpose(1, 2).reshape(m, T, H)
        y = layer_norm(dense(context, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
        inner = F.gelu(dense(y, p + "intermediate.dense"))  # erf GELU (hidden_act "gelu")
        h = layer_norm(dense(inner, p + "output.dense") + y, p + "output.LayerNorm")
    return h


def logits(word):
    h = encode(word)
    pooled = torch.tanh(dense(h[:, 0], "bert.pooler.dense"))  # BertForSequenceClassification reads the pooler
    return dense(pooled, "classifier")


def mean_embedding(word):
    return encode(word).mean(1)


alphas = torch.tensor(spec["alphas"], dtype=torch.float32)
step_weights = torch.tensor(spec["weights"], dtype=torch.float32)
S = len(spec["alphas"])
rows_per_pass = spec["rows"]


def integrated_gradients(f, projections):
    """IG of each projection u_p·f, [P, T, H], as ours: rows (p, s) in order, rows_per_pass per pass."""
    P = projections.shape[0]
    with torch.no_grad():
        ends = f(torch.stack([x, baseline]))
    sums = torch.zeros(P, T, H, dtype=torch.float64)
    total = P * S
    passes = math.ceil(total / rows_per_pass)
    for n in range(passes):
        r = torch.arange(n * rows_per_pass, min(total, (n + 1) * rows_per_pass))
        p, s = r // S, r % S
        a = alphas[s].view(-1, 1, 1)
        rows = (baseline.unsqueeze(0) + a * diff.unsqueeze(0)).requires_grad_(True)  # [m, T, H]
        w = step_weights[s].unsqueeze(1) * projections[p]  # [m, K]
        (g,) = torch.autograd.grad((f(rows) * w).sum(), rows)
        sums.index_add_(0, p, g.double())
    return diff.double().unsqueeze(0) * sums, ends, passes


# One untimed pass of the classifier's rows, as ours warms up.
warm = (baseline.unsqueeze(0) + torch.linspace(0, 1, rows_per_pass).view(-1, 1, 1) * diff.unsqueeze(0)).requires_grad_(True)
torch.autograd.grad(logits(warm)[:, 0].sum(), warm)
del warm

results = []
for target in spec["targets"]:
    if target["kind"] == "logit":
        f = logits
        projections = torch.zeros(1, 2)
        projections[0, target["class"]] = 1
    else:
        f = mean_embedding
        N = target["measured"]
        if target["projections"] == "identity":
            projections = torch.eye(H)[:N]
        else:
            raw = np.fromfile(target["projections"], dtype="<f4")
            projections = torch.from_numpy(raw.reshape(-1, H)[:N].copy())
    t0 = time.perf_counter()
    ig, ends, passes = integrated_gradients(f, projections)
    seconds = time.perf_counter() - t0
    out = {"name": target["name"], "seconds": seconds, "passes": passes}
    if target["kind"] == "logit":
        c = target["class"]
        out["scores"] = ig[0].sum(1).tolist()
        out["atInput"], out["atBaseline"] = ends[0, c].item(), ends[1, c].item()
        total = ig[0].sum().item()
        delta = out["atInput"] - out["atBaseline"]
        out["gap"] = abs(total - delta) / max(abs(delta), 1e-12)
    else:
        squares = (ig ** 2).sum(2).sum(0)  # Σ_p Σ_j IG_p[t, j]²
        if target["mean"]:
            squares = squares / projections.shape[0]
        out["scores"] = squares.sqrt().tolist()
    results.append(out)
    print(f"[torch {threads} thread{'s' if threads > 1 else ''}] {target['name']}: {seconds:.2f} s, {passes} passes", file=sys.stderr, flush=True)

print(json.dumps({
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "loadSeconds": load_seconds,
    "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "results": results,
}))
