// Applying a classifier through the services and the compute worker (a real worker thread), on a
// corpus with three planted topics: a LoRA run's classifier applied to its own test split gives the
// probabilities the run kept for it (same model, same documents) and the same metrics; the merged
// model exported as a folder gives them too; metrics against a hand count of the rows; CSV export;
// the document table's predicted column, filter and sort; cancel and resume; the worker's tensor
// count unchanged; bad input refused with a specific message, writing nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, expectRunOf, isJobOf, predictionConfigSchema, trainConfigSchema, type PredictionConfig } from '../common/contract';
import { ShirabeError } from '../common/errors';
import { errorMessage } from '../common/messages';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { plantedTopics, tempDir, until, writePlantedCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const planted = plantedTopics;
let corpusId = 0;
let trainRunId = 0;

const importCorpus = async (name: string, perTopic: number, split: [number, number, number] = [0.6, 0.2, 0.2]) => {
  const sub = tempDir();
  const csv = writePlantedCsv(sub, planted, perTopic);
  const job = await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name, textColumn: '本文', labelColumn: 'カテゴリ', split } })).jobId);
  expect(job.error).toBeNull();
  return (await h['corpus.list']({})).find((c) => c.name === name)!.id;
};

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  corpusId = await importCorpus('planted', 20);
  const trained = await services.jobs.wait(
    (await h['train.start'](trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'lora', learningRates: [3e-3], epochs: 2, batchSize: 8, maxLength: 32, seed: 7, validation: { source: 'dev' } }))).jobId,
  );
  expect(trained.error).toBeNull();
  trainRunId = trained.run!.runId;
}, 300_000);

const config = (extra: Partial<PredictionConfig> = {}) => predictionConfigSchema.parse({ corpusId, source: { kind: 'run', runId: trainRunId }, ...extra });
const predictionRuns = async () => (await h['runs.list']({ corpusId: null, kind: 'prediction' })).length;

describe('prediction job', () => {
  it("gives a run's own test-split probabilities and metrics, on the backend's tensors unchanged", async () => {
    const tensors = (await h['compute.status']({})).memory?.tensors ?? 0;
    const { jobId, runId } = await h['prediction.start'](config({ split: 'test', batchSize: 4 }));
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensors);
    const train = expectRunOf(await h['runs.get']({ runId: trainRunId }), 'train');
    const run = expectRunOf(await h['runs.get']({ runId }), 'prediction');
    expect(run).toMatchObject({ status: 'done', labels: train.labels, task: 'single-label', done: train.documents.test, documents: { documents: train.documents.test } });
    expect(isJobOf(job, 'prediction') && job.result?.documents).toBe(train.documents.test);
    // Run on the worker's inference engine (onnxruntime where it loads), which the record names.
    expect(run.backend).toBe((await h['compute.status']({})).inference?.device);

    // Same model, same documents: the probabilities the fine-tuning run kept for its test split.
    const kept = (await h['train.predictions']({ runId: trainRunId, split: 'test', gold: null, predicted: null, errorsOnly: false, offset: 0, limit: 1000 })).rows;
    const ours = (await h['prediction.documents']({ runId, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows;
    expect(ours.map((r) => r.documentId).sort()).toEqual(kept.map((r) => r.documentId).sort());
    const byId = new Map(ours.map((r) => [r.documentId, r]));
    for (const k of kept) {
      const o = byId.get(k.documentId)!;
      o.probabilities.forEach((p, i) => expect(Math.abs(p - k.probabilities[i])).toBeLessThan(1e-5));
      expect(o.predicted).toEqual(k.predicted);
      expect(o.gold).toEqual(k.gold);
      expect(o.correct).toBe(k.correct);
      expect(o.confidence).toBeCloseTo(Math.max(...o.probabilities), 6);
    }

    // The comparison with gold: the run's own test metrics, and a count of the rows by hand.
    const e = run.evaluation!;
    expect(e.metrics.accuracy).toBeCloseTo(train.test!.accuracy, 10);
    expect(e.metrics.macro.f1).toBeCloseTo(train.test!.macro.f1, 10);
    expect(e.metrics.confusion).toEqual(train.test!.confusion);
    expect(e.metrics.accuracy).toBeCloseTo(ours.filter((r) => r.correct).length / ours.length, 12);
    const K = run.labels.length;
    const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    for (const r of ours) confusion[run.labels.indexOf(r.gold[0])][run.labels.indexOf(r.predicted[0])]++;
    expect(e.metrics.confusion).toEqual(confusion);
    const f1 = run.labels.map((_, c) => {
      const tp = confusion[c][c];
      const fp = confusion.reduce((s, row, g) => s + (g === c ? 0 : row[c]), 0);
      const fn = confusion[c].reduce((s, n, p) => s + (p === c ? 0 : n), 0);
      return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    });
    expect(e.metrics.macro.f1).toBeCloseTo(f1.reduce((a, b) => a + b, 0) / K, 12);
    expect(e).toMatchObject({ withGold: ours.length, withoutGold: 0, unseen: { labels: [], documents: 0 } });

    // CSV: a header with a probability per label, one row per document; written atomically.
    const out = join(dir, 'predictions.csv');
    const written = await h['prediction.export']({ runId, path: out });
    expect(written.rows).toBe(ours.length);
    const csv = readFileSync(out, 'utf8');
    const lines = csv.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(['document_id', 'title', 'split', 'gold', 'predicted', 'confidence', ...run.labels.map((l) => `p(${l})`)].join(','));
    expect(lines).toHaveLength(ours.length + 1);
    const first = lines[1].split(',');
    const row = ours.find((r) => r.documentId === Number(first[0]))!;
    expect(first[3]).toBe(row.gold[0]);
    expect(first[4]).toBe(row.predicted[0]);
    first.slice(6).forEach((p, i) => expect(Number(p)).toBeCloseTo(row.probabilities[i], 6));
    expect((await h['prediction.csv']({ runId })).csv).toBe(csv);
  }, 180_000);

  it('gives the same probabilities from the merged model exported as a folder', async () => {
    const folder = join(dir, 'merged');
    await h['train.export']({ runId: trainRunId, outDir: folder, merge: true });
    const a = await services.jobs.wait((await h['prediction.start'](config({ split: 'dev' }))).jobId);
    const b = await services.jobs.wait((await h['prediction.start'](config({ split: 'dev', source: { kind: 'model', path: folder } }))).jobId);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    const rowsOf = async (runId: number) => (await h['prediction.documents']({ runId, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows;
    const ra = await rowsOf(a.run!.runId);
    const rb = await rowsOf(b.run!.runId);
    expect(rb.map((r) => r.documentId)).toEqual(ra.map((r) => r.documentId));
    ra.forEach((r, i) => r.probabilities.forEach((p, j) => expect(Math.abs(p - rb[i].probabilities[j])).toBeLessThan(1e-5)));
    expect(expectRunOf(await h['runs.get']({ runId: b.run!.runId }), 'prediction').labels).toEqual(expectRunOf(await h['runs.get']({ runId: a.run!.runId }), 'prediction').labels);
  }, 180_000);

  it("shows a run's predictions in the corpus's document table: the column, a filter by predicted label, a sort by confidence", async () => {
    const job = await services.jobs.wait((await h['prediction.start'](config())).jobId);
    expect(job.error).toBeNull();
    const runId = job.run!.runId;
    const base = { corpusId, query: '', label: null, split: null, offset: 0, limit: 1000 };
    // Existing callers are unchanged: no prediction asked, none given.
    const plain = await h['corpus.documents'](base);
    expect(plain.total).toBe(60);
    expect(plain.rows[0].prediction).toBeUndefined();
    const all = await h['corpus.documents']({ ...base, prediction: { runId, label: null, sort: 'ordinal' } });
    expect(all.rows.map((r) => r.id)).toEqual(plain.rows.map((r) => r.id));
    expect(all.rows.every((r) => r.prediction && r.prediction.labels.length === 1)).toBe(true);
    const label = all.rows[0].prediction!.labels[0];
    const filtered = await h['corpus.documents']({ ...base, prediction: { runId, label, sort: 'ordinal' } });
    expect(filtered.total).toBe(all.rows.filter((r) => r.prediction!.labels[0] === label).length);
    expect(filtered.rows.every((r) => r.prediction!.labels[0] === label)).toBe(true);
    const sorted = await h['corpus.documents']({ ...base, prediction: { runId, label: null, sort: 'confidence-desc' } });
    const confidences = sorted.rows.map((r) => r.prediction!.confidence);
    expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
    const ascending = await h['corpus.documents']({ ...base, limit: 5, prediction: { runId, label: null, sort: 'confidence-asc' } });
    expect(ascending.rows[0].prediction!.confidence).toBe(Math.min(...confidences));
  }, 180_000);

  it('reads a page of predicted documents as a page: the rows asked for, their total, snippets rather than whole texts', async () => {
    const job = await services.jobs.wait((await h['prediction.start'](config())).jobId);
    expect(job.error).toBeNull();
    const runId = job.run!.runId;
    const query = { runId, predicted: null, errorsOnly: false, sort: 'confidence-desc' as const };
    const whole = await h['prediction.documents']({ ...query, offset: 0, limit: 1000 });
    expect(whole.total).toBe(60);
    const page = await h['prediction.documents']({ ...query, offset: 10, limit: 7 });
    expect(page.total).toBe(60);
    expect(page.rows).toEqual(whole.rows.slice(10, 17));
    const label = whole.rows[0].predicted[0];
    const one = await h['prediction.documents']({ ...query, predicted: label, offset: 2, limit: 3 });
    const ofLabel = whole.rows.filter((r) => r.predicted.includes(label));
    expect(one.total).toBe(ofLabel.length);
    expect(one.rows).toEqual(ofLabel.slice(2, 5));
    // The store is asked for the page alone (a large corpus's every row and text are not read for each page).
    const store = services.projects.require();
    const stored = store.prediction.documents(runId, { sort: 'position', page: { offset: 5, limit: 3 } });
    expect(stored.map((r) => r.position)).toEqual([5, 6, 7]);
    expect(stored.every((r) => r.snippet.length <= 200)).toBe(true);
  }, 180_000);

  it('goes on from the documents it had after a cancel', async () => {
    const big = await importCorpus('planted-large', 200);
    const { jobId, runId } = await h['prediction.start'](config({ corpusId: big, batchSize: 1 }));
    // Cancel once the first chunk is written.
    await until(() => services.projects.require().prediction.doneIds(runId).size >= 1);
    await h['runs.cancel']({ runId });
    await services.jobs.wait(jobId);
    const partial = expectRunOf(await h['runs.get']({ runId }), 'prediction');
    expect(partial.status).toBe('cancelled');
    expect(partial.done).toBeGreaterThanOrEqual(8);
    expect(partial.done).toBeLessThan(600);
    expect(partial.evaluation).toBeNull();
    const before = (await h['prediction.documents']({ runId, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows;
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId }), 'prediction');
    expect(run).toMatchObject({ status: 'done', done: 600 });
    expect(run.evaluation?.metrics.documents).toBe(600);
    // What was written before the cancel was kept, not computed again.
    const after = new Map((await h['prediction.documents']({ runId, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows.map((r) => [r.documentId, r]));
    for (const r of before) expect(after.get(r.documentId)).toEqual(r);
  }, 300_000);

  it('compares a corpus whose gold labels include one the classifier never saw on the shared ones only, and says so', async () => {
    const music = ['ギター', 'ライブ', '歌手', 'ピアノ', 'コンサート', 'アルバム'];
    const sub = tempDir();
    const csv = writePlantedCsv(sub, { ...planted, music }, 5);
    const job = await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'with-music', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
    expect(job.error).toBeNull();
    const withMusic = (await h['corpus.list']({})).find((c) => c.name === 'with-music')!.id;
    const done = await services.jobs.wait((await h['prediction.start'](config({ corpusId: withMusic }))).jobId);
    expect(done.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId: done.run!.runId }), 'prediction');
    expect(run.labels).not.toContain('music');
    expect(run.evaluation).toMatchObject({ withGold: 20, withoutGold: 0, unseen: { labels: ['music'], documents: 5 } });
    expect(run.evaluation!.metrics.documents).toBe(15);
    const rows = (await h['prediction.documents']({ runId: run.id, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows;
    // The music documents are predicted (as some known topic) but not graded.
    expect(rows.filter((r) => r.gold[0] === 'music').every((r) => r.correct === null && r.predicted.length === 1)).toBe(true);
    expect(run.evaluation!.metrics.accuracy).toBeCloseTo(rows.filter((r) => r.correct).length / 15, 12);
  }, 120_000);

  it('applies a multi-label classifier: sigmoids, p > threshold, the run’s own test probabilities and metrics', async () => {
    // Each document is about two topics (their words mixed), labelled "a;b"; numbered, so none is a duplicate.
    const topics = Object.entries(planted);
    const rows = ['本文,カテゴリ'];
    for (let i = 0; i < 60; i++) {
      const [a, wa] = topics[i % 3];
      const [b, wb] = topics[(i + 1 + (i % 2)) % 3];
      rows.push(`${i}番目。${wa[i % 6]}と${wb[(i + 1) % 6]}の話です。${wa[(i + 2) % 6]}と${wb[(i + 3) % 6]}について考えました。,${a};${b}`);
    }
    const sub = tempDir();
    writeFileSync(join(sub, 'multi.csv'), `${rows.join('\n')}\n`);
    const imported = await services.jobs.wait((await h['import.start']({ path: join(sub, 'multi.csv'), options: { ...defaultImportOptions, name: 'multi', textColumn: '本文', labelColumn: 'カテゴリ', split: [0.6, 0.2, 0.2] } })).jobId);
    expect(imported.error).toBeNull();
    const multi = (await h['corpus.list']({})).find((c) => c.name === 'multi')!.id;
    const trained = await services.jobs.wait(
      (await h['train.start'](trainConfigSchema.parse({ corpusId: multi, modelPath: defaultModelPath, task: 'multi-label', method: 'lora', learningRates: [3e-3], epochs: 2, batchSize: 8, maxLength: 32, seed: 3 }))).jobId,
    );
    expect(trained.error).toBeNull();
    const multiRun = trained.run!.runId;
    const apply = async (threshold: number | null) => {
      const job = await services.jobs.wait((await h['prediction.start'](predictionConfigSchema.parse({ corpusId: multi, source: { kind: 'run', runId: multiRun }, split: 'test', threshold }))).jobId);
      expect(job.error).toBeNull();
      const run = expectRunOf(await h['runs.get']({ runId: job.run!.runId }), 'prediction');
      const docs = (await h['prediction.documents']({ runId: run.id, predicted: null, errorsOnly: false, sort: 'position', offset: 0, limit: 1000 })).rows;
      return { run, docs };
    };
    const { run, docs } = await apply(null);
    const train = expectRunOf(await h['runs.get']({ runId: multiRun }), 'train');
    expect(run).toMatchObject({ task: 'multi-label', threshold: 0.5, labels: train.labels });
    const kept = new Map((await h['train.predictions']({ runId: multiRun, split: 'test', gold: null, predicted: null, errorsOnly: false, offset: 0, limit: 1000 })).rows.map((r) => [r.documentId, r]));
    expect(docs).toHaveLength(kept.size);
    for (const d of docs) {
      const k = kept.get(d.documentId)!;
      d.probabilities.forEach((p, i) => expect(Math.abs(p - k.probabilities[i])).toBeLessThan(1e-5));
      expect([...d.predicted].sort()).toEqual([...k.predicted].sort());
      expect(d.gold.sort()).toEqual(k.gold.sort());
      // The least sure of the label decisions.
      expect(d.confidence).toBeCloseTo(Math.min(...d.probabilities.map((p) => Math.max(p, 1 - p))), 6);
    }
    expect(run.evaluation!.metrics.accuracy).toBeCloseTo(train.test!.accuracy, 10);
    expect(run.evaluation!.metrics.macro.f1).toBeCloseTo(train.test!.macro.f1, 10);
    expect(run.evaluation!.metrics.confusion).toBeNull();
    // Another threshold: every label whose probability is above it.
    const low = await apply(0.3);
    expect(low.run.threshold).toBe(0.3);
    for (const d of low.docs) {
      expect([...d.predicted].sort()).toEqual(low.run.labels.filter((_, i) => d.probabilities[i] > 0.3).sort());
      // How sure the decisions made at 0.3 are: p for a label predicted, 1 − p for one not.
      expect(d.confidence).toBeCloseTo(Math.min(...d.probabilities.map((p) => (p > 0.3 ? p : 1 - p))), 6);
    }
  }, 300_000);

  it('refuses bad input with a specific message and writes nothing', async () => {
    // A run that is not a fine-tuning run: a prediction run.
    const other = (await services.jobs.wait((await h['prediction.start'](config({ split: 'test' }))).jobId)).run!.runId;
    const runs = await predictionRuns();
    const refused = async (c: PredictionConfig, code: string, ja: RegExp, en: RegExp) => {
      const err = await h['prediction.start'](c).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ShirabeError);
      const e = err as ShirabeError;
      expect(e.code).toBe(code);
      expect(errorMessage(e.toInfo(), 'ja')).toMatch(ja);
      expect(errorMessage(e.toInfo(), 'en')).toMatch(en);
    };
    // A corpus with no dev documents.
    const noDev = await importCorpus('no-dev', 4, [1, 0, 0]);
    await refused(config({ corpusId: noDev, split: 'dev' }), 'predictionNoDocuments', /no-dev.*開発用/, /no-dev.*dev/);
    // A run that is not a fine-tuning run.
    await refused(config({ source: { kind: 'run', runId: other } }), 'predictionNotClassifierRun', /予測の実行で、学習実行ではありません/, /is a prediction run, not a fine-tuning run/);
    // A model folder without a classification head (the default model: masked-LM only).
    await refused(config({ source: { kind: 'model', path: defaultModelPath } }), 'predictionNoClassifier', /分類ヘッドがありません/, /has no classification head/);
    expect(await predictionRuns()).toBe(runs);
  }, 120_000);
});
