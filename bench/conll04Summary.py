#!/usr/bin/env python3
"""Table of the CoNLL04 study's runs from `shirabe ner-show PROJECT RUN --json` files given as arguments."""
import json, sys
print('| head | encoder | layer | dev NER | dev RE | dev RE+ | test NER | test RE | test RE+ | best epoch / epochs | channels | s / epoch |')
print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for path in sys.argv[1:]:
    r = json.load(open(path))
    c = r['config']
    f = lambda m, k: f"{100 * m[k]['micro']['f1']:.1f}" if m else '–'
    eps = r.get('curves', {}).get('epochs', [])
    sec = sum(e['seconds'] for e in eps) / len(eps) if eps else float('nan')
    best = r.get('best') or {}
    ch = c['cnn']['channels'] if c['head'] == 'cnn' else '–'
    print(f"| {c['head']} | {c['encoder']} | {c['layer']} | {f(r['dev'], 'ner')} | {f(r['dev'], 're')} | {f(r['dev'], 'rePlus')} | {f(r['test'], 'ner')} | {f(r['test'], 're')} | {f(r['test'], 'rePlus')} | {best.get('epoch', '?')} / {len(eps)} of {c['epochs']} | {ch} | {sec:.0f} |")
