// The inference engines behind ctx.inference: onnxruntime and tfjs give the same outputs through the
// same call (hidden states, pooled, logits, a padded batch); the graph cache keeps the most recently
// used graphs; onnxruntime is passed over with the reason where it should be.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoder } from '../../ml/models/index';
import { openSafetensors } from '../../ml/weights/safetensors';
import { bytesSource } from '../../ml/weights/types';
import { tempDir } from '../../../test/fixtures';
import type { BackendChoice } from './backends';
import { defaultCacheDir, loadOnnxRuntime, physicalCores, selectInference, tfjsEngine } from './inference';

const fixture = join(__dirname, '../../../test/fixtures/hf/bert-cls');
const cpu: BackendChoice = { backend: 'cpu', device: 'CPU (JavaScript)', skipped: [] };

function model() {
  const raw = JSON.parse(readFileSync(join(fixture, 'config.json'), 'utf8')) as Record<string, unknown>;
  return loadEncoder(raw, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(fixture, 'model.safetensors')))))).model;
}

const batch = {
  ids: Int32Array.from([2, 17, 42, 7, 99, 3, 2, 33, 12, 3, 0, 0]),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
  tokenTypeIds: new Int32Array(12),
  batchSize: 2,
  length: 6,
};

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('inference engines', () => {
  it('onnxruntime gives what tfjs gives through the same call; the graph cache keeps four graphs', async () => {
    const cache = tempDir();
    const onnx = selectInference(cpu, 'auto', cache);
    expect(onnx.status).toMatchObject({ engine: 'onnxruntime', threads: physicalCores().threads, reason: null, reasonCode: null });
    const tfjs = tfjsEngine(cpu, null);
    const m = model();
    const outputs = { hidden: [0, 2], pooled: { layer: 1, pooling: 'mean' as const }, logits: true };
    const [a, b] = [await onnx.run(m, batch, outputs, 'hash-1'), await tfjs.run(m, batch, outputs)];
    for (const k of [0, 2]) expect(maxDiff(a.hidden.get(k)!, b.hidden.get(k)!)).toBeLessThan(1e-4);
    expect(maxDiff(a.pooled!, b.pooled!)).toBeLessThan(1e-4);
    expect(maxDiff(a.logits!, b.logits!)).toBeLessThan(1e-4);
    expect(readdirSync(join(cache, 'onnx'))).toHaveLength(1);
    // Eight more output sets: only the four most recently used graphs stay.
    for (const pooling of ['cls', 'mean', 'max', 'last'] as const) for (const layer of [1, 2]) await onnx.run(m, batch, { pooled: { layer, pooling } }, 'hash-1');
    expect(readdirSync(join(cache, 'onnx')).filter((f) => f.endsWith('.onnx'))).toHaveLength(4);
    // A model without a cache key (a run's classifier) is built in memory: nothing more on disk.
    const before = readdirSync(join(cache, 'onnx')).sort();
    await onnx.run(m, batch, { logits: true });
    expect(readdirSync(join(cache, 'onnx')).sort()).toEqual(before);
    onnx.release();
    m.dispose();
  });

  it('passes onnxruntime over with the reason: a forced backend, the CUDA backend', () => {
    expect(loadOnnxRuntime(cpu, 'wasm')).toMatchObject({ ok: false, code: 'forced' });
    expect(loadOnnxRuntime({ backend: 'tensorflow-gpu', device: 'CUDA GPU', skipped: [] }, 'auto')).toMatchObject({ ok: false, code: 'cuda' });
    const engine = selectInference(cpu, 'cpu');
    expect(engine.status).toMatchObject({ engine: 'tfjs', device: 'tfjs cpu (CPU (JavaScript))', reasonCode: 'forced' });
  });

  it('keeps its graphs in the user cache folder (or SHIRABE_CACHE_DIR)', () => {
    expect(defaultCacheDir({ SHIRABE_CACHE_DIR: '/x/cache' })).toBe('/x/cache');
    if (process.platform === 'linux') expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/.cache' })).toBe('/x/.cache/shirabe');
    expect(existsSync(defaultCacheDir({ SHIRABE_CACHE_DIR: '/nonexistent/cache' }))).toBe(false);
  });
});
