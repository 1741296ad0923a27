// onnxruntime's WebGPU execution provider gives what its CPU provider gives, within 1e-4, on every
// architecture fixture the ONNX graph tests cover: every hidden state, a pooled embedding and the
// classifier's logits, with a padded row in each batch. CI runs it on Mesa's lavapipe (Vulkan on
// the CPU), forced, since a software adapter is never chosen automatically. Without a WebGPU
// adapter the tests skip and say why, unless SHIRABE_REQUIRE_WEBGPU=1 (CI) makes that a failure.
// Dawn (the webgpu package, probed here) and onnxruntime's own Dawn are loaded in this one process.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendChoice } from '../main/jobs/compute/backends';
import { probeWebgpu } from '../main/jobs/compute/gpuAdapter';
import { selectInference, type InferenceEngine, type InferenceResult } from '../main/jobs/compute/inference';
import { loadEncoder, type EncoderModel } from '../main/ml/models/index';
import { mulberry32 } from '../common/random';
import { tempDir } from './fixtures';
import { fixtureBatch, readHfFixture } from './hfFixtures';

const required = process.env.SHIRABE_REQUIRE_WEBGPU === '1';
const found = await probeWebgpu();
const skip = !found.ok && !required;
if (skip) console.log(`WebGPU parity tests skipped: ${found.reason} (SHIRABE_REQUIRE_WEBGPU=1 makes this a failure)`);

const cpu: BackendChoice = { backend: 'cpu', device: 'CPU (JavaScript)', skipped: [], gpu: null };
const cases = ['bert-base', 'bert-mlm', 'bert-cls', 'roberta-mlm', 'xlm-roberta-cls', 'distilbert-mlm', 'distilbert-cls'];
const errors: Record<string, number> = {};
const times = { webgpu: 0, cpu: 0 };
let onGpu: InferenceEngine;
let onCpu: InferenceEngine;

/** A classifier (and BERT's pooler) where the fixture has none, so every architecture's head is compared. */
function withClassifier(model: EncoderModel): EncoderModel {
  const rand = mulberry32(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (const group of ['pooler', 'classifier'] as const) if (model.specs.some((s) => s.group === group)) model.initHead(group, normal);
  return model;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function timed(engine: InferenceEngine, which: keyof typeof times, ...args: Parameters<InferenceEngine['run']>): Promise<InferenceResult> {
  const start = performance.now();
  const result = await engine.run(...args);
  times[which] += performance.now() - start;
  return result;
}

describe.skipIf(skip)('onnxruntime WebGPU provider = CPU provider (1e-4)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const cacheDir = tempDir();
    onGpu = await selectInference(cpu, 'auto', { provider: 'webgpu', cacheDir, env: {} });
    onCpu = await selectInference(cpu, 'auto', { provider: 'cpu', cacheDir, env: {} });
  });
  afterAll(() => {
    onGpu?.release();
    onCpu?.release();
  });

  it('has a WebGPU adapter and runs inference on it when forced', () => {
    expect(found.ok ? 'found' : `SHIRABE_REQUIRE_WEBGPU=1 but ${found.reason}`).toBe('found');
    expect(onGpu.status).toMatchObject({ engine: 'onnxruntime', provider: 'webgpu', adapter: found.ok ? found.adapter.name : null, forcedBy: 'settings' });
    expect(onCpu.status).toMatchObject({ engine: 'onnxruntime', provider: 'cpu' });
  });

  for (const name of cases) {
    it(`${name}: hidden states, mean-pooled embedding and logits, with padding in the batch`, async () => {
      const { raw, reader, ref } = readHfFixture(name);
      const model = withClassifier(loadEncoder(raw, reader).model);
      const batch = fixtureBatch(ref);
      expect(batch.attentionMask.includes(0)).toBe(true);
      const L = model.config.numLayers;
      const outputs = { hidden: Array.from({ length: L + 1 }, (_, i) => i), pooled: { layer: L, pooling: 'mean' as const }, logits: true };
      const gpu = await timed(onGpu, 'webgpu', model, batch, outputs, `parity-${name}`);
      const ref_ = await timed(onCpu, 'cpu', model, batch, outputs, `parity-${name}`);
      // Still on WebGPU: a failure would have moved the engine to the CPU (and compared the CPU with itself).
      expect(onGpu.status.provider).toBe('webgpu');
      for (const k of outputs.hidden) errors[`${name} hidden_${k}`] = maxAbsDiff(gpu.hidden.get(k)!, ref_.hidden.get(k)!);
      errors[`${name} pooled`] = maxAbsDiff(gpu.pooled!, ref_.pooled!);
      errors[`${name} logits`] = maxAbsDiff(gpu.logits!, ref_.logits!);
      for (const [k, v] of Object.entries(errors)) if (k.startsWith(`${name} `)) expect(v, k).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  it('reports the largest differences and the time taken', () => {
    const worst = Object.entries(errors).sort((a, b) => b[1] - a[1]);
    const adapter = found.ok ? found.adapter.name : 'none';
    console.log(
      `onnxruntime WebGPU (${adapter}) vs CPU provider, largest |difference| of ${worst.length} comparisons over ${cases.length} fixtures: ` +
        `${worst.slice(0, 4).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}; ` +
        `time incl. session creation: WebGPU ${times.webgpu.toFixed(0)} ms, CPU ${times.cpu.toFixed(0)} ms`,
    );
    expect(worst.length).toBeGreaterThan(cases.length * 3);
  });
});
