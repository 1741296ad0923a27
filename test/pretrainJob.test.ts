// Domain pretraining end to end through the services with a real compute worker, at tiny scale: a
// BERT from scratch with a vocabulary learned from the corpus learns (held-out loss below its
// start), its folder reopens as a model; continued pretraining of the default model; a run whose
// worker is killed after a checkpoint resumes and ends with the uninterrupted run's numbers and
// weights; masked-LM loss comparison flags different tokenizers; vocabulary learning and position
// extension write folders that load; bad input is refused with its reason; no tensors are left.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, expectRunOf, isRunOf, pretrainConfigSchema, type MlmEvaluation, type PretrainResult, type VocabResult } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
const pretrainRuns = async (corpusId: number | null) => (await h['runs.list']({ kind: 'pretrain', corpusId })).filter((r) => isRunOf(r, 'pretrain'));
const pretrainRun = async (runId: number) => expectRunOf(await h['runs.get']({ runId }), 'pretrain');
afterAll(() => services.shutdown());

let corpusId = 0;
const scratch = (extra: Record<string, unknown> = {}) =>
  pretrainConfigSchema.parse({
    corpusId,
    mode: 'scratch',
    outputDir: join(dir, `out-${Math.random().toString(36).slice(2)}`),
    scratch: { vocabSize: 400, hiddenSize: 32, numLayers: 1, numHeads: 2, intermediateSize: 64, maxPositions: 64 },
    maxLength: 32,
    epochs: 2,
    batchSize: 8,
    learningRate: 3e-3,
    checkpointEvery: 4,
    seed: 3,
    ...extra,
  });

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writeSyntheticCsv(dir, 150, 4);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
}, 120_000);

describe('domain pretraining job', () => {
  let first: PretrainResult;

  it('pretrains a BERT from scratch with its own vocabulary: the held-out loss falls, the folder reopens', async () => {
    const tensors = (await h['compute.status']({})).memory?.tensors ?? 0;
    const config = scratch();
    const estimate = await h['pretrain.estimate'](config);
    expect(estimate.documents.train).toBeGreaterThan(100);
    const evals: number[] = [];
    const off = services.events.on('pretrain.progress', (p) => p.kind === 'eval' && evals.push(p.loss));
    const { jobId, runId } = await h['pretrain.start'](config);
    const job = await services.jobs.wait(jobId);
    off();
    expect(JSON.stringify(job.error)).toBe('null');
    first = job.result as PretrainResult;
    expect(evals).toHaveLength(3); // before training and after each epoch
    expect(first.finalLoss.loss).toBeLessThan(first.initialLoss.loss - 0.5);
    const run = await pretrainRun(runId);
    expect(run.status).toBe('done');
    expect(run.output!.parameters).toBe(estimate.parameters - (400 - run.output!.vocabSize) * 33); // the learned vocabulary may be smaller than asked
    expect(run.points.filter((p) => p.kind === 'step').length).toBeGreaterThan(10);
    // The measured peak is kept with the run; the estimate (from the new BERT's shapes, for sequences of maxLength) is not below it by more than the fit's error.
    expect(run.memory!.peakTensorBytes).toBeGreaterThan(0);
    expect(run.memory!.peakTensorBytes).toBeLessThan(1.25 * estimate.memoryBytes);
    expect(existsSync(join(config.outputDir, '.shirabe-checkpoint'))).toBe(false);
    const info = await h['models.inspect']({ path: config.outputDir });
    expect(info).toMatchObject({ missing: [], misshaped: [], unexpected: [], modelType: 'bert' });
    expect(info.loadedHeads.mlm).toBe(true);
    expect(info.tokenizer.description).toContain('MeCab');
    // vocab.txt has exactly one line per token of the model's vocabulary.
    expect(readFileSync(join(config.outputDir, 'vocab.txt'), 'utf8').split('\n').length - 1).toBe(info.vocabSize);
    expect(readFileSync(join(config.outputDir, 'README.md'), 'utf8')).toContain(first.finalLoss.loss.toFixed(4));
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensors);
  }, 300_000);

  it('resumes a run whose worker was killed after a checkpoint and ends with the same loss and weights', async () => {
    const config = scratch({ name: 'killed' });
    const { jobId, runId } = await h['pretrain.start'](config);
    let checkpoints = 0;
    const watch = setInterval(() => {
      void pretrainRuns(corpusId).then((runs) => {
        const r = runs.find((x) => x.id === runId);
        if (r?.checkpoint && r.checkpoint.step >= 8 && checkpoints++ === 0) void services.compute.thread?.terminate();
      });
    }, 20);
    const killed = await services.jobs.wait(jobId);
    clearInterval(watch);
    expect(killed.status).toBe('failed');
    expect(killed.error?.code).toBe('computeWorkerDied');
    const interrupted = await pretrainRun(runId);
    expect(interrupted.checkpoint!.step).toBeGreaterThanOrEqual(8);
    expect(existsSync(join(config.outputDir, '.shirabe-checkpoint', 'checkpoint.safetensors'))).toBe(true);
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const result = resumed.result as PretrainResult;
    expect(result.initialLoss).toEqual(first.initialLoss);
    expect(result.finalLoss).toEqual(first.finalLoss);
    expect(readFileSync(join(config.outputDir, 'model.safetensors'))).toEqual(readFileSync(join(first.outputDir, 'model.safetensors')));
    expect(readFileSync(join(config.outputDir, 'vocab.txt'), 'utf8')).toBe(readFileSync(join(first.outputDir, 'vocab.txt'), 'utf8'));
  }, 300_000);

  it('cancels: the run is kept as cancelled, resumable, and no model is written', async () => {
    const config = scratch({ name: 'cancelled' });
    const { jobId, runId } = await h['pretrain.start'](config);
    const off = services.events.on('pretrain.progress', (p) => p.runId === runId && p.kind === 'step' && services.jobs.cancel(jobId));
    const job = await services.jobs.wait(jobId);
    off();
    expect(job.status).toBe('cancelled');
    const run = (await pretrainRuns(corpusId)).find((r) => r.id === runId)!;
    expect(run.status).toBe('cancelled');
    expect(existsSync(join(config.outputDir, 'model.safetensors'))).toBe(false);
    await h['runs.delete']({ runId });
    await expect(pretrainRun(runId)).rejects.toMatchObject({ code: 'runNotFound' });
  }, 120_000);

  it('continues pretraining the default model, and compares masked-LM losses, flagging different tokenizers', async () => {
    const config = pretrainConfigSchema.parse({ corpusId, mode: 'continue', modelPath: defaultModelPath, outputDir: join(dir, 'continued'), maxLength: 32, epochs: 1, batchSize: 8, learningRate: 1e-3, seed: 5 });
    const job = await services.jobs.wait((await h['pretrain.start'](config)).jobId);
    expect(JSON.stringify(job.error)).toBe('null');
    const r = job.result as PretrainResult;
    expect(r.finalLoss.loss).toBeLessThan(r.initialLoss.loss);
    // The continued model keeps the default model's tokenizer files.
    expect(readFileSync(join(config.outputDir, 'vocab.txt'), 'utf8')).toBe(readFileSync(join(defaultModelPath, 'vocab.txt'), 'utf8'));
    const tensors = (await h['compute.status']({})).memory?.tensors ?? 0;
    const evalJob = await services.jobs.wait((await h['mlm.evaluate']({ corpusId, modelPaths: [defaultModelPath, config.outputDir, first.outputDir], split: 'dev', maxLength: 32, seeds: 3, mlmProbability: 0.15, wholeWordMasking: true, batchSize: 16 })).jobId);
    expect(JSON.stringify(evalJob.error)).toBe('null');
    const e = evalJob.result as MlmEvaluation;
    expect(e.models.map((m) => m.group)).toEqual([0, 0, 1]);
    expect(e.models.every((m) => m.loss.perSeed.length === 3)).toBe(true);
    // The evaluation masks are those the run's held-out loss used: the same numbers for the same model and text.
    expect(e.models[1].loss.loss).toBeCloseTo(r.finalLoss.loss, 5);
    expect(e.models[0].loss.loss).toBeCloseTo(r.initialLoss.loss, 5);
    expect(await h['mlm.evaluations']({ corpusId })).toHaveLength(1);
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensors);
  }, 300_000);

  it('learns a vocabulary alone and extends the default model to 1,024 positions', async () => {
    const v = await services.jobs.wait((await h['vocab.learn']({ corpusId, vocabSize: 500, wordSplitter: 'mecab', lowercase: false, outDir: join(dir, 'vocab') })).jobId);
    const r = v.result as VocabResult;
    expect(r.files).toEqual(['special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt']);
    expect(readFileSync(join(r.path, 'vocab.txt'), 'utf8').split('\n').slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    const x = await h['models.extendPositions']({ path: defaultModelPath, outDir: join(dir, 'long'), length: 1024 });
    expect([x.from, x.to]).toEqual([512, 1024]);
    const info = await h['models.inspect']({ path: x.path });
    expect(info).toMatchObject({ maxPositions: 1024, missing: [], misshaped: [] });
    expect(info.tokenizer.maxLength).toBe(1024);
  }, 120_000);

  it('refuses a non-empty output folder, a corpus without held-out text, and an unchanged length', async () => {
    await expect(h['pretrain.start'](scratch({ outputDir: dir }))).rejects.toMatchObject({ code: 'exportTargetNotEmpty' });
    mkdirSync(join(dir, 'nodev'));
    const csv = writeSyntheticCsv(join(dir, 'nodev'), 20, 9);
    await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'nodev', textColumn: 'text', labelColumn: null, split: [1, 0, 0] } })).jobId);
    const nodev = (await h['corpus.list']({})).find((c) => c.name === 'nodev')!.id;
    await expect(h['pretrain.start'](scratch({ corpusId: nodev }))).rejects.toMatchObject({ code: 'pretrainNoHeldOut' });
    await expect(h['models.extendPositions']({ path: defaultModelPath, outDir: join(dir, 'same'), length: 512 })).rejects.toMatchObject({ code: 'positionsUnchanged' });
    expect(existsSync(join(dir, 'same'))).toBe(false);
  }, 120_000);
});
