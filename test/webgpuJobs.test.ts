// The app's jobs on the tfjs WebGPU backend, through the services and a real compute worker with
// WebGPU chosen in the settings (CI: Mesa's lavapipe, forced): fine-tuning (full; LoRA with gradient
// accumulation, exported merged, as adapters and as ONNX), embedding (the model's
// weights read back from the GPU for onnxruntime's graph) and continued pretraining
// run to the end, give what the same jobs give on the WebAssembly backend (the one the app runs
// without a GPU; the model-level parity against the cpu backend is in webgpuBackend.test.ts), and
// leave no tensors behind.
// Skipped with the reason where no WebGPU adapter is found, unless SHIRABE_REQUIRE_WEBGPU=1 (CI).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, pretrainConfigSchema, trainConfigSchema, type EmbedResult, type PretrainResult, type TrainResult } from '../common/contract';
import { probeWebgpu } from '../main/jobs/compute/gpuAdapter';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource } from '../main/ml/weights/types';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const required = process.env.SHIRABE_REQUIRE_WEBGPU === '1';
const found = await probeWebgpu();
const skip = !found.ok && !required;
if (skip) console.log(`WebGPU job tests skipped: ${found.reason} (SHIRABE_REQUIRE_WEBGPU=1 makes this a failure)`);

const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');

/** Services whose compute worker runs on `backend`, with a project of 30 labelled synthetic documents. */
async function app(backend: 'webgpu' | 'wasm') {
  const dir = tempDir();
  writeFileSync(join(dir, 's.json'), JSON.stringify({ computeBackend: backend, inferenceProvider: 'cpu' }));
  const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
  const h = services.handlers;
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writeSyntheticCsv(dir, 30, 3);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
  const corpusId = (await h['corpus.list']({}))[0].id;
  return { dir, services, h, corpusId };
}

type App = Awaited<ReturnType<typeof app>>;

/** Each job once, its result and the worker's tensor count after it. */
async function jobs(a: App) {
  const { services, h, corpusId, dir } = a;
  const wait = async (jobId: string) => {
    const job = await services.jobs.wait(jobId);
    expect(JSON.stringify(job.error)).toBe('null');
    return job.result;
  };
  const t0 = performance.now();
  const train = (await wait(
    (await h['train.start'](trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'full', learningRates: [1e-3], epochs: 1, batchSize: 8, maxLength: 32, seed: 7 }))).jobId,
  )) as TrainResult;
  const status = await h['compute.status']({});
  // LoRA with gradient accumulation, then its exports: merged weights, PEFT adapters, ONNX (the weights read back off the backend).
  const lora = (await h['train.start'](
    trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'lora', learningRates: [2e-3], epochs: 1, batchSize: 4, gradientAccumulation: 2, maxLength: 32, seed: 7 }),
  )) as { jobId: string; runId: number };
  const loraResult = (await wait(lora.jobId)) as TrainResult;
  await h['train.export']({ runId: lora.runId, outDir: join(dir, 'merged'), merge: true });
  await h['train.export']({ runId: lora.runId, outDir: join(dir, 'adapter'), merge: false });
  await h['train.exportOnnx']({ runId: lora.runId, outDir: join(dir, 'onnx') });
  const exported = {
    merged: openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'merged', 'model.safetensors'))))),
    adapter: openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'adapter', 'adapter_model.safetensors'))))),
  };
  const t1 = performance.now();
  // Embedding twice: on onnxruntime's CPU provider from the weights read back off the backend, then
  // (the provider left to choose, so a chosen tfjs backend keeps inference) on the tfjs backend itself.
  const embedOptions = { corpusId, modelPath: defaultModelPath, pooling: 'mean', layer: 2, maxLength: 32, batchSize: 16, truncation: 'head' } as const;
  const embed = (await wait((await h['embed.start'](embedOptions)).jobId)) as EmbedResult;
  const vectors = services.projects.require().embeddings.vectors(embed.runId).vectors;
  await h['settings.set']({ inferenceProvider: 'auto' });
  const tfjsEmbed = (await wait((await h['embed.start'](embedOptions)).jobId)) as EmbedResult;
  const tfjsVectors = services.projects.require().embeddings.vectors(tfjsEmbed.runId).vectors;
  const inference = (await h['compute.status']({})).inference;
  const t2 = performance.now();
  const pretrain = (await wait(
    (await h['pretrain.start'](pretrainConfigSchema.parse({ corpusId, mode: 'continue', modelPath: defaultModelPath, outputDir: join(dir, 'continued'), maxLength: 32, epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 5 }))).jobId,
  )) as PretrainResult;
  const tensors = (await h['compute.status']({})).memory!.tensors;
  const seconds = [t1 - t0, t2 - t1, performance.now() - t2].map((ms) => (ms / 1000).toFixed(1)).join(' / ');
  return { status, train, loraResult, exported, onnxBytes: readFileSync(join(dir, 'onnx', 'model.onnx')).length, embed, vectors, tfjsVectors, inference, pretrain, tensors, seconds };
}

describe.skipIf(skip)('jobs on the tfjs WebGPU backend', () => {
  let gpu: App;
  let cpu: App;
  beforeAll(async () => {
    expect(found.ok ? 'found' : `SHIRABE_REQUIRE_WEBGPU=1 but ${found.reason}`).toBe('found');
    [gpu, cpu] = [await app('webgpu'), await app('wasm')];
  }, 120_000);
  afterAll(async () => {
    await gpu?.services.shutdown();
    await cpu?.services.shutdown();
  });

  it('fine-tune (full, and LoRA with accumulation and its three exports), embed and pretrain as on the WebAssembly backend; the Compute page names the adapter', async () => {
    const onGpu = await jobs(gpu);
    const onCpu = await jobs(cpu);
    expect(onGpu.status).toMatchObject({ backend: 'webgpu', gpu: { name: found.ok ? found.adapter.name : '' } });
    expect(onGpu.status.device).toContain(found.ok ? found.adapter.name : '');
    expect(onCpu.status.backend).toBe('wasm');
    // Fine-tuning: the same steps from the same seed; float rounding may differ, the curve not.
    const close = (a: number, b: number, tol: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(tol * Math.max(1, Math.abs(b)));
    close(onGpu.train.best!.validationLoss, onCpu.train.best!.validationLoss, 1e-3);
    expect(onGpu.train.test?.accuracy).toBeCloseTo(onCpu.train.test!.accuracy, 2);
    close(onGpu.loraResult.best!.validationLoss, onCpu.loraResult.best!.validationLoss, 1e-3);
    // The exports: every tensor of the merged model and of the adapters within 1e-4 of wasm's.
    let exportWorst = 0;
    for (const part of ['merged', 'adapter'] as const) {
      const [a, b] = [onGpu.exported[part], onCpu.exported[part]];
      expect([...a.tensors.keys()].sort()).toEqual([...b.tensors.keys()].sort());
      for (const name of b.tensors.keys()) {
        const [x, y] = [a.read(name), b.read(name)];
        for (let i = 0; i < y.length; i++) exportWorst = Math.max(exportWorst, Math.abs(x[i] - y[i]));
      }
    }
    expect(exportWorst).toBeLessThan(1e-4);
    expect(onGpu.onnxBytes).toBe(onCpu.onnxBytes);
    // Embedding: every vector within 1e-4, through onnxruntime and through tfjs on each backend.
    expect(onGpu.inference).toMatchObject({ engine: 'tfjs', reasonCode: 'forced' });
    expect(onGpu.inference?.device).toContain('webgpu');
    let worst = 0;
    for (const [a, b] of [[onGpu.vectors, onCpu.vectors], [onGpu.tfjsVectors, onCpu.tfjsVectors], [onGpu.tfjsVectors, onCpu.vectors]]) {
      expect(a.length).toBe(b.length);
      for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    expect(worst).toBeLessThan(1e-4);
    // Pretraining: the held-out loss before and after.
    close(onGpu.pretrain.initialLoss.loss, onCpu.pretrain.initialLoss.loss, 1e-4);
    close(onGpu.pretrain.finalLoss.loss, onCpu.pretrain.finalLoss.loss, 1e-3);
    console.log(`LoRA exports (merged, adapters): max |Δ| ${exportWorst.toExponential(2)}`);
    console.log(`seconds for fine-tuning / embedding / pretraining: WebGPU ${onGpu.seconds}, wasm ${onCpu.seconds}`);
    console.log(`WebGPU vs wasm: fine-tuned best validation loss ${onGpu.train.best!.validationLoss} / ${onCpu.train.best!.validationLoss}; embeddings max |Δ| ${worst.toExponential(2)}; pretraining held-out loss ${onGpu.pretrain.finalLoss.loss} / ${onCpu.pretrain.finalLoss.loss}`);
    // The worker keeps only the embedding model's weights, on both backends alike.
    expect(onGpu.tensors).toBe(onCpu.tensors);
  }, 600_000);
});
