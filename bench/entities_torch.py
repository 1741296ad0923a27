# The PyTorch peer of bench/entities.ts: the frozen-encoder table-filling head step (word vectors
# [B, n, H] given) in Debian's python3-torch, float32, on the same batch shapes (B, n and the words
# of each sentence) as ours timed: forward with dropout, the loss of main/ml/entities/tableFiller.ts
# (mean cross-entropy over real words' tags + mean over upper-triangle cells of real words),
# backward, clipping to norm 1 and AdamW (decay 0.01 except biases) — what Trainer.step does.
# The heads are those of scripts/fixtures/make_tablefill_fixtures.py (which runs on import, so the
# minimal part is copied here), batched, with cells outside a sentence zeroed after every layer as
# tableFiller.ts does. Word vectors and labels are seeded random (speed only).
#
#   /usr/bin/python3 bench/entities_torch.py SPEC.json THREADS   (prints one JSON line)
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

spec = json.load(open(sys.argv[1]))
threads = int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(spec["seed"])
load_before = "%.2f" % os.getloadavg()[0]


def params(case):
    H, E, R = case["hidden"], case["E"], case["R"]
    g = lambda *shape: (torch.randn(*shape) * 0.02).requires_grad_(True)
    z = lambda *shape: torch.zeros(*shape, requires_grad=True)
    if case["head"] == "cnn":
        c = spec["cnn"]
        kh, kw = c["kernel"]
        P = {}
        for l in range(c["layers"]):
            cin = 2 * H if l == 0 else c["channels"]
            cout = R if l == c["layers"] - 1 else c["channels"]
            P[f"layer.{l}.weight"] = g(cout, cin, kh, kw)
            P[f"layer.{l}.bias"] = z(cout)
        P["entity.weight"] = g(R, E)
        P["entity.bias"] = z(E)
        return P
    d = spec["biaffine"]["hidden"]
    return {
        "head.weight": g(H, d), "head.bias": z(d), "tail.weight": g(H, d), "tail.bias": z(d),
        "bilinear": g(d, R * d), "linearHead": g(d, R), "linearTail": g(d, R), "bias": z(R),
        "entity.weight": g(H, E), "entity.bias": z(E),
    }


def logits(case, P, e, mask):
    B, n, H = e.shape
    R = case["R"]
    if case["head"] == "biaffine":
        p = spec["biaffine"]["dropout"]
        d = spec["biaffine"]["hidden"]
        e = F.dropout(e, p, True)
        hh = F.dropout(torch.relu(e @ P["head.weight"] + P["head.bias"]), p, True)
        ht = F.dropout(torch.relu(e @ P["tail.weight"] + P["tail.bias"]), p, True)
        left = (hh @ P["bilinear"]).view(B, n * R, d)  # [B, n·R, d]
        rel = (left @ ht.transpose(1, 2)).view(B, n, R, n).permute(0, 1, 3, 2)  # [B, n, n, R]
        rel = rel + (hh @ P["linearHead"])[:, :, None, :] + (ht @ P["linearTail"])[:, None, :, :] + P["bias"]
        ent = e @ P["entity.weight"] + P["entity.bias"]
        return ent, rel
    c = spec["cnn"]
    kh, kw = c["kernel"]
    cell = (mask[:, :, None] * mask[:, None, :])[:, None]  # [B, 1, n, n]
    x = torch.cat([e[:, :, None, :].expand(B, n, n, H), e[:, None, :, :].expand(B, n, n, H)], dim=3).permute(0, 3, 1, 2)  # [B, 2H, n, n]
    x = F.dropout(x * cell, c["dropout"], True)
    for l in range(c["layers"]):
        x = F.conv2d(x, P[f"layer.{l}.weight"], P[f"layer.{l}.bias"], padding=(kh // 2, kw // 2))
        if l < c["layers"] - 1:
            x = F.dropout2d(torch.relu(x), c["dropout"], True)
        x = x * cell
    rel = x.permute(0, 2, 3, 1)  # [B, n, n, R]
    ar = torch.arange(n)
    ent = rel[:, ar, ar] @ P["entity.weight"] + P["entity.bias"]
    return ent, rel


def batch(case, words, gen):
    B, n, H = len(words), max(words), case["hidden"]
    mask = torch.zeros(B, n)
    for b, k in enumerate(words):
        mask[b, :k] = 1
    e = torch.randn(B, n, H, generator=gen) * mask[:, :, None]
    tags = torch.randint(0, case["E"], (B, n), generator=gen)
    rels = torch.where(torch.rand(B, n, n, generator=gen) < 0.95, 0, torch.randint(1, case["R"], (B, n, n), generator=gen))
    upper = torch.triu(torch.ones(n, n), diagonal=1)[None] * mask[:, :, None] * mask[:, None, :]
    return e, mask, tags, rels, upper


def loss_of(case, P, e, mask, tags, rels, upper):
    ent, rel = logits(case, P, e, mask)
    le = (F.cross_entropy(ent.reshape(-1, case["E"]), tags.reshape(-1), reduction="none") * mask.reshape(-1)).sum() / mask.sum()
    lr_ = (F.cross_entropy(rel.reshape(-1, case["R"]), rels.reshape(-1), reduction="none") * upper.reshape(-1)).sum() / upper.sum().clamp(min=1)
    return le + lr_


out = []
for case in spec["cases"]:
    gen = torch.Generator().manual_seed(spec["seed"])
    P = params(case)
    decay = [p for k, p in P.items() if not k.endswith("bias")]
    nodecay = [p for k, p in P.items() if k.endswith("bias")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": spec["weightDecay"]}, {"params": nodecay, "weight_decay": 0.0}], lr=spec["lr"], eps=1e-8)
    batches = [batch(case, w, gen) for w in case["batches"]]
    times, losses = [], []
    # The first batch again as the warm-up, then every batch timed.
    for i, b in enumerate([batches[0]] + batches):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_of(case, P, *b)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(P.values()), spec["maxGradNorm"])
        opt.step()
        dt = time.perf_counter() - t0
        losses.append(loss.item())
        times.append(dt)
    steps = times[1:]
    sizes = [len(w) for w in case["batches"]]
    out.append({"model": case["model"], "head": case["head"], "warmupSeconds": times[0], "stepSeconds": steps, "sentencesPerSecond": sum(sizes) / sum(steps), "loss": losses})
    print(f"[torch {threads}T] {case['model']} {case['head']}: {out[-1]['sentencesPerSecond']:.2f} sentences/s (load {os.getloadavg()[0]:.2f})", file=sys.stderr)

print(json.dumps({"threads": threads, "loadAverage": f"{load_before} → {os.getloadavg()[0]:.2f}", "cases": out}))
