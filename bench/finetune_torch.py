# The PyTorch peer of bench/finetune.ts: the same fine-tuning step of a BERT sequence classifier
# (forward, cross-entropy of the head on the pooled output, backward, clip_grad_norm_ at 1.0,
# torch.optim.AdamW with weight decay on all but biases and LayerNorm weights, as transformers'
# Trainer) in float32, from the weights the bench wrote (Hugging Face BERT names; LoRA adapters in
# PEFT's layout under "lora.") and its batch. No transformers or peft on this machine (Debian's
# python3-torch only): the forward is written from the weights, as bench/embed_torch.py and
# bench/attribution_torch.py do. Dropout off, constant learning rate, as the bench's side.
#
#   /usr/bin/python3 bench/finetune_torch.py SPEC.json --threads N --layers 12,1 --steps 2
#
# For each layer count (the first L layers of the written model, which are the weights an L-layer
# model of the bench draws), a fresh copy of the weights: one first (warm-up) step, then --steps
# timed steps on the same batch. Prints one JSON line: per layer count the seconds, losses and
# gradient norms (before clipping); torch version, threads, peak RSS of this process.
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
from torch_bert import read_safetensors  # noqa: E402


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


spec = json.load(open(sys.argv[1]))
torch.set_num_threads(int(arg("--threads", "1")))
layer_counts = [int(x) for x in arg("--layers", str(spec["config"]["layers"])).split(",")]
steps = int(arg("--steps", "2"))

cfg = spec["config"]
H, heads, eps = cfg["hidden"], cfg["heads"], cfg["eps"]
d = H // heads
stored = read_safetensors(spec["weightsFile"])
ids = torch.tensor(spec["ids"], dtype=torch.long)
labels = torch.tensor(spec["labels"], dtype=torch.long)
B, T = ids.shape
lora = spec["method"] == "lora"
scale = spec["lora"]["alpha"] / spec["lora"]["rank"]
targets = set(spec["lora"]["targets"])


def layer_of(name):
    """The encoder layer a stored tensor belongs to, or None."""
    parts = name.split(".")
    if name.startswith("bert.encoder.layer."):
        return int(parts[3])
    if name.startswith("lora.layer."):
        return int(parts[2])
    return None


def run(L):
    W = {k: v.clone() for k, v in stored.items() if layer_of(k) is None or layer_of(k) < L}
    for k, v in W.items():
        # full: everything; LoRA: the adapters and the classifier (the pooler and base frozen, as PEFT's SEQ_CLS).
        v.requires_grad_(not lora or k.startswith("lora.") or k.startswith("classifier."))
    params = [(k, v) for k, v in sorted(W.items()) if v.requires_grad]
    no_decay = lambda k: k.endswith(".bias") or k.endswith("LayerNorm.weight")
    opt = torch.optim.AdamW(
        [
            {"params": [v for k, v in params if not no_decay(k)], "weight_decay": spec["weightDecay"]},
            {"params": [v for k, v in params if no_decay(k)], "weight_decay": 0.0},
        ],
        lr=spec["lr"], betas=(0.9, 0.999), eps=1e-8,
    )

    def dense(h, prefix, adapter=None):
        y = F.linear(h, W[prefix + ".weight"], W[prefix + ".bias"])
        if adapter is not None:
            y = y + scale * F.linear(F.linear(h, W[adapter + ".lora_A"]), W[adapter + ".lora_B"])
        return y

    def ln(h, prefix):
        return F.layer_norm(h, (H,), W[prefix + ".weight"], W[prefix + ".bias"], eps)

    def loss_of():
        e = "bert.embeddings."
        x = W[e + "word_embeddings.weight"][ids] + W[e + "position_embeddings.weight"][:T] + W[e + "token_type_embeddings.weight"][torch.zeros_like(ids)]
        h = ln(x, e + "LayerNorm")
        for i in range(L):
            p = f"bert.encoder.layer.{i}."
            split = lambda t: t.view(B, T, heads, d).transpose(1, 2)
            q, k, v = (
                split(dense(h, p + "attention.self." + n, f"lora.layer.{i}.{n}" if lora and n in targets else None))
                for n in ("query", "key", "value")
            )
            probs = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(d), dim=-1)  # no padding: no mask
            context = (probs @ v).transpose(1, 2).reshape(B, T, H)
            y = ln(dense(context, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
            h = ln(dense(F.gelu(dense(y, p + "intermediate.dense")), p + "output.dense") + y, p + "output.LayerNorm")
        pooled = torch.tanh(dense(h[:, 0], "bert.pooler.dense"))
        return F.cross_entropy(dense(pooled, "classifier"), labels)

    losses, norms, seconds = [], [], []
    for _ in range(1 + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_([v for _, v in params], spec["maxGradNorm"])
        opt.step()
        seconds.append(time.perf_counter() - t0)
        losses.append(loss.item())
        norms.append(norm.item())
        print(f"[torch {torch.get_num_threads()}T] {L} layer(s), step {len(seconds)}: {seconds[-1]:.2f} s, loss {losses[-1]:.6f}, grad norm {norms[-1]:.6f}", file=sys.stderr, flush=True)
    return {"layers": L, "firstSeconds": seconds[0], "stepSeconds": seconds[1:], "losses": losses, "gradNorms": norms}


runs = [run(L) for L in layer_counts]
print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "runs": runs,
            "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
    )
)
