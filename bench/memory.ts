// Calibration data of the training-memory estimate (main/ml/models/memory.ts): one real step of
// each kind of training on fresh BERTs of several shapes, its peak tensor bytes under tf.profile on
// the cpu backend (the tensors are the same on every backend; wasm keeps them in its 4 GiB heap),
// beside the estimate. `node --import tsx bench/memory.ts [--held-out] [--json FILE]`: the fitted
// grid, or with --held-out the shapes and batches the fit never saw (checked against the formula).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { estimatedPeak, probeStep, type ProbeKind } from '../main/ml/testing/memoryProbe';
import { registerGradients } from '../main/jobs/compute/gradientsBundle';

interface Case {
  kind: ProbeKind;
  L: number;
  H: number;
  I: number;
  nh: number;
  V: number;
  B: number;
  T: number;
}

const grid: Case[] = [];
const shapes = process.argv.includes("--held-out") ? [
  { L: 4, H: 160, I: 640, nh: 5, V: 4000 },
  { L: 2, H: 256, I: 1024, nh: 4, V: 1500 },
  { L: 3, H: 120, I: 360, nh: 6, V: 2500 },
] : [
  { L: 1, H: 64, I: 256, nh: 2, V: 1000 },
  { L: 2, H: 64, I: 256, nh: 2, V: 1000 },
  { L: 2, H: 128, I: 512, nh: 2, V: 2000 },
  { L: 2, H: 128, I: 256, nh: 4, V: 2000 },
  { L: 3, H: 96, I: 384, nh: 4, V: 3000 },
  { L: 2, H: 192, I: 768, nh: 3, V: 1000 },
];
const batches = process.argv.includes("--held-out") ? [
  { B: 3, T: 96 },
  { B: 6, T: 48 },
  { B: 1, T: 256 },
] : [
  { B: 4, T: 32 },
  { B: 8, T: 64 },
  { B: 2, T: 128 },
];
for (const kind of ['full', 'lora', 'mlm', 'simcse', 'embed'] as ProbeKind[]) for (const s of shapes) for (const b of batches) grid.push({ kind, ...s, ...b });

async function main() {
  await tf.setBackend('cpu');
  registerGradients(); // tfjs's gradients from dist/ (npm run build), then ours
  const out: (Case & { before: number; peak: number; estimate: number })[] = [];
  for (const c of grid) {
    const shape = { vocabSize: c.V, hiddenSize: c.H, numLayers: c.L, numHeads: c.nh, intermediateSize: c.I, maxPositions: 512, typeVocabSize: 2 };
    const p = await probeStep(c.kind, shape, c.B, c.T);
    const estimate = estimatedPeak(c.kind, shape, c.B, c.T);
    out.push({ ...c, ...p, estimate });
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(`${c.kind}\tL${c.L} H${c.H} I${c.I} nh${c.nh} V${c.V} B${c.B} T${c.T}\tpeak ${mib(p.peak)} MiB\testimate ${mib(estimate)} MiB\t${(((estimate - p.peak) / p.peak) * 100).toFixed(1)}%`);
  }
  const i = process.argv.indexOf('--json');
  if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify(out, null, 1));
}
void main();
