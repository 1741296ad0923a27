// The fine-tuning job end to end through the services with a real compute worker and the default
// model: a LoRA run finishes with test metrics and predictions and leaves no tensors behind; a run
// whose worker is killed after a checkpoint resumes and ends with exactly the metrics and logits of
// the uninterrupted run; cancel; a corpus without labels is refused with its reason.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, trainConfigSchema, type TrainResult } from '../common/contract';
import { ShirabeError } from '../common/errors';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

let corpusId = 0;
let unlabelled = 0;
const config = (extra: Record<string, unknown> = {}) =>
  trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'lora', learningRates: [2e-3], epochs: 2, batchSize: 8, maxLength: 32, checkpointEvery: 3, seed: 7, ...extra });

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writeSyntheticCsv(dir, 120, 3);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'unlabelled', textColumn: 'text', labelColumn: null } })).jobId);
  const corpora = await h['corpus.list']({});
  corpusId = corpora.find((c) => c.name === 'synthetic')!.id;
  unlabelled = corpora.find((c) => c.name === 'unlabelled')!.id;
}, 120_000);

describe('fine-tuning job', () => {
  let first: TrainResult;

  it('trains LoRA, keeps the best epoch, scores the test split, stores predictions; no tensors left in the worker', async () => {
    const estimate = await h['train.estimate'](config());
    expect(estimate.labels).toHaveLength(9);
    const steps: number[] = [];
    const off = services.events.on('train.progress', (p) => p.kind === 'step' && steps.push(p.step));
    const { jobId, runId } = await h['train.start'](config());
    const job = await services.jobs.wait(jobId);
    off();
    expect(JSON.stringify(job.error)).toBe('null');
    first = job.result as TrainResult;
    const run = await h['train.run']({ runId });
    expect(run.status).toBe('done');
    expect(run.curves.steps).toHaveLength(estimate.totalSteps);
    expect(steps).toHaveLength(estimate.totalSteps);
    expect(run.curves.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    const bestEpoch = run.curves.epochs.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
    expect(run.best).toEqual({ learningRate: 2e-3, epoch: bestEpoch.epoch, validationLoss: bestEpoch.validationLoss });
    expect(run.test!.documents).toBe(run.documents.test);
    expect(run.test!.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(run.documents.test);
    expect(run.checkpoint).toBeNull();
    const preds = await h['train.predictions']({ runId, split: 'test', gold: null, predicted: null, errorsOnly: false, offset: 0, limit: 1000 });
    expect(preds.total).toBe(run.documents.test);
    expect(preds.rows.filter((r) => r.correct).length / preds.total).toBeCloseTo(run.test!.accuracy, 10);
    // Export: the PEFT adapter and the merged model, with the tokenizer files beside them.
    const adapter = await h['train.export']({ runId, outDir: join(dir, 'adapter'), merge: false });
    expect(adapter.files).toEqual(expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors', 'vocab.txt', 'tokenizer_config.json']));
    const merged = await h['train.export']({ runId, outDir: join(dir, 'merged'), merge: true });
    expect(merged.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt']));
    await expect(h['train.export']({ runId, outDir: join(dir, 'merged'), merge: true })).rejects.toMatchObject({ code: 'exportTargetNotEmpty' });
    const reloaded = await h['models.inspect']({ path: merged.path });
    expect(reloaded).toMatchObject({ missing: [], misshaped: [], unexpected: [] });
    const tensors = (await h['compute.status']({})).memory!.tensors;
    const again = await services.jobs.wait((await h['train.start'](config({ name: 'again' }))).jobId);
    expect(again.status).toBe('done');
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensors);
    // Same seed, same backend: the same numbers.
    expect((again.result as TrainResult).test).toEqual(first.test);
  }, 300_000);

  it('resumes a run whose worker was killed after a checkpoint and ends with the uninterrupted run’s numbers', async () => {
    const { jobId, runId } = await h['train.start'](config({ name: 'killed' }));
    const off = services.events.on('train.progress', (p) => {
      if (p.runId === runId && p.kind === 'step' && p.step === 5) void services.compute.thread?.terminate();
    });
    const killed = await services.jobs.wait(jobId);
    off();
    expect(killed.status).toBe('failed');
    expect(killed.error?.code).toBe('computeWorkerDied');
    const interrupted = (await h['train.runs']({ corpusId })).find((r) => r.id === runId)!;
    expect(interrupted.checkpoint).toMatchObject({ learningRateIndex: 0, step: 3 });
    const resumed = await services.jobs.wait((await h['train.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const result = resumed.result as TrainResult;
    expect(result.best).toEqual(first.best);
    expect(result.test).toEqual(first.test);
    const run = await h['train.run']({ runId });
    expect(run.curves.steps.map((s) => s.step)).toEqual(Array.from({ length: run.curves.steps.length }, (_, i) => i + 1));
  }, 300_000);

  it('cancels, and refuses a corpus without labels', async () => {
    const { jobId, runId } = await h['train.start'](config({ name: 'cancelled' }));
    const off = services.events.on('train.progress', (p) => p.runId === runId && p.kind === 'step' && services.jobs.cancel(jobId));
    const job = await services.jobs.wait(jobId);
    off();
    expect(job.status).toBe('cancelled');
    expect((await h['train.runs']({ corpusId })).find((r) => r.id === runId)!.status).toBe('cancelled');
    await expect(h['train.start'](config({ corpusId: unlabelled }))).rejects.toMatchObject({ code: 'trainNoLabels' } satisfies Partial<ShirabeError>);
  }, 300_000);
});
