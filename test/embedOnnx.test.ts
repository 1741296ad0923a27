// The embed job through the services on both inference engines: onnxruntime's CPU runtime (the
// automatic choice) gives the vectors the tfjs cpu backend gives, within 1e-4; compute.status and
// the run's record name the engine; the ONNX graph is cached in the user's cache folder. With the
// inference provider set to WebGPU (lavapipe in CI) the compute worker, which has Dawn loaded for the
// adapter probe, runs the same job on onnxruntime's WebGPU provider and gives the same vectors.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, type EmbedOptions, type EmbedResult } from '../common/contract';
import { probeWebgpu } from '../main/jobs/compute/gpuAdapter';
import { buildServices, type Services } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir, writeShiftJisCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const cacheDir = join(dir, 'cache');
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
let services: Services;
let corpusId = 0;
/** The onnxruntime CPU provider's vectors, for the WebGPU run to be compared with. */
let onCpu: Float32Array[] = [];

beforeAll(async () => {
  // The worker thread takes its environment from this process when it starts.
  process.env.SHIRABE_CACHE_DIR = cacheDir;
  services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
  const h = services.handlers;
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writeShiftJisCsv(dir);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'news', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
});
afterAll(async () => {
  await services.shutdown();
  delete process.env.SHIRABE_CACHE_DIR;
});

const settings: Omit<EmbedOptions, 'corpusId' | 'pooling' | 'layer'> = { modelPath: defaultModelPath, maxLength: 64, batchSize: 3, truncation: 'head' };
const variants: Pick<EmbedOptions, 'pooling' | 'layer'>[] = [
  { pooling: 'mean', layer: -1 },
  { pooling: 'cls', layer: 1 },
  { pooling: 'max', layer: -1 },
];

async function embedAll(): Promise<{ vectors: Float32Array[]; backends: string[] }> {
  const h = services.handlers;
  const vectors: Float32Array[] = [];
  const backends: string[] = [];
  for (const v of variants) {
    const job = await services.jobs.wait((await h['embed.start']({ corpusId, ...settings, ...v })).jobId);
    expect(job.error).toBeNull();
    const result = job.result as EmbedResult;
    vectors.push(services.projects.require().embeddings.vectors(result.runId).vectors);
    backends.push(result.backend);
  }
  return { vectors, backends };
}

describe('embed job on onnxruntime and on tfjs', () => {
  it('gives the same vectors (1e-4), names the engine in compute.status and in the run, caches the graph', async () => {
    const h = services.handlers;
    await h['settings.set']({ computeBackend: 'cpu' });
    const tfjs = await embedAll();
    const tfjsStatus = await h['compute.status']({});
    expect(tfjsStatus.inference).toMatchObject({ engine: 'tfjs', reasonCode: 'forced', reason: expect.stringContaining('set to cpu') });
    expect(tfjs.backends.every((b) => b.startsWith('tfjs cpu'))).toBe(true);

    // Automatic: the worker restarts (idle) and runs inference on onnxruntime.
    await h['settings.set']({ computeBackend: 'auto' });
    const onnx = await embedAll();
    onCpu = onnx.vectors;
    const status = await h['compute.status']({});
    expect(status.inference).toMatchObject({ engine: 'onnxruntime', provider: 'cpu', reason: null, reasonCode: null });
    expect(status.inference!.device).toMatch(/^onnxruntime CPU, \d+ threads? \(/);
    expect(onnx.backends.every((b) => b === status.inference!.device)).toBe(true);
    const runs = await h['embed.runs']({ corpusId });
    expect(runs[0].backend).toBe(status.inference!.device);

    let worst = 0;
    onnx.vectors.forEach((v, i) => {
      expect(v.length).toBe(tfjs.vectors[i].length);
      for (let j = 0; j < v.length; j++) worst = Math.max(worst, Math.abs(v[j] - tfjs.vectors[i][j]));
    });
    console.log(`embed job, onnxruntime vs tfjs cpu: largest |difference| ${worst.toExponential(2)} over ${variants.length} runs`);
    expect(worst).toBeLessThan(1e-4);

    // One graph per model and outputs, in the user's cache folder (not the project).
    expect(existsSync(join(cacheDir, 'onnx'))).toBe(true);
    expect(readdirSync(join(cacheDir, 'onnx')).filter((f) => f.endsWith('.onnx')).length).toBe(variants.length);
    // Embedding again reuses the cached graph.
    const again = await embedAll();
    expect(Array.from(again.vectors[0])).toEqual(Array.from(onnx.vectors[0]));
    expect(readdirSync(join(cacheDir, 'onnx')).filter((f) => f.endsWith('.onnx')).length).toBe(variants.length);
  });

  it('runs on the WebGPU provider when the settings choose it, with the vectors of the CPU provider (1e-4)', async (ctx) => {
    const found = await probeWebgpu();
    if (!found.ok) {
      console.log(`WebGPU embed job skipped: ${found.reason}`);
      if (process.env.SHIRABE_REQUIRE_WEBGPU === '1') throw new Error(`SHIRABE_REQUIRE_WEBGPU=1 but ${found.reason}`);
      ctx.skip();
    }
    expect(onCpu).toHaveLength(variants.length);
    const h = services.handlers;
    await h['settings.set']({ inferenceProvider: 'webgpu' });
    try {
      const gpu = await embedAll();
      const status = await h['compute.status']({});
      expect(status.inference).toMatchObject({ engine: 'onnxruntime', provider: 'webgpu', forcedBy: 'settings', adapter: expect.any(String) });
      expect(status.inference!.device).toBe(`onnxruntime WebGPU (${status.inference!.adapter})`);
      expect(gpu.backends.every((b) => b === status.inference!.device)).toBe(true);
      let worst = 0;
      gpu.vectors.forEach((v, i) => {
        for (let j = 0; j < v.length; j++) worst = Math.max(worst, Math.abs(v[j] - onCpu[i][j]));
      });
      console.log(`embed job, onnxruntime WebGPU (${status.inference!.adapter}) vs CPU provider: largest |difference| ${worst.toExponential(2)} over ${variants.length} runs`);
      expect(worst).toBeLessThan(1e-4);
    } finally {
      await h['settings.set']({ inferenceProvider: 'auto' });
    }
  });
});
