// A project written by an earlier version (schema 4, made by test/fixtures/v4/make.mjs at commit
// 694b35a) opens in this one and shows its runs as they were: the finished ones with their
// numbers, the ones a crash cut off resumable from their checkpoints, and resumed they finish.
// The runs recorded absolute paths under /tmp/shirabe-v4-fixture, so the fixture is put back there.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRunOf, isJobOf, isRunOf } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { fontPath, repoRoot } from './paths';

const root = '/tmp/shirabe-v4-fixture';
const fixture = resolve(__dirname, 'fixtures/v4');
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(root, 's.json')), fontPath });
const h = services.handlers;
const trainRuns = async (corpusId: number | null) => (await h['runs.list']({ kind: 'train', corpusId })).filter((r) => isRunOf(r, 'train'));
const trainRun = async (runId: number) => expectRunOf(await h['runs.get']({ runId }), 'train');
const pretrainRuns = async (corpusId: number | null) => (await h['runs.list']({ kind: 'pretrain', corpusId })).filter((r) => isRunOf(r, 'pretrain'));
const pretrainRun = async (runId: number) => expectRunOf(await h['runs.get']({ runId }), 'pretrain');

beforeAll(() => {
  for (const name of ['project.shirabe', 'pretrain-killed', 'pretrained']) cpSync(join(fixture, name), join(root, name), { recursive: true });
  // The model folder the runs were trained from: the bundled model, as the fixture's script copied it.
  cpSync(join(repoRoot, 'resources/models/shirabe-tiny-ja'), join(root, 'model'), { recursive: true });
});
afterAll(async () => {
  await services.shutdown();
  rmSync(root, { recursive: true, force: true });
});

describe('a project made by version 0.1.0 at schema 4, migrated on opening', () => {
  it('opens and shows its fine-tuning and pretraining runs as they were', async () => {
    const project = await h['project.open']({ path: join(root, 'project.shirabe') });
    expect(project.corpora).toBe(1);
    const train = await trainRuns(null);
    expect(train.map((r) => [r.name, r.status])).toEqual([
      ['killed LoRA', 'failed'],
      ['finished LoRA', 'done'],
    ]);
    const finished = await trainRun(train[1].id);
    expect(finished.test?.documents).toBeGreaterThan(0);
    expect(finished.test?.macro.f1).toBeGreaterThanOrEqual(0);
    expect(finished.curves.steps.length).toBeGreaterThan(0);
    expect(train[0].checkpoint).toMatchObject({ learningRateIndex: 0, step: 3 });
    const pretrain = await pretrainRuns(null);
    expect(pretrain.map((r) => [r.name, r.status])).toEqual([
      ['killed scratch', 'failed'],
      ['finished scratch', 'done'],
    ]);
    expect(pretrain[1].finalLoss!.loss).toBeLessThan(pretrain[1].initialLoss!.loss);
    expect(pretrain[0].checkpoint!.step).toBeGreaterThanOrEqual(3);
    expect((await h['embed.runs']({ corpusId: null })).length).toBe(1);
    expect((await h['mlm.evaluations']({ corpusId: null }))[0].models).toHaveLength(2);
    // Its job history names each fine-tuning and pretraining job's run (from the config it kept).
    const history = await h['jobs.history']({});
    expect(history.map((j) => j.kind).sort()).toEqual(['embed', 'import', 'mlm', 'pretrain', 'pretrain', 'train', 'train']);
    expect(history.filter((j) => j.kind === 'train').map((j) => j.run)).toEqual(train.map((r) => ({ kind: 'train', runId: r.id })));
    expect(history.filter((j) => j.kind === 'pretrain').map((j) => j.run)).toEqual(pretrain.map((r) => ({ kind: 'pretrain', runId: r.id })));
    expect(history.filter((j) => j.kind === 'embed' || j.kind === 'import').every((j) => j.run === null)).toBe(true);
    // One runs table now: every run once, ids unique across kinds (pretraining's moved past fine-tuning's).
    const all = await h['runs.list']({ kind: null, corpusId: null });
    expect(all.map((r) => [r.kind, r.name])).toEqual([...pretrain, ...train].sort((a, b) => b.id - a.id).map((r) => [r.kind, r.name]));
    expect(new Set(all.map((r) => r.id)).size).toBe(4);
    expect(Math.min(...pretrain.map((r) => r.id))).toBeGreaterThan(Math.max(...train.map((r) => r.id)));
    // A pretraining job's config and result name the run by its new id too.
    const finishedJob = history.find((j) => j.kind === 'pretrain' && j.status === 'done');
    expect(finishedJob?.result).toMatchObject({ runId: pretrain[1].id });
    expect(finishedJob?.config).toMatchObject({ runId: pretrain[1].id });
  });

  it('answers runs.* for runs of either kind with the shared rules', async () => {
    const [killedTrain, finishedTrain] = await trainRuns(null);
    const [, finishedPretrain] = await pretrainRuns(null);
    await expect(h['runs.resume']({ runId: finishedTrain.id })).rejects.toMatchObject({ code: 'runNotResumable', params: { id: finishedTrain.id, status: 'done' } });
    await expect(h['runs.resume']({ runId: finishedPretrain.id })).rejects.toMatchObject({ code: 'runNotResumable' });
    await expect(h['runs.cancel']({ runId: killedTrain.id })).rejects.toMatchObject({ code: 'runNotActive' });
    await expect(h['runs.get']({ runId: 999 })).rejects.toMatchObject({ code: 'runNotFound', params: { id: 999 } });
    expect((await pretrainRun(finishedPretrain.id)).points.length).toBeGreaterThan(0);
  });

  it('resumes the runs a crash cut off, from their checkpoints, to the end', async () => {
    const [killedTrain] = await trainRuns(null);
    const trained = await services.jobs.wait((await h['runs.resume']({ runId: killedTrain.id })).jobId);
    expect(trained.error).toBeNull();
    expect(trained.run).toEqual({ kind: 'train', runId: killedTrain.id });
    expect(isJobOf(trained, 'train') && trained.result?.runId).toBe(killedTrain.id);
    const after = await trainRun(killedTrain.id);
    expect(after.status).toBe('done');
    // The resumed run's steps go on from the checkpoint: one point per step, none twice.
    expect(after.curves.steps.map((s) => s.step)).toEqual(Array.from({ length: after.curves.steps.length }, (_, i) => i + 1));

    const [killedPretrain] = await pretrainRuns(null);
    const pretrained = await services.jobs.wait((await h['runs.resume']({ runId: killedPretrain.id })).jobId);
    expect(pretrained.error).toBeNull();
    expect((await pretrainRun(killedPretrain.id)).status).toBe('done');
    expect(existsSync(join(root, 'pretrain-killed', 'model.safetensors'))).toBe(true);
  }, 120_000);
});
