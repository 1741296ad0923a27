// The entity workflow end to end through the services with a real compute worker and the default
// model, on a small annotated set written here (templated sentences with people, organisations and
// places, so a tiny model learns something in a few epochs): import with the files' splits; a
// frozen-encoder TabERT-CNN run and a LoRA bi-affine run finish with dev and test scores whose
// counts match the gold; no tensors are left behind; a run whose worker is killed after a checkpoint
// resumes to the uninterrupted run's numbers; the sentence and table views; extraction over a corpus
// with its mention and relation lists and CSV / JSONL export; each bad input refused with its reason.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, entityTrainConfigSchema, expectRunOf, layerSweepConfigSchema, type EntityTrainResult, type ExtractResult, type LayerSweepResult } from '../common/contract';
import { bilouFromSpans } from '../common/bilou';
import type { EntitySpan, RelationTriple } from '../common/entities';
import { entityMetrics } from '../main/ml/entities/metrics';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const people = ['Smith', 'Tanaka', 'Garcia', 'Okafor', 'Novak', 'Rossi', 'Kim', 'Weber'];
const orgs = ['Acme', 'Globex', 'Initech', 'Umbrella'];
const places = ['Boston', 'Osaka', 'Lima', 'Oslo', 'Cairo'];

/** One CoNLL04-style record: "<Peop> works for <Org> in <Loc> ." with Work_For and OrgBased_In, or "<Peop> lives in <Loc> ." with Live_In. */
function record(i: number) {
  const p = people[i % people.length];
  const o = orgs[(i * 3) % orgs.length];
  const l = places[(i * 7) % places.length];
  if (i % 3 === 2) {
    const tokens = ['Mr', p, 'lives', 'in', l, '.'];
    const entities = [{ start: 0, end: 2, type: 'Peop' }, { start: 4, end: 5, type: 'Loc' }];
    return { tokens, tags: bilouFromSpans(tokens.length, entities), relations: [{ head: 0, tail: 1, type: 'Live_In' }], orig_id: i };
  }
  const tokens = [p, 'works', 'for', o, 'Corp', 'in', l, '.'];
  const entities = [{ start: 0, end: 1, type: 'Peop' }, { start: 3, end: 5, type: 'Org' }, { start: 6, end: 7, type: 'Loc' }];
  return { tokens, tags: bilouFromSpans(tokens.length, entities), relations: [{ head: 0, tail: 1, type: 'Work_For' }, { head: 1, tail: 2, type: 'OrgBased_In' }], orig_id: i };
}

const files = {
  train: join(dir, 'toy_train.json'),
  dev: join(dir, 'toy_dev.json'),
  test: join(dir, 'toy_test.json'),
};
let corpusId = 0;
const config = (extra: Record<string, unknown> = {}) =>
  entityTrainConfigSchema.parse({
    corpusId,
    modelPath: defaultModelPath,
    encoder: 'frozen',
    head: 'cnn',
    cnn: { layers: 2, channels: 16, dropout: 0.1 },
    learningRates: [1e-2],
    epochs: 8,
    batchSize: 8,
    maxLength: 32,
    checkpointEvery: 3,
    seed: 11,
    ...extra,
  });

beforeAll(async () => {
  writeFileSync(files.train, JSON.stringify(Array.from({ length: 48 }, (_, i) => record(i))));
  writeFileSync(files.dev, JSON.stringify(Array.from({ length: 12 }, (_, i) => record(100 + i))));
  writeFileSync(files.test, JSON.stringify(Array.from({ length: 12 }, (_, i) => record(200 + i))));
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const report = await h['entities.import']({ paths: [files.train, files.dev, files.test], format: 'conll04', name: 'toy', split: null });
  corpusId = report.corpusId;
}, 120_000);

describe('entity extraction jobs', () => {
  let first: EntityTrainResult;

  it('imports annotated files with their own splits and types', async () => {
    const schema = await h['entities.schema']({ corpusId });
    expect(schema!.schema).toEqual({ entityTypes: ['Peop', 'Org', 'Loc'], relationTypes: ['Work_For', 'OrgBased_In', 'Live_In'] });
    expect(schema!.sentences).toBe(72);
    const corpus = (await h['corpus.list']({})).find((c) => c.id === corpusId)!;
    expect(corpus.splits).toEqual({ train: 48, dev: 12, test: 12 });
    expect(corpus.format).toBe('conll04');
  });

  it('trains TabERT-CNN on a frozen encoder: dev and test scores, curves, best epoch by the dev score; no tensors left', async () => {
    const { jobId, runId } = await h['entities.start'](config());
    const job = await services.jobs.wait(jobId);
    expect(JSON.stringify(job.error)).toBe('null');
    first = job.result as EntityTrainResult;
    const run = expectRunOf(await h['runs.get']({ runId }), 'entities');
    expect(run.status).toBe('done');
    expect(run.curves.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const score = (e: { nerF1: number; rePlusF1: number }) => (e.nerF1 + e.rePlusF1) / 2;
    const best = run.curves.epochs.reduce((a, b) => (score(b) > score(a) ? b : a));
    expect(run.best).toEqual({ learningRate: 1e-2, epoch: best.epoch, devF1: score(best) });
    // The kept epoch's dev scores are the run's dev metrics.
    expect(run.dev!.ner.micro.f1).toBeCloseTo(best.nerF1, 12);
    expect(run.dev!.rePlus.micro.f1).toBeCloseTo(best.rePlusF1, 12);
    // Gold counts: 12 test sentences, 8 with 3 entities and 2 relations, 4 with 2 and 1.
    expect(run.test!.sentences).toBe(12);
    expect(run.test!.ner.micro.tp + run.test!.ner.micro.fn).toBe(32);
    expect(run.test!.rePlus.micro.tp + run.test!.rePlus.micro.fn).toBe(20);
    expect(run.test!.ner.micro.f1).toBeGreaterThan(0.5);
    const tensors = (await h['compute.status']({})).memory!.tensors;
    const again = await services.jobs.wait((await h['entities.start'](config({ name: 'again' }))).jobId);
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensors);
    // Same seed, same backend: the same numbers.
    expect((again.result as EntityTrainResult).test).toEqual(first.test);
  }, 300_000);

  it('resumes a LoRA bi-affine run whose worker was killed after a checkpoint to the uninterrupted run’s numbers', async () => {
    const lora = config({ name: 'lora', head: 'biaffine', encoder: 'lora', biaffine: { hidden: 16 }, learningRates: [2e-3], headLearningRate: 1e-2, epochs: 2 });
    const whole = await services.jobs.wait((await h['entities.start'](lora)).jobId);
    expect(JSON.stringify(whole.error)).toBe('null');
    const { jobId, runId } = await h['entities.start']({ ...lora, name: 'killed' });
    const off = services.events.on('entities.progress', (p) => {
      if (p.runId === runId && p.kind === 'step' && p.step === 5) void services.compute.thread?.terminate();
    });
    const killed = await services.jobs.wait(jobId);
    off();
    expect(killed.error?.code).toBe('computeWorkerDied');
    expect(expectRunOf(await h['runs.get']({ runId }), 'entities').checkpoint).toMatchObject({ learningRateIndex: 0, step: 3 });
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const r = resumed.result as EntityTrainResult;
    const w = whole.result as EntityTrainResult;
    expect(r.best).toEqual(w.best);
    expect(r.test).toEqual(w.test);
    expect(r.dev).toEqual(w.dev);
  }, 300_000);

  it('sweeps layers as one job whose points are entities runs; a killed sweep resumes without retraining the points it finished', async () => {
    const sweep = layerSweepConfigSchema.parse({
      corpusId,
      modelPath: defaultModelPath,
      heads: ['biaffine', 'cnn'],
      encoders: ['frozen'],
      cnn: { layers: 1, channels: 8 },
      biaffine: { hidden: 8 },
      learningRatesFrozen: [1e-2],
      epochs: 2,
      batchSize: 8,
      maxLength: 32,
      checkpointEvery: 2,
      seed: 3,
      name: 'sweep',
    });
    const { jobId, runId } = await h['entities.layerSweep'](sweep);
    // Kill the worker during the third point (layer 2, bi-affine).
    let killed = false;
    const off = services.events.on('entities.progress', (p) => {
      const s = services.projects.require().entities.getSweep(runId);
      if (!killed && p.kind === 'step' && p.runId === s.points[2].runId && p.step === 3) {
        killed = true;
        void services.compute.thread?.terminate();
      }
    });
    const first = await services.jobs.wait(jobId);
    off();
    expect(first.error?.code).toBe('computeWorkerDied');
    const interrupted = expectRunOf(await h['runs.get']({ runId }), 'layerSweep');
    expect(interrupted.layers).toEqual([0, 2]);
    expect(interrupted.points.map((p) => [p.layer, p.head, p.status])).toEqual([
      [0, 'biaffine', 'done'],
      [0, 'cnn', 'done'],
      [2, 'biaffine', 'failed'],
      [2, 'cnn', 'pending'],
    ]);
    const doneBefore = interrupted.points.slice(0, 2).map((p) => p.runId);
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const result = resumed.result as LayerSweepResult;
    expect(result.points.every((p) => p.status === 'done' && p.dev !== null && p.test !== null)).toBe(true);
    expect(result.points.slice(0, 2).map((p) => p.runId)).toEqual(doneBefore);
    // Each point is an entities run with its own config and scores.
    const point = expectRunOf(await h['runs.get']({ runId: result.points[3].runId! }), 'entities');
    expect(point.config).toMatchObject({ head: 'cnn', encoder: 'frozen', layer: 2, learningRates: [1e-2] });
    expect(point.test).toEqual(result.points[3].test);
  }, 300_000);

  it('shows a sentence with gold and predicted annotations and its filled table', async () => {
    const doc = (await h['corpus.documents']({ corpusId, split: 'test', query: '', label: null, offset: 0, limit: 1 })).rows[0];
    const [view] = await h['entities.sentences']({ documentId: doc.id, runId: first.runId });
    expect(view.words.length).toBeGreaterThan(0);
    expect(view.gold!.entities.map((e) => e.text)).toEqual(view.gold!.entities.map((e) => view.text.slice(e.charStart, e.charEnd)));
    expect(view.predicted).not.toBeNull();
    const table = await h['entities.table']({ runId: first.runId, documentId: doc.id, sentence: 0 });
    const n = table.words.length;
    const E = table.entityLabels.length;
    const R = table.relationLabels.length;
    expect(table.entityProbs).toHaveLength(n * E);
    expect(table.relationProbs).toHaveLength(n * n * R);
    // Each word's tag distribution and each upper cell's label distribution sums to 1.
    for (let i = 0; i < n; i++) expect(table.entityProbs.slice(i * E, (i + 1) * E).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(table.relationProbs.slice((0 * n + 1) * R, (0 * n + 2) * R).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(table.gold!.entity).toHaveLength(n);
  }, 120_000);

  it('extracts over a plain corpus, lists mentions and relations, exports CSV and JSONL', async () => {
    const csv = join(dir, 'news.csv');
    writeFileSync(csv, 'text\n"Smith works for Acme Corp in Boston. Mr Kim lives in Oslo."\n"Garcia works for Globex Corp in Lima."\n');
    await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'news', textColumn: 'text', labelColumn: null } })).jobId);
    const news = (await h['corpus.list']({})).find((c) => c.name === 'news')!.id;
    const { jobId, runId } = await h['entities.extract']({ runId: first.runId, corpusId: news, split: null, batchSize: 8, name: '' });
    const job = await services.jobs.wait(jobId);
    expect(JSON.stringify(job.error)).toBe('null');
    const result = job.result as ExtractResult;
    expect(result.documents).toBe(2);
    const run = expectRunOf(await h['runs.get']({ runId }), 'extract');
    expect(run.found!.sentences).toBe(3);
    const mentions = await h['entities.mentions']({ runId, type: null, offset: 0, limit: 100 });
    expect(mentions.total).toBe(mentions.rows.length);
    expect(mentions.rows.reduce((a, m) => a + m.count, 0)).toBe(result.entities);
    const relations = await h['entities.relations']({ runId, type: null, offset: 0, limit: 100 });
    expect(relations.rows.reduce((a, m) => a + m.count, 0)).toBe(result.relations);
    const out = join(dir, 'found.csv');
    const written = await h['entities.export']({ runId, format: 'csv', outPath: out });
    expect(written.files).toEqual([out, join(dir, 'found.relations.csv')]);
    expect(readFileSync(out, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + result.entities);
    const jsonl = join(dir, 'found.jsonl');
    await h['entities.export']({ runId, format: 'jsonl', outPath: jsonl });
    expect(readFileSync(jsonl, 'utf8').trim().split('\n')).toHaveLength(3);
    // The JSONL reads back as annotations: the extraction becomes a corpus to correct and train on.
    const back = await h['entities.import']({ paths: [jsonl], format: 'conll04', name: 'found', split: 'train' });
    expect(back.sentences).toBe(3);
    expect(back.entities).toBe(result.entities);
    expect(back.relations).toBe(result.relations);
  }, 120_000);

  it('an extractor restored from the run predicts its test sentences exactly as the run scored them', async () => {
    const jsonl = join(dir, 'test-predictions.jsonl');
    await h['entities.export']({ runId: first.runId, format: 'jsonl', outPath: jsonl });
    const predicted = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { entities: EntitySpan[]; relations: RelationTriple[] });
    const store = services.projects.require();
    const run = store.entities.get(first.runId);
    const gold = store.entities.annotations(corpusId).filter((a) => a.split === 'test').map((a) => a.sentence);
    expect(entityMetrics(run.schema, gold, predicted)).toEqual(run.test);
  }, 120_000);

  it('refuses bad inputs with their reason and imports nothing', async () => {
    const before = (await h['corpus.list']({})).length;
    const bad = join(dir, 'bad_train.json');
    writeFileSync(bad, JSON.stringify([{ tokens: ['a', 'b'], tags: ['I-Peop', 'L-Peop'], relations: [] }]));
    await expect(h['entities.import']({ paths: [bad], format: 'conll04', name: 'bad', split: null })).rejects.toMatchObject({ code: 'annotationRecordTagUnexpected' });
    expect((await h['corpus.list']({})).length).toBe(before);
    const news = (await h['corpus.list']({})).find((c) => c.name === 'news')!.id;
    await expect(h['entities.start'](config({ corpusId: news }))).rejects.toMatchObject({ code: 'entitiesNoAnnotations' });
    await expect(h['entities.start'](config({ layer: 9 }))).rejects.toMatchObject({ code: 'entitiesLayerOutOfRange' });
    expect(existsSync(bad)).toBe(true);
  });
});
