// The tfjs WebGPU backend (tfjs-backend-webgpu on Dawn, the compute worker's GPU path that needs
// no CUDA toolkit) gives what the cpu backend gives on every architecture fixture: every hidden
// state and the classifier's logits within 1e-4, and a fine-tuning step's loss and the gradient of
// every parameter (full fine-tuning and LoRA) within 1e-4 of the gradient's own scale; then one
// clipped AdamW step moves the weights alike (within the 2·lr its first step allows). CI runs it on Mesa's lavapipe (Vulkan on the CPU), forced,
// since a software adapter is never chosen automatically. Without a WebGPU adapter the tests skip
// and say why, unless SHIRABE_REQUIRE_WEBGPU=1 (CI) makes that a failure.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../common/random';
import { selectBackend } from '../main/jobs/compute/backends';
import { probeWebgpu } from '../main/jobs/compute/gpuAdapter';
import { loadEncoder, type EncoderModel } from '../main/ml/models/index';
import { readF32, readMap } from '../main/ml/read';
import { trainableVariables } from '../main/ml/train/fineTune';
import { installFastGradients } from '../main/ml/train/gradients';
import { attachLora } from '../main/ml/train/lora';
import { classificationLoss, Trainer, type Example } from '../main/ml/train/trainer';
import { fixtureBatch, readHfFixture, type FixtureInputs } from './hfFixtures';

const required = process.env.SHIRABE_REQUIRE_WEBGPU === '1';
const found = await probeWebgpu();
const skip = !found.ok && !required;
if (skip) console.log(`tfjs WebGPU backend tests skipped: ${found.reason} (SHIRABE_REQUIRE_WEBGPU=1 makes this a failure)`);

const cases = ['bert-base', 'bert-cls', 'roberta-mlm', 'xlm-roberta-cls', 'distilbert-cls'];
const numLabels = 3;
const lr = 1e-3;

/** The fixture with seeded new heads (BERT's pooler where it has one, a 3-label classifier), the same on both backends. */
function load(name: string, lora: boolean): { model: EncoderModel; ref: FixtureInputs } {
  const { raw, reader, ref } = readHfFixture(name);
  const { model } = loadEncoder(raw, reader);
  const rand = mulberry32(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * 0.2;
  for (const group of ['pooler', 'classifier'] as const) if (model.specs.some((s) => s.group === group)) model.initHead(group, normal);
  if (lora) {
    attachLora(model, { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value'] }, mulberry32(3));
    // B starts at zero; give it values so the adapters' gradients reach A too.
    for (const { b } of model.lora!.layers.values()) tf.tidy(() => b.assign(tf.randomNormal(b.shape, 0, 0.3, 'float32', 5)));
  }
  return { model, ref };
}

function examplesOf(ref: FixtureInputs): Example[] {
  return ref.inputIds.map((row, i) => {
    const n = ref.attentionMask[i].reduce((a, b) => a + b, 0);
    return { ids: row.slice(0, n), tokenTypeIds: (ref.tokenTypeIds?.[i] ?? row.map(() => 0)).slice(0, n), target: i % numLabels };
  });
}

interface Outcome {
  hidden: Float32Array[];
  logits: Float32Array;
  loss: number;
  grads: Map<string, Float32Array>;
  gradNorm: number;
  /** What the AdamW step changed: after − before, per trainable tensor. */
  update: Map<string, Float32Array>;
}

/** Forward, a fine-tuning step's gradients, then one clipped AdamW step, all read back. */
async function run(name: string, lora: boolean): Promise<Outcome> {
  const { model, ref } = load(name, lora);
  try {
    const batch = fixtureBatch(ref);
    const hidden = model.forward(batch);
    const logits = tf.tidy(() => model.classify(hidden[hidden.length - 1]));
    const out = { hidden: [] as Float32Array[], logits: await readF32(logits) };
    for (const h of hidden) out.hidden.push(await readF32(h));
    tf.dispose([...hidden, logits]);
    const trainer = new Trainer(trainableVariables(model, lora ? 'lora' : 'full'), { weightDecay: 0.01, maxGradNorm: 1, loss: classificationLoss(model, { task: 'single-label', numLabels, padId: model.config.padTokenId ?? 0 }) });
    try {
      const examples = examplesOf(ref);
      const { loss, grads } = await trainer.gradients([examples]);
      const read = await readMap(grads);
      tf.dispose([...grads.values()]);
      const before = await trainer.values();
      const { gradNorm } = await trainer.step([examples], lr);
      const update = new Map([...(await trainer.values())].map(([k, v]) => [k, v.map((x, i) => x - before.get(k)![i])] as const));
      return { ...out, loss, grads: read, gradNorm, update };
    } finally {
      trainer.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** max |a − b| / max(max |b|, 1e-3): the error relative to the tensor's own scale. */
function relative(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe.skipIf(skip)('tfjs WebGPU backend = cpu backend', () => {
  const worst = { hidden: 0, logits: 0, grads: 0, after: 0 };
  beforeAll(async () => {
    await tf.setBackend('cpu');
    installFastGradients();
  });
  afterAll(async () => {
    console.log(`WebGPU vs cpu, worst relative error: hidden ${worst.hidden.toExponential(2)}, logits ${worst.logits.toExponential(2)}, gradients ${worst.grads.toExponential(2)}, AdamW updates (absolute, lr ${lr}) ${worst.after.toExponential(2)}`);
    await tf.setBackend('cpu');
  });

  it('is chosen when WebGPU is asked for, on the adapter Dawn found; a software adapter is passed over when the choice is automatic', async () => {
    expect(found.ok ? 'found' : `SHIRABE_REQUIRE_WEBGPU=1 but ${found.reason}`).toBe('found');
    if (!found.ok) return;
    const forced = await selectBackend('webgpu');
    expect(forced).toMatchObject({ backend: 'webgpu', gpu: { name: found.adapter.name, software: found.adapter.software } });
    expect(forced.device).toContain(found.adapter.name);
    expect(forced.gpu!.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    if (found.adapter.software) {
      const auto = await selectBackend('auto');
      expect(auto.backend).not.toBe('webgpu');
      expect(auto.skipped).toContainEqual(expect.objectContaining({ backend: 'webgpu', code: 'softwareAdapter' }));
      expect(auto.gpu?.name).toBe(found.adapter.name);
    }
    await tf.setBackend('cpu');
  }, 120_000);

  for (const name of cases) {
    for (const lora of name === 'bert-cls' ? [false, true] : [false]) {
      it(`${name}${lora ? ' with LoRA' : ''}: hidden states, logits, loss, every gradient and the weights after an AdamW step`, async () => {
        await tf.setBackend('cpu');
        const cpu = await run(name, lora);
        await tf.setBackend('webgpu');
        expect(tf.getBackend()).toBe('webgpu');
        const before = tf.memory().numTensors;
        const gpu = await run(name, lora);
        // Every tensor of the WebGPU run was freed.
        expect(tf.memory().numTensors).toBe(before);
        await tf.setBackend('cpu');

        const err = { hidden: Math.max(...cpu.hidden.map((h, i) => relative(gpu.hidden[i], h))), logits: relative(gpu.logits, cpu.logits), grads: 0, after: 0 };
        expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, cpu.loss));
        expect(Math.abs(gpu.gradNorm - cpu.gradNorm)).toBeLessThan(1e-4 * Math.max(1, cpu.gradNorm));
        expect([...gpu.grads.keys()].sort()).toEqual([...cpu.grads.keys()].sort());
        for (const [k, g] of cpu.grads) err.grads = Math.max(err.grads, relative(gpu.grads.get(k)!, g));
        // AdamW's first step moves each weight by lr·g/(|g| + ε) ≈ ±lr (plus the decay): where a
        // gradient is ~0 the two backends' rounding may send it either way, so the bound is 2·lr, not
        // a relative 1e-4; but the step happened (weights moved by ≈ lr), in the same direction wherever
        // the cpu's update is clear (|Δ| > lr/2).
        let moved = 0;
        let clear = 0;
        let flipped = 0;
        for (const [k, v] of cpu.update) {
          const w = gpu.update.get(k)!;
          for (let i = 0; i < v.length; i++) {
            err.after = Math.max(err.after, Math.abs(w[i] - v[i]));
            moved = Math.max(moved, Math.abs(w[i]));
            if (Math.abs(v[i]) > lr / 2) {
              clear++;
              if (Math.sign(w[i]) !== Math.sign(v[i])) flipped++;
            }
          }
        }
        expect(moved).toBeGreaterThan(lr / 2);
        expect(clear).toBeGreaterThan(0);
        expect(flipped / clear).toBeLessThan(1e-3);
        for (const key of Object.keys(worst) as (keyof typeof worst)[]) worst[key] = Math.max(worst[key], err[key]);
        expect(err.hidden).toBeLessThan(1e-4);
        expect(err.logits).toBeLessThan(1e-4);
        expect(err.grads).toBeLessThan(1e-4);
        expect(err.after).toBeLessThanOrEqual(2 * lr * (1 + 1e-3));
      }, 300_000);
    }
  }
});
