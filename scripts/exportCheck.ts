// Writes the export cases of test/exportCases.ts as Hugging Face folders, with our logits, for
// scripts/fixtures/check_export.py to load with transformers + PEFT:
//
//   node --import tsx scripts/exportCheck.ts <dir>
//   python3 scripts/fixtures/check_export.py <dir> test/fixtures/export/transformers.json
//
// <dir>/<case>/merged and <dir>/<case>/adapter hold the files; <dir>/cases.json the inputs, the
// base folder (relative to the repository root), the labels and our logits per case.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase, exportCases, inputsOf } from '../test/exportCases';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --import tsx scripts/exportCheck.ts <dir>');
await tf.setBackend('cpu');
const manifest = [];
for (const c of exportCases) {
  const { merged, adapter, logits } = exportCase(c);
  for (const [sub, files] of [['merged', merged], ['adapter', adapter]] as const) {
    mkdirSync(join(dir, c.name, sub), { recursive: true });
    for (const [name, contents] of files) writeFileSync(join(dir, c.name, sub, name), contents);
  }
  manifest.push({
    name: c.name,
    base: `test/fixtures/${c.base}`,
    id2label: Object.fromEntries(c.labels.map((l, i) => [String(i), l])),
    problemType: c.task === 'single-label' ? 'single_label_classification' : 'multi_label_classification',
    ...inputsOf(c),
    logits: logits,
  });
  console.log(c.name, [...merged.keys(), ...adapter.keys()].join(' '));
}
writeFileSync(join(dir, 'cases.json'), JSON.stringify(manifest, null, 1));
