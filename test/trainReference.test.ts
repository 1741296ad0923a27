// Fine-tuning steps against Hugging Face transformers 5.17 + PEFT 0.21 + torch 2.11 (fixtures
// made by scripts/fixtures/make_train_fixtures.py): step-0 gradients of every trainable tensor,
// then four AdamW steps with clipping and the warm-up/decay schedule — per-step loss and gradient
// norm, the final parameters and the final logits. On the cpu backend (tfjs's own kernels) and on
// wasm (the fast path, with installFastGradients' matMul and gather gradients).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../main/jobs/compute/backends';
import { loadEncoder, type EncoderModel } from '../main/ml/models/index';
import { installFastGradients } from '../main/ml/train/gradients';
import { expectNoLeakedTensors } from '../main/ml/testing/tensors';
import { attachLora, setLoraParams } from '../main/ml/train/lora';
import { classificationLoss, logitsOf, Trainer, type Example } from '../main/ml/train/trainer';
import { trainableVariables } from '../main/ml/train/fineTune';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource, type TensorReader } from '../main/ml/weights/types';
import { fixturesDir } from './weightsFixtures';

interface Reference {
  inputIds: number[][];
  tokenTypeIds: number[][] | null;
  labels: number[] | number[][];
  lrs: number[];
  losses: number[];
  gradNorms: number[];
  finalLogits: number[];
  trainable: string[];
  weightDecay: number;
  maxGradNorm: number;
}

const read = (path: string): TensorReader => openSafetensors(bytesSource(new Uint8Array(readFileSync(path))));
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function examplesOf(ref: Reference): Example[] {
  return ref.inputIds.map((row, i) => {
    const n = row.findLastIndex((t) => t !== 0) + 1;
    return { ids: row.slice(0, n), tokenTypeIds: (ref.tokenTypeIds?.[i] ?? row.map(() => 0)).slice(0, n), target: ref.labels[i] };
  });
}

/** HF parameter name (as PEFT or the plain model names it) -> our key, through the architecture's own name table. */
function hfNames(model: EncoderModel, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of model.arch.params(model.config)) {
    for (const n of spec.names) out.set(n.startsWith('!') ? n.slice(1) : prefix + n, spec.key);
  }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Our tensor in torch's layout ([out, in] for Linear weights; lora A [r, in], B [out, r]). */
function ours(model: EncoderModel, key: string, t: tf.Tensor): Float32Array {
  const linear = model.linearKeys.has(key) || /^lora:/.test(key);
  return tf.tidy(() => (linear ? tf.transpose(t) : t).dataSync() as Float32Array);
}

const cases = [
  { name: 'bert-full-single', start: 'hf/bert-cls', prefix: 'bert.', task: 'single-label' as const, method: 'full' as const },
  { name: 'bert-full-multi', start: 'hf/bert-cls', prefix: 'bert.', task: 'multi-label' as const, method: 'full' as const },
  { name: 'bert-lora-single', start: 'hf/bert-cls', prefix: 'bert.', task: 'single-label' as const, method: 'lora' as const },
  { name: 'distilbert-full-single', start: 'train/distilbert-full-single/start', prefix: 'distilbert.', task: 'single-label' as const, method: 'full' as const },
];

describe.each(['cpu', 'wasm'] as const)('fine-tuning steps against transformers + PEFT (%s)', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
    installFastGradients();
  });

  it.each(cases)('$name: gradients, 4 AdamW steps, final parameters and logits', ({ name, start, prefix, task, method }) =>
    expectNoLeakedTensors(async () => {
    const dir = join(fixturesDir, 'train', name);
    const ref = json<Reference>(join(dir, 'reference.json'));
    const raw = json<Record<string, unknown>>(join(fixturesDir, start, 'config.json'));
    const { model } = loadEncoder(raw, read(join(fixturesDir, start, 'model.safetensors')));
    if (method === 'lora') {
      attachLora(model, { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value'] }, () => 0.5);
      const startLora = read(join(dir, 'lora_start.safetensors'));
      const values = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [n, info] of startLora.tensors) {
        const m = /^layer\.(\d+)\.attention\.self\.(query|value)\.(lora_[AB])$/.exec(n)!;
        values.set(`layer.${m[1]}.${m[2]}.${m[3]}`, { shape: info.shape, data: startLora.read(n) });
      }
      setLoraParams(model, values);
    }
    const trainable = trainableVariables(model, method);
    const trainer = new Trainer(trainable, { weightDecay: ref.weightDecay, maxGradNorm: ref.maxGradNorm, loss: classificationLoss(model, { task, numLabels: 3, padId: 0 }) });
    const batch = examplesOf(ref);
    // PEFT / HF names of the reference tensors -> our trainable keys.
    const names = hfNames(model, prefix);
    const keyOf = (n: string): string => {
      const lora = /layer\.(\d+)\.attention\.self\.(query|value)\.lora_([AB])\.default\.weight$/.exec(n);
      if (lora) return `lora:layer.${lora[1]}.${lora[2]}.${lora[3] === 'A' ? 'a' : 'b'}`;
      const plain = n.replace(/^base_model\.model\./, '').replace('.modules_to_save.default', '');
      return names.get(plain)!;
    };
    expect(new Set(ref.trainable.map(keyOf))).toEqual(new Set(trainable.keys()));

    // Step-0 gradients of every trainable tensor.
    const refGrads = read(join(dir, 'grads_step0.safetensors'));
    const { loss, grads } = await trainer.gradients([batch]);
    expect(loss).toBeCloseTo(ref.losses[0], 5);
    let worstGrad = 0;
    for (const n of ref.trainable) {
      const g = grads.get(keyOf(n))!;
      worstGrad = Math.max(worstGrad, maxDiff(ours(model, keyOf(n), g), refGrads.read(n)));
    }
    for (const g of grads.values()) g.dispose();
    expect(worstGrad).toBeLessThan(1e-5);

    // Four steps at the reference's learning rates (warm-up 2, linear decay to 0 at 4).
    for (const [i, lr] of ref.lrs.entries()) {
      const s = await trainer.step([batch], lr);
      expect(s.loss).toBeCloseTo(ref.losses[i], 5);
      expect(s.gradNorm).toBeCloseTo(ref.gradNorms[i], 5);
    }
    const refFinal = read(join(dir, 'final.safetensors'));
    let worstParam = 0;
    for (const n of ref.trainable) worstParam = Math.max(worstParam, maxDiff(ours(model, keyOf(n), trainable.get(keyOf(n))!), refFinal.read(n)));
    // Adam divides by √v: where a gradient is tiny (multi-label, norm 0.002) float32 rounding shows more.
    expect(worstParam).toBeLessThan(5e-5);
    const logits = logitsOf(model, batch, 0);
    expect(maxDiff(logits.dataSync(), ref.finalLogits)).toBeLessThan(1e-5);
    logits.dispose();
    trainer.dispose();
    model.dispose();
  }));
});
