// Issue 19: one forward + backward of a BERT-base-sized encoder (12 layers, H 768, seeded random
// weights through loadEncoder) on the wasm backend as the compute worker starts it (selectBackend:
// SHIRABE_WASM_THREADS threads, else the physical cores), the gradient of mean(h²) of the last layer
// with respect to layer 0's query weight (so the backward runs through every layer, as IG's does).
// `--attention batched` keeps attention's per-head products as tfjs batched matMuls; `blocks` (the
// default, the app's) takes batchedMatMul's per-block 2-D form. Prints seconds per step and the
// wasm heap after each. Run: node --import tsx bench/wasmGradients.ts [--attention blocks|batched]
// [--rows 2] [--steps 3]; interleave A/B runs and note the load average printed beside each step.
import * as tf from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { registerGradients } from '../main/jobs/compute/gradientsBundle';
import { selectBackend } from '../main/jobs/compute/backends';
import { loadEncoder } from '../main/ml/models/index';
import { setMinBlockMacs } from '../main/ml/models/blocks/batchedMatMul';
import { bertBaseConfig, randomBert } from './bertBase';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { attention: { type: 'string', default: 'blocks' }, rows: { type: 'string', default: '2' }, steps: { type: 'string', default: '3' } } });
  if (values.attention === 'batched') setMinBlockMacs(Infinity);
  else if (values.attention !== 'blocks') throw new Error('--attention takes blocks or batched');
  const choice = await selectBackend('wasm');
  if (choice.backend !== 'wasm') throw new Error(`wasm is not available: ${choice.skipped.map((s) => s.reason).join('; ')}`);
  registerGradients();
  const raw = bertBaseConfig(12);
  const { model } = loadEncoder(raw, randomBert(raw, 7));
  const heapMiB = () => ((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0);
  const B = Number(values.rows);
  const T = 128;
  const ids = Int32Array.from({ length: B * T }, (_, i) => 5 + ((i * 7919) % 30000));
  const batch = { ids, attentionMask: new Int32Array(B * T).fill(1), batchSize: B, length: T };
  const query = [...model.parameters()].find(([k]) => k.includes('layer.0') && k.includes('query'))![1];
  query.trainable = true;
  console.log(`attention ${values.attention}, ${choice.device}, ${B} rows of ${T} tokens; heap after load ${heapMiB()} MiB`);
  for (let i = 0; i < Number(values.steps); i++) {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => tf.mean(tf.square(model.forward(batch, { keep: [12] })[0])) as tf.Scalar), [query]);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    console.log(`step ${i + 1}${i === 0 ? ' (first calls)' : ''}: ${((performance.now() - t0) / 1000).toFixed(2)} s, heap ${heapMiB()} MiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
  model.dispose();
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
