// The inference engines behind ctx.inference: onnxruntime and tfjs give the same outputs through the
// same call (hidden states, pooled, logits, a padded batch); the graph cache keeps the most recently
// used graphs; onnxruntime is passed over with the reason where it should be; the execution provider
// is picked (WebGPU on a hardware adapter, DirectML, the CPU) and a failing GPU provider gives way to
// the CPU with why.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoder } from '../../ml/models/index';
import { openSafetensors } from '../../ml/weights/safetensors';
import { bytesSource } from '../../ml/weights/types';
import { tempDir } from '../../../test/fixtures';
import type { CudaReport } from '../../../common/contract';
import type { BackendChoice } from './backends';
import * as ort from 'onnxruntime-node';
import type { GpuAdapterInfo, GpuProbe } from './gpuAdapter';
import { defaultCacheDir, loadOnnxRuntime, onnxEngine, physicalCores, pickProvider, providerChoice, selectInference, tfjsEngine } from './inference';

const fixture = join(__dirname, '../../../test/fixtures/hf/bert-cls');
const cpu: BackendChoice = { backend: 'cpu', device: 'CPU (JavaScript)', skipped: [], gpu: null };

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
    const onnx = await selectInference(cpu, 'auto', { cacheDir: cache, provider: 'cpu', env: {} });
    expect(onnx.status).toMatchObject({ engine: 'onnxruntime', provider: 'cpu', threads: physicalCores().threads, reason: null, reasonCode: null, forcedBy: 'settings' });
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

  it('passes onnxruntime over with the reason: a forced backend, the CUDA backend', async () => {
    expect(loadOnnxRuntime(cpu, 'wasm')).toMatchObject({ ok: false, code: 'forced' });
    expect(loadOnnxRuntime({ backend: 'tensorflow-gpu', device: 'CUDA GPU', skipped: [], gpu: null }, 'auto')).toMatchObject({ ok: false, code: 'cuda' });
    expect(loadOnnxRuntime(cpu, 'wasm', true)).toMatchObject({ ok: true });
    const engine = await selectInference(cpu, 'cpu', { env: {} });
    expect(engine.status).toMatchObject({ engine: 'tfjs', device: 'tfjs cpu (CPU (JavaScript))', reasonCode: 'forced' });
  });

  it('keeps its graphs in the user cache folder (or SHIRABE_CACHE_DIR)', () => {
    expect(defaultCacheDir({ SHIRABE_CACHE_DIR: '/x/cache' })).toBe('/x/cache');
    if (process.platform === 'linux') expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/.cache' })).toBe('/x/.cache/shirabe');
    expect(existsSync(defaultCacheDir({ SHIRABE_CACHE_DIR: '/nonexistent/cache' }))).toBe(false);
  });
});

const adapter = (name: string, software: boolean): GpuProbe => ({
  ok: true,
  adapter: { name, vendor: '', architecture: '', description: name, software, limits: {} as GpuAdapterInfo['limits'] },
});

describe('execution provider', () => {
  const linux = ['cpu', 'webgpu'];
  const windows = ['cpu', 'webgpu', 'dml'];
  const probed = (p: GpuProbe) => ({ probe: async () => p });

  it('automatic: a hardware WebGPU adapter, never a software one; DirectML on Windows; else the CPU', async () => {
    expect(await pickProvider(linux, 'auto', { probe: probed(adapter('NVIDIA GeForce RTX 4090', false)).probe, platform: 'linux' })).toEqual({
      provider: 'webgpu',
      adapter: 'NVIDIA GeForce RTX 4090',
      skipped: [],
    });
    const lavapipe = await pickProvider(linux, 'auto', { probe: probed(adapter('llvmpipe (Mesa 25.0.7)', true)).probe, platform: 'linux' });
    expect(lavapipe).toMatchObject({ provider: 'cpu', adapter: null });
    expect(lavapipe.skipped.map((k) => [k.provider, k.code])).toEqual([
      ['webgpu', 'softwareAdapter'],
      ['dml', 'notBundled'],
    ]);
    expect(lavapipe.skipped[0].reason).toContain('llvmpipe');
    const none: GpuProbe = { ok: false, code: 'noAdapter', reason: 'no WebGPU adapter' };
    const win = await pickProvider(windows, 'auto', { probe: async () => none, platform: 'win32' });
    expect(win).toMatchObject({ provider: 'dml', skipped: [{ provider: 'webgpu', code: 'noAdapter' }] });
    const missing: GpuProbe = { ok: false, code: 'webgpuNotInstalled', reason: 'the webgpu package (Dawn) is not installed' };
    expect((await pickProvider(linux, 'auto', { probe: async () => missing, platform: 'linux' })).skipped[0]).toMatchObject({ provider: 'webgpu', code: 'webgpuNotInstalled' });
  });

  it('forced: the software adapter when WebGPU is asked for; the CPU without looking for an adapter', async () => {
    expect(await pickProvider(linux, 'webgpu', { probe: async () => adapter('llvmpipe (Mesa 25.0.7)', true), platform: 'linux', forcedBy: 'environment' })).toMatchObject({
      provider: 'webgpu',
      adapter: 'llvmpipe (Mesa 25.0.7)',
      skipped: [],
    });
    let probes = 0;
    const onCpu = await pickProvider(windows, 'cpu', { probe: async () => (probes++, adapter('x', false)), platform: 'win32', forcedBy: 'settings' });
    expect(onCpu.provider).toBe('cpu');
    expect(onCpu.skipped.map((k) => k.code)).toEqual(['notChosen', 'notChosen']);
    expect(onCpu.skipped[0].reason).toBe('the settings choose cpu');
    expect(probes).toBe(0);
    // DirectML asked for where there is none: the CPU, with why.
    expect(await pickProvider(linux, 'dml', { probe: async () => adapter('x', false), platform: 'linux' })).toMatchObject({
      provider: 'cpu',
      skipped: [{ provider: 'webgpu', code: 'notChosen' }, { provider: 'dml', code: 'notBundled' }],
    });
  });

  it("CUDA first where onnxruntime's CUDA provider and CUDA 12 + cuDNN 9 are installed; said why where they are not", async () => {
    const report = (ready: boolean): CudaReport => ({
      platform: 'linux',
      driver: { version: '560.35.03', source: 'proc', gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 }] },
      libraries: [],
      consumers: [
        { consumer: 'tfjs-node-gpu', cuda: '11.2', cudnn: '8.1', ready: false, missing: [] },
        { consumer: 'onnxruntime-cuda', cuda: '12', cudnn: '9', ready, missing: ready ? [] : [{ what: 'cudnn', need: '9', found: ['8.9.7'] }] },
      ],
    } as unknown as CudaReport);
    const gpu = probed(adapter('NVIDIA GeForce RTX 4090', false)).probe;
    expect(await pickProvider(linux, 'auto', { probe: gpu, cuda: async () => ({ installed: true, report: report(true) }), platform: 'linux' })).toEqual({
      provider: 'cuda',
      adapter: 'NVIDIA GeForce RTX 4090',
      skipped: [],
    });
    // cuDNN 8 only: WebGPU on the same GPU, and why not CUDA.
    const noCudnn = await pickProvider(linux, 'auto', { probe: gpu, cuda: async () => ({ installed: true, report: report(false) }), platform: 'linux' });
    expect(noCudnn).toMatchObject({ provider: 'webgpu', skipped: [{ provider: 'cuda', code: 'cudaMissing' }] });
    // The provider library absent (the usual case: its install script is off): not mentioned unless asked for.
    let looked = 0;
    const absent = async () => (looked++, { installed: false, report: null });
    expect((await pickProvider(linux, 'auto', { probe: gpu, cuda: absent, platform: 'linux' })).skipped).toEqual([]);
    const asked = await pickProvider(linux, 'cuda', { probe: gpu, cuda: absent, platform: 'linux', forcedBy: 'settings' });
    expect(asked).toMatchObject({ provider: 'cpu', skipped: [{ provider: 'cuda', code: 'cudaProviderMissing' }, { provider: 'webgpu', code: 'notChosen' }, { provider: 'dml', code: 'notChosen' }] });
    expect(looked).toBe(2);
    // Another provider forced: CUDA is not even looked for.
    expect((await pickProvider(linux, 'cpu', { probe: gpu, cuda: absent, platform: 'linux' })).provider).toBe('cpu');
    expect(looked).toBe(2);
  });

  it('SHIRABE_INFERENCE_PROVIDER overrides the settings', () => {
    expect(providerChoice('auto', {})).toEqual({ choice: 'auto', forcedBy: null });
    expect(providerChoice('dml', {})).toEqual({ choice: 'dml', forcedBy: 'settings' });
    expect(providerChoice('auto', { SHIRABE_INFERENCE_PROVIDER: 'WebGPU' })).toEqual({ choice: 'webgpu', forcedBy: 'environment' });
    expect(providerChoice('webgpu', { SHIRABE_INFERENCE_PROVIDER: 'auto' })).toEqual({ choice: 'auto', forcedBy: null });
    expect(providerChoice('cpu', { SHIRABE_INFERENCE_PROVIDER: 'tensorrt' })).toEqual({ choice: 'cpu', forcedBy: 'settings' });
    expect(providerChoice('auto', { SHIRABE_INFERENCE_PROVIDER: 'cuda' })).toEqual({ choice: 'cuda', forcedBy: 'environment' });
  });

  it('a GPU provider that fails to create a session or to run gives way to the CPU, with why', async () => {
    const m = model();
    const outputs = { logits: true };
    const reference = await tfjsEngine(cpu, null).run(m, batch, outputs);
    const pick = { provider: 'webgpu' as const, adapter: 'Test GPU', skipped: [] };
    // A session on the GPU provider cannot be created.
    const noSession = {
      ...ort,
      InferenceSession: {
        create: (async (graph: Uint8Array, options?: ort.InferenceSession.SessionOptions) => {
          if (options?.executionProviders?.length) throw new Error('no adapter for the WebGPU EP');
          return ort.InferenceSession.create(graph, options);
        }) as typeof ort.InferenceSession.create,
      },
    } as typeof ort;
    const a = onnxEngine(noSession, '1.30.0', { threads: 1, how: 'test' }, tempDir(), pick);
    expect(a.status).toMatchObject({ provider: 'webgpu', adapter: 'Test GPU', device: 'onnxruntime WebGPU (Test GPU)', threads: null });
    expect(maxDiff((await a.run(m, batch, outputs)).logits!, reference.logits!)).toBeLessThan(1e-4);
    expect(a.status).toMatchObject({ provider: 'cpu', adapter: null, device: expect.stringMatching(/^onnxruntime CPU, 1 thread \(/), providerSkipped: [{ provider: 'webgpu', code: 'sessionFailed' }] });
    expect(a.status.providerSkipped[0].reason).toContain('no adapter for the WebGPU EP');
    a.release();
    // A session is created but running it fails.
    const noRun = {
      ...ort,
      InferenceSession: {
        create: (async (graph: Uint8Array, options?: ort.InferenceSession.SessionOptions) => {
          const session = await ort.InferenceSession.create(graph, {});
          if (!options?.executionProviders?.length) return session;
          return Object.assign(Object.create(session) as ort.InferenceSession, { run: async () => Promise.reject(new Error('device lost')), release: () => session.release() });
        }) as typeof ort.InferenceSession.create,
      },
    } as typeof ort;
    const b = onnxEngine(noRun, '1.30.0', { threads: 1, how: 'test' }, tempDir(), pick);
    expect(maxDiff((await b.run(m, batch, outputs)).logits!, reference.logits!)).toBeLessThan(1e-4);
    expect(b.status).toMatchObject({ provider: 'cpu', providerSkipped: [{ provider: 'webgpu', code: 'runFailed', reason: expect.stringContaining('device lost') }] });
    // Later batches stay on the CPU: one failure is recorded.
    await b.run(m, batch, outputs);
    expect(b.status.providerSkipped).toHaveLength(1);
    b.release();
    m.dispose();
  });
});
