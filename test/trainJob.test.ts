// The fine-tuning job end to end through the services with a real compute worker and the default
// model: a LoRA run finishes with test metrics and predictions and leaves no tensors behind; a run
// whose worker is killed after a checkpoint resumes and ends with exactly the metrics and logits of
// the uninterrupted run; cancel; a corpus without labels is refused with its reason.
import Database from 'better-sqlite3';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, expectRunOf, isRunOf, trainConfigSchema, type TrainResult } from '../common/contract';
import { ShirabeError } from '../common/errors';
import { errorMessage } from '../common/messages';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource } from '../main/ml/weights/types';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
const trainRuns = async (corpusId: number | null) => (await h['runs.list']({ kind: 'train', corpusId })).filter((r) => isRunOf(r, 'train'));
const trainRun = async (runId: number) => expectRunOf(await h['runs.get']({ runId }), 'train');
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
    const run = await trainRun(runId);
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
    // The worker's tensor count now, against which export and a second run must leave nothing.
    const tensors = (await h['compute.status']({})).memory!.tensors;
    // Export: the PEFT adapter and the merged model, with the tokenizer files beside them.
    const adapter = await h['train.export']({ runId, outDir: join(dir, 'adapter'), merge: false });
    expect(adapter.files).toEqual(expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors', 'vocab.txt', 'tokenizer_config.json']));
    const merged = await h['train.export']({ runId, outDir: join(dir, 'merged'), merge: true });
    expect(merged.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt']));
    await expect(h['train.export']({ runId, outDir: join(dir, 'merged'), merge: true })).rejects.toMatchObject({ code: 'exportTargetNotEmpty' });
    const reloaded = await h['models.inspect']({ path: merged.path });
    expect(reloaded).toMatchObject({ missing: [], misshaped: [], unexpected: [] });
    const again = await services.jobs.wait((await h['train.start'](config({ name: 'again' }))).jobId);
    expect(again.status).toBe('done');
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensors);
    // Same seed, same backend: the same numbers.
    expect((again.result as TrainResult).test).toEqual(first.test);
    // The estimate's count of trained parameters is what the runs kept (LoRA: adapters and head; full: everything fine-tuned).
    const kept = (id: number) => {
      const r = openSafetensors(bytesSource(services.projects.require().training.weights(id)!.safetensors));
      return [...r.tensors.values()].reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
    };
    expect(kept(runId)).toBe(estimate.trainable);
    const fullConfig = config({ name: 'full', method: 'full', learningRates: [1e-4], epochs: 1 });
    const full = await services.jobs.wait((await h['train.start'](fullConfig)).jobId);
    const fullEstimate = await h['train.estimate'](fullConfig);
    expect(kept((full.result as TrainResult).runId)).toBe(fullEstimate.trainable);
    // The measured peak is kept with the run (its provenance JSON, not among the versions), and the
    // estimate, made for batches padded to maxLength, is not below it by more than the fit's error.
    for (const [id, e] of [[runId, estimate], [(full.result as TrainResult).runId, fullEstimate]] as const) {
      const r = await trainRun(id);
      expect(r.versions).not.toHaveProperty('memory');
      expect(r.memory!.peakTensorBytes).toBeGreaterThan(0);
      expect(r.memory!.rssBytes).toBeGreaterThan(r.memory!.peakTensorBytes);
      expect(r.memory!.peakTensorBytes).toBeLessThan(1.25 * e.memoryBytes);
    }
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
    const interrupted = (await trainRuns(corpusId)).find((r) => r.id === runId)!;
    expect(interrupted.checkpoint).toMatchObject({ learningRateIndex: 0, step: 3 });
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const result = resumed.result as TrainResult;
    expect(result.best).toEqual(first.best);
    expect(result.test).toEqual(first.test);
    const run = await trainRun(runId);
    expect(run.curves.steps.map((s) => s.step)).toEqual(Array.from({ length: run.curves.steps.length }, (_, i) => i + 1));
  }, 300_000);

  it('refuses to resume or export once the base model or the corpus has changed, saying which and how', async () => {
    const copy = join(dir, 'model-copy');
    cpSync(defaultModelPath, copy, { recursive: true });
    const configPath = join(copy, 'config.json');
    const original = readFileSync(configPath);
    const finished = await services.jobs.wait((await h['train.start'](config({ name: 'finished', modelPath: copy, epochs: 1 }))).jobId);
    expect(finished.status).toBe('done');
    const done = (finished.result as TrainResult).runId;
    const { jobId, runId } = await h['train.start'](config({ name: 'paused', modelPath: copy }));
    const off = services.events.on('train.progress', (p) => p.runId === runId && p.kind === 'step' && services.jobs.cancel(jobId));
    expect((await services.jobs.wait(jobId)).status).toBe('cancelled');
    off();

    // Someone edits the model folder: its hash no longer matches the run's record.
    writeFileSync(configPath, original.toString('utf8').replace(/\}\s*$/, ', "_edited": true }'));
    await expect(h['runs.resume']({ runId })).rejects.toMatchObject({ code: 'runBaseModelChanged', params: { id: runId, path: copy } });
    await expect(h['train.export']({ runId: done, outDir: join(dir, 'changed-export'), merge: true })).rejects.toMatchObject({ code: 'runBaseModelChanged' });
    expect(existsSync(join(dir, 'changed-export'))).toBe(false);
    writeFileSync(configPath, original);

    // Someone relabels a training document outside Shirabe: the run's data hash no longer matches.
    const projectPath = (await h['project.current']({}))!.path;
    await h['project.close']({});
    const db = new Database(projectPath);
    db.prepare("UPDATE documents SET label = CASE WHEN label = 'label0' THEN 'label1' ELSE 'label0' END WHERE id = (SELECT MIN(id) FROM documents WHERE corpus_id = ? AND split = 'train')").run(corpusId);
    db.close();
    await h['project.open']({ path: projectPath });
    const error = await h['runs.resume']({ runId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'runDataChanged', params: { id: runId } });
    expect(errorMessage(error as ShirabeError, 'ja')).toContain('新しい実行を始めてください');
    // The run is still there, cancelled, with its checkpoint-free record intact.
    expect((await trainRuns(corpusId)).find((r) => r.id === runId)!.status).toBe('cancelled');
  }, 300_000);

  it('cancels, and refuses a corpus without labels', async () => {
    const { jobId, runId } = await h['train.start'](config({ name: 'cancelled' }));
    const off = services.events.on('train.progress', (p) => p.runId === runId && p.kind === 'step' && services.jobs.cancel(jobId));
    const job = await services.jobs.wait(jobId);
    off();
    expect(job.status).toBe('cancelled');
    expect((await trainRuns(corpusId)).find((r) => r.id === runId)!.status).toBe('cancelled');
    await expect(h['train.start'](config({ corpusId: unlabelled }))).rejects.toMatchObject({ code: 'trainNoLabels' } satisfies Partial<ShirabeError>);
  }, 300_000);
});
