# The PyTorch peer of bench/embed.ts: the same BERT-base-sized encoder forward (12 layers, hidden
# 768, 12 heads, intermediate 3072, erf GELU, post-LayerNorm, vocabulary 32,000) on batches of
# 16 × 128 random token ids without padding, mean pooling, float32, in torch.inference_mode —
# written from the weights as bench/attribution_torch.py does (no transformers on this machine:
# Debian's python3-torch only). Weights are seeded normal(0, 0.02) (the values do not change the
# time). Prints one JSON line: seconds per batch, threads, torch version, peak RSS.
#
#   /usr/bin/python3 bench/embed_torch.py --threads N [--batches 3] [--layers 12]
import argparse
import json
import math
import resource
import time

import torch
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--batches", type=int, default=3)
ap.add_argument("--layers", type=int, default=12)
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(20261123)

B, T, H, heads, I, V, L, eps = 16, 128, 768, 12, 3072, 32000, args.layers, 1e-12
d = H // heads


def normal(*shape):
    return torch.randn(*shape) * 0.02


W = {"word": normal(V, H), "position": normal(512, H), "type": normal(2, H), "ln": (torch.ones(H), torch.zeros(H))}
layers = []
for _ in range(L):
    layers.append(
        {
            "q": (normal(H, H), torch.zeros(H)),
            "k": (normal(H, H), torch.zeros(H)),
            "v": (normal(H, H), torch.zeros(H)),
            "o": (normal(H, H), torch.zeros(H)),
            "ln1": (torch.ones(H), torch.zeros(H)),
            "i": (normal(I, H), torch.zeros(I)),
            "out": (normal(H, I), torch.zeros(H)),
            "ln2": (torch.ones(H), torch.zeros(H)),
        }
    )


def embed(ids, mask):
    x = W["word"][ids] + W["position"][:T] + W["type"][torch.zeros_like(ids)]
    h = F.layer_norm(x, (H,), *W["ln"], eps)
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min  # [B, 1, 1, T]
    scale = 1 / math.sqrt(d)
    for p in layers:
        split = lambda t: t.view(B, T, heads, d).transpose(1, 2)  # [B, heads, T, d]
        q, k, v = (split(F.linear(h, *p[n])) for n in ("q", "k", "v"))
        probs = torch.softmax((q @ k.transpose(-1, -2)) * scale + bias, dim=-1)
        context = (probs @ v).transpose(1, 2).reshape(B, T, H)
        y = F.layer_norm(F.linear(context, *p["o"]) + h, (H,), *p["ln1"], eps)
        h = F.layer_norm(F.linear(F.gelu(F.linear(y, *p["i"])), *p["out"]) + y, (H,), *p["ln2"], eps)
    m = mask[:, :, None].float()
    return (h * m).sum(1) / m.sum(1).clamp(min=1)  # mean pooling [B, H]


ids = torch.randint(5, V, (B, T))
mask = torch.ones(B, T, dtype=torch.long)
with torch.inference_mode():
    t0 = time.perf_counter()
    embed(ids, mask)
    warm = time.perf_counter() - t0
    seconds = []
    for _ in range(args.batches):
        t0 = time.perf_counter()
        out = embed(ids, mask)
        out.numpy()
        seconds.append(time.perf_counter() - t0)
print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "layers": L,
            "warmupSeconds": warm,
            "batchSeconds": seconds,
            "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
    )
)
