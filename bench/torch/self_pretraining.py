# A PyTorch replica of the default model's question (issue 5): does masked-LM pretraining of the
# tiny config on livedoor's train split help fine-tuning on livedoor, and after how much? It
# mirrors Shirabe's recipes (whole-word masking 15% with 80/10/10, sequences of 128 packed from
# documents, AdamW with 6% warm-up and linear decay, batch 32; fine-tuning batch 16, 128 tokens,
# 10% warm-up, [CLS] pooler, the best epoch by dev loss), on Shirabe's own token ids and split
# (export-token-ids.ts), so that a recipe can be tried in minutes before the hours it takes on
# wasm. A guide for choosing the recipe, not a source of the numbers Shirabe reports.
#
#   node --import tsx bench/torch/export-token-ids.ts resources/models/shirabe-tiny-ja /tmp/ids.json
#   python3 bench/torch/self_pretraining.py --ids /tmp/ids.json                      # the random twin
#   python3 bench/torch/self_pretraining.py --ids /tmp/ids.json --load DIR            # from a model folder
#   python3 bench/torch/self_pretraining.py --ids /tmp/ids.json --pre-epochs 4 --save DIR   # pretrain, then fine-tune
#
# Needs torch and transformers; THREADS sets torch's threads (default 1).
import json, math, random, time, argparse, os
import numpy as np, torch, torch.nn.functional as F
from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification
torch.set_num_threads(int(os.environ.get('THREADS', '1')))
ap = argparse.ArgumentParser()
ap.add_argument('--ids', required=True)
ap.add_argument('--config', default=os.path.join(os.path.dirname(__file__), '..', '..', 'resources', 'models', 'shirabe-tiny-ja', 'config.json'))
ap.add_argument('--pre-epochs', type=int, default=0)
ap.add_argument('--pre-lr', type=float, default=1e-3)
ap.add_argument('--ft-lr', type=float, default=1e-3)
ap.add_argument('--ft-epochs', type=int, default=3)
ap.add_argument('--load', default=None)  # HF folder to fine-tune from
ap.add_argument('--save', default=None)  # written after each pretraining epoch as SAVE-eN, and as SAVE at the end
ap.add_argument('--pool', default='cls')
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--holdout', type=float, default=0.0)  # fine-tune on train minus this share, validate on it (Shirabe's 0.2), instead of on dev
a = ap.parse_args()
D = json.load(open(a.ids))
sp = D['special']; CLS, SEP, PAD, MASK = sp['cls'], sp['sep'], sp['pad'], sp['mask']
V = D['vocabSize']
docs = D['docs']
cfgd = json.load(open(a.config)); cfgd.pop('shirabe', None)
cfg = BertConfig(**cfgd)
torch.manual_seed(a.seed); random.seed(a.seed); np.random.seed(a.seed)
L = 128

def pack(split):
    seqs = []
    for d in docs:
        if d['split'] != split: continue
        ids, ws = d['ids'], d['words']
        for i in range(0, len(ids), L - 2):
            seqs.append((ids[i:i + L - 2], ws[i:i + L - 2]))
    return seqs

def mask_batch(seqs, rng):
    B = len(seqs); x = np.full((B, L), PAD, np.int64); am = np.zeros((B, L), np.int64); y = np.full((B, L), -100, np.int64)
    for b, (ids, ws) in enumerate(seqs):
        n = len(ids); x[b, 0] = CLS; x[b, 1:n + 1] = ids; x[b, n + 1] = SEP; am[b, :n + 2] = 1
        groups = {}
        for i, w in enumerate(ws): groups.setdefault(w, []).append(i)
        gl = list(groups.values()); rng.shuffle(gl)
        budget = max(1, round(n * 0.15)); chosen = []
        for g in gl:
            if len(chosen) >= budget: break
            if len(chosen) + len(g) > budget: continue
            chosen += g
        for i in chosen:
            p = i + 1; y[b, p] = x[b, p]; r = rng.random()
            if r < 0.8: x[b, p] = MASK
            elif r < 0.9: x[b, p] = rng.randrange(V)
    return torch.tensor(x), torch.tensor(am), torch.tensor(y)

def adamw(model, lr):
    nd = ['bias', 'LayerNorm.weight']
    groups = [{'params': [p for n, p in model.named_parameters() if not any(k in n for k in nd)], 'weight_decay': 0.01},
              {'params': [p for n, p in model.named_parameters() if any(k in n for k in nd)], 'weight_decay': 0.0}]
    return torch.optim.AdamW(groups, lr=lr, eps=1e-8)

def sched(opt, total, warm):
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))

def heldout(model):
    model.eval(); dev = pack('dev'); tot = 0.0; cnt = 0
    with torch.no_grad():
        for seed in range(3):
            rng = random.Random(1000 + seed)
            for i in range(0, len(dev), 64):
                x, am, y = mask_batch(dev[i:i + 64], rng)
                m = y != -100
                h = model.bert(input_ids=x, attention_mask=am).last_hidden_state[m]
                tot += F.cross_entropy(model.cls(h), y[m], reduction='sum').item(); cnt += m.sum().item()
    model.train(); return tot / cnt

t0 = time.time()
if a.load:
    mlm = BertForMaskedLM.from_pretrained(a.load)
else:
    mlm = BertForMaskedLM(cfg)
if a.pre_epochs > 0:
    train = pack('train'); rng = random.Random(7)
    steps = a.pre_epochs * math.ceil(len(train) / 32)
    opt = adamw(mlm, a.pre_lr); sc = sched(opt, steps, int(0.06 * steps)); s = 0
    print(f'pretrain {len(train)} seqs, {steps} steps; heldout {heldout(mlm):.4f}', flush=True)
    for ep in range(a.pre_epochs):
        order = list(range(len(train))); rng.shuffle(order)
        for i in range(0, len(order), 32):
            x, am, y = mask_batch([train[j] for j in order[i:i + 32]], rng)
            m = y != -100
            loss = F.cross_entropy(mlm.cls(mlm.bert(input_ids=x, attention_mask=am).last_hidden_state[m]), y[m])
            loss.backward(); torch.nn.utils.clip_grad_norm_(mlm.parameters(), 1.0); opt.step(); sc.step(); opt.zero_grad(); s += 1
            if s % 200 == 0: print(f'step {s} loss {loss.item():.3f} {time.time() - t0:.0f}s', flush=True)
        print(f'epoch {ep + 1} heldout {heldout(mlm):.4f} {time.time() - t0:.0f}s', flush=True)
        if a.save: mlm.save_pretrained(f'{a.save}-e{ep + 1}')
    if a.save: mlm.save_pretrained(a.save)

labels = sorted({d['label'] for d in docs}); li = {l: i for i, l in enumerate(labels)}
def cls_data(split):
    rows = []; ys = []
    for d in docs:
        if d['split'] != split: continue
        ids = [CLS] + d['ids'][:L - 2] + [SEP]; rows.append(ids + [PAD] * (L - len(ids))); ys.append(li[d['label']])
    x = torch.tensor(rows); return x, (x != PAD).long(), torch.tensor(ys)
torch.manual_seed(a.seed + 100)
clf = BertForSequenceClassification(BertConfig(**{**cfgd, 'num_labels': len(labels)}))
sd = {k[len('bert.'):]: v for k, v in mlm.state_dict().items() if k.startswith('bert.')}
clf.bert.load_state_dict(sd, strict=False)  # the pooler, absent from a masked-LM checkpoint, stays as initialised
xtr, amtr, ytr = cls_data('train'); xdv, amdv, ydv = cls_data('dev'); xte, amte, yte = cls_data('test')
if a.holdout > 0:
    perm0 = torch.randperm(len(ytr), generator=torch.Generator().manual_seed(a.seed + 7)); k = round(len(ytr) * a.holdout)
    vi, ti = perm0[:k], perm0[k:]
    xdv, amdv, ydv = xtr[vi], amtr[vi], ytr[vi]; xtr, amtr, ytr = xtr[ti], amtr[ti], ytr[ti]
steps = a.ft_epochs * math.ceil(len(ytr) / 16)
opt = adamw(clf, a.ft_lr); sc = sched(opt, steps, int(0.1 * steps)); g = torch.Generator().manual_seed(a.seed)
def logits(x, am):
    # The classifier on the pooler's [CLS] output (BertForSequenceClassification's own path) or on
    # the mean of the unpadded tokens; dropout acts only in training mode.
    out = clf.bert(input_ids=x, attention_mask=am)
    if a.pool == 'mean':
        m = am.unsqueeze(-1).float(); pooled = (out.last_hidden_state * m).sum(1) / m.sum(1)
    else:
        pooled = out.pooler_output
    return clf.classifier(clf.dropout(pooled))
def evaluate(x, am, y):
    clf.eval()
    with torch.no_grad():
        lo = torch.cat([logits(x[i:i + 128], am[i:i + 128]) for i in range(0, len(y), 128)])
    clf.train(); loss = F.cross_entropy(lo, y).item(); pr = lo.argmax(1)
    acc = (pr == y).float().mean().item(); f1s = []
    for k in range(len(labels)):
        tp = ((pr == k) & (y == k)).sum().item(); fp = ((pr == k) & (y != k)).sum().item(); fn = ((pr != k) & (y == k)).sum().item()
        f1s.append(0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return loss, acc, sum(f1s) / len(f1s)
best = None
for ep in range(a.ft_epochs):
    perm = torch.randperm(len(ytr), generator=g)
    for i in range(0, len(ytr), 16):
        idx = perm[i:i + 16]
        loss = F.cross_entropy(logits(xtr[idx], amtr[idx]), ytr[idx])
        loss.backward(); torch.nn.utils.clip_grad_norm_(clf.parameters(), 1.0); opt.step(); sc.step(); opt.zero_grad()
    v = evaluate(xdv, amdv, ydv); t = evaluate(xte, amte, yte)
    print(f'ft epoch {ep + 1} val loss {v[0]:.4f} acc {v[1]:.4f} | test acc {t[1]:.4f} f1 {t[2]:.4f} {time.time() - t0:.0f}s', flush=True)
    if best is None or v[0] < best[0]: best = (v[0], t)
print(f'RESULT holdout={a.holdout} pre_epochs={a.pre_epochs} pre_lr={a.pre_lr} load={a.load} ft_lr={a.ft_lr} pool={a.pool}: val {best[0]:.4f} test acc {best[1][1]:.4f} f1 {best[1][2]:.4f}', flush=True)
