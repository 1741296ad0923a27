// Attribution through the services and the compute worker (a real worker thread), on a corpus with
// three planted topics: a LoRA classifier fine-tuned on it attributed for its predicted class, the
// default model's sentence embedding (the study's norm, exact and estimated) and topic membership;
// completeness within 1% at 50 Gauss–Legendre points, words and morphemes adding back to the
// tokens, cancel and resume, the worker's tensor count unchanged, bad input refused.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionConfigSchema, clusterConfigSchema, defaultImportOptions, expectRunOf, informationConfigSchema, isJobOf, trainConfigSchema, type AttributionConfig } from '../common/contract';
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
let documentIds: number[] = [];

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writePlantedCsv(dir, planted, 12);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'planted', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
  documentIds = (await h['corpus.documents']({ corpusId, query: '', label: null, split: null, offset: 0, limit: 100 })).rows.map((r) => r.id);
  // Fully fine-tuned, so its logits follow the planted words (a brief LoRA run's hardly move).
  const trained = await services.jobs.wait((await h['train.start'](trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'full', learningRates: [1e-3], epochs: 3, batchSize: 8, maxLength: 32, seed: 7 }))).jobId);
  expect(trained.error).toBeNull();
  trainRunId = trained.run!.runId;
}, 180_000);

const config = (extra: Partial<AttributionConfig> & Pick<AttributionConfig, 'target'>) =>
  attributionConfigSchema.parse({ corpusId, source: { kind: 'run', runId: trainRunId }, documents: { kind: 'ids', ids: documentIds.slice(0, 3) }, maxLength: 32, ...extra });

describe('attribution job', () => {
  it("attributes a fine-tuned classifier's predicted class: completeness within 1%, words and morphemes adding back to the tokens", async () => {
    const tensors = (await h['compute.status']({})).memory?.tensors ?? 0;
    const { jobId, runId } = await h['attribution.start'](config({ target: { kind: 'class', label: null, output: 'logit' } }));
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    expect(isJobOf(job, 'attribution') && job.result?.documents).toBe(3);
    const run = expectRunOf(await h['runs.get']({ runId }), 'attribution');
    expect(run).toMatchObject({ status: 'done', done: 3, signed: true, documents: { documents: 3 } });
    expect(run.name).toContain('planted');
    expect(run.attributed.map((d) => d.documentId)).toEqual(documentIds.slice(0, 3));
    for (const d of run.attributed) {
      expect(d.target).toBe(d.predicted);
      expect(Object.keys(planted)).toContain(d.target);
      // Within 1% (the default tolerance): at 50 Gauss–Legendre points, or 100 or 200 where 50 were not enough.
      expect(d.gap).toBeLessThanOrEqual(0.01);
      expect([50, 100, 200]).toContain(d.steps);
      // Where the class is right, a planted word of it is among the three words that pushed most towards it.
      if (d.target === d.label) {
        const words = (await h['attribution.document']({ runId, documentId: d.documentId })).words.slice().sort((a, b) => b.score - a.score);
        expect(words.slice(0, 3).some((w) => planted[d.target as keyof typeof planted].includes(w.text)), words.map((w) => `${w.text} ${w.score.toFixed(3)}`).join(', ')).toBe(true);
      }
    }
    expect(run.gap!.max).toBeLessThanOrEqual(0.01);
    const doc = await h['attribution.document']({ runId, documentId: documentIds[0] });
    expect(doc.text).toContain('の話です');
    expect(doc.tokens[0].special).toBe(true);
    const total = (spans: { score: number }[]) => spans.reduce((a, s) => a + s.score, 0);
    const tokenTotal = total(doc.tokens.filter((t) => !t.special));
    expect(total(doc.words)).toBeCloseTo(tokenTotal, 5);
    expect(total(doc.morphemes)).toBeCloseTo(tokenTotal, 5);
    // Completeness, on the stored scores: Σ tokens = f(x) − f(x′) within the gap.
    expect(Math.abs(total(doc.tokens) - (doc.summary.atInput - doc.summary.atBaseline))).toBeLessThanOrEqual(0.01 * Math.abs(doc.summary.atInput - doc.summary.atBaseline) + 1e-6);
    // Morphemes are whole MeCab morphemes of the text, with their parts of speech.
    for (const m of doc.morphemes) expect(doc.text.slice(m.start, m.end)).toBe(m.text);
    expect(doc.morphemes.some((m) => m.pos === '名詞')).toBe(true);
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensors);
  }, 120_000);

  it("gives the study's norm contribution of a sentence embedding, exactly and estimated within its interval", async () => {
    const target = { kind: 'embedding' as const, pooling: 'mean' as const, layer: -1, estimate: null };
    const exact = await services.jobs.wait((await h['attribution.start'](config({ source: { kind: 'model', path: defaultModelPath }, target, documents: { kind: 'ids', ids: [documentIds[20]] }, batchSize: 64, tolerance: null }))).jobId);
    expect(exact.error).toBeNull();
    const estimated = await services.jobs.wait(
      (await h['attribution.start'](config({ source: { kind: 'model', path: defaultModelPath }, target: { ...target, estimate: 64 }, documents: { kind: 'ids', ids: [documentIds[20]] }, batchSize: 64, tolerance: null }))).jobId,
    );
    expect(estimated.error).toBeNull();
    const a = await h['attribution.document']({ runId: exact.run!.runId, documentId: documentIds[20] });
    const b = await h['attribution.document']({ runId: estimated.run!.runId, documentId: documentIds[20] });
    expect(a.signed).toBe(false);
    // Without refinement (tolerance null): the embedding's vector gap at 50 points is about 1.5% here (0.6% at 100, 0.01% at 200: the integral's error, not float32's).
    expect(a.summary.gap).toBeLessThanOrEqual(0.02);
    let inside = 0;
    const real = a.tokens.filter((t) => !t.special);
    a.tokens.forEach((t, i) => {
      if (t.special) return;
      expect(t.score).toBeGreaterThan(0);
      if (b.tokens[i].low! <= t.score && t.score <= b.tokens[i].high!) inside++;
    });
    expect(inside).toBeGreaterThanOrEqual(Math.floor(0.9 * real.length));
    // Words combine their subwords' norms as sqrt(Σ c²).
    const squares = a.tokens.filter((t) => !t.special).reduce((s, t) => s + t.score ** 2, 0);
    expect(a.words.reduce((s, w) => s + w.score ** 2, 0)).toBeCloseTo(squares, 8);
  }, 180_000);

  it('attributes topic membership: the cosine to the centroid of the document’s cluster', async () => {
    const embedded = await services.jobs.wait((await h['embed.start']({ corpusId, modelPath: defaultModelPath, pooling: 'mean', layer: -1, maxLength: 32, batchSize: 8, truncation: 'head' })).jobId);
    expect(embedded.error).toBeNull();
    const embeddingRunId = (await h['embed.runs']({ corpusId }))[0].id;
    const clustered = await services.jobs.wait((await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 3, restarts: 2 }, labels: { words: 5, minDf: 2 } }))).jobId);
    expect(clustered.error).toBeNull();
    const clusteringRunId = clustered.run!.runId;
    const job = await services.jobs.wait((await h['attribution.start'](config({ source: null, target: { kind: 'membership', clusteringRunId } }))).jobId);
    expect(job.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId: job.run!.runId }), 'attribution');
    const { documentIds: ids, clusters } = await h['topics.assignments']({ runId: clusteringRunId });
    for (const d of run.attributed) {
      expect(d.target).toBe(String(clusters[[...ids].indexOf(d.documentId)]));
      expect(d.atInput).toBeGreaterThan(0);
      expect(d.atInput).toBeLessThanOrEqual(1);
      expect(d.gap).toBeLessThanOrEqual(0.01);
    }
  }, 180_000);

  it('goes on from the documents it had after a cancel', async () => {
    const { jobId, runId } = await h['attribution.start'](config({ target: { kind: 'class', label: 'food', output: 'probability' }, documents: { kind: 'split', split: null, limit: 12 }, steps: 100, batchSize: 4 }));
    // Cancel once the first document is written.
    await until(() => services.projects.require().attribution.doneIds(runId).size >= 1, 20);
    await h['runs.cancel']({ runId });
    await services.jobs.wait(jobId);
    const partial = expectRunOf(await h['runs.get']({ runId }), 'attribution');
    expect(partial.status).toBe('cancelled');
    expect(partial.done).toBeGreaterThanOrEqual(1);
    expect(partial.done).toBeLessThan(12);
    const first = await h['attribution.document']({ runId, documentId: partial.attributed[0].documentId });
    const resumed = await services.jobs.wait((await h['runs.resume']({ runId })).jobId);
    expect(resumed.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId }), 'attribution');
    expect(run).toMatchObject({ status: 'done', done: 12 });
    expect(run.attributed.every((d) => d.target === 'food')).toBe(true);
    // The document done before the cancel was kept, not computed again.
    expect(await h['attribution.document']({ runId, documentId: first.summary.documentId })).toEqual(first);
  }, 180_000);

  it("runs the study's information analysis: each morpheme's contribution against −log P(w) of the corpus, CLS and mean side by side", async () => {
    const ids = documentIds.slice(0, 6);
    const runOf = async (pooling: 'cls' | 'mean') => {
      const job = await services.jobs.wait(
        (await h['attribution.start'](config({ source: { kind: 'model', path: defaultModelPath }, target: { kind: 'embedding', pooling, layer: -1, estimate: 16 }, documents: { kind: 'ids', ids }, steps: 16, tolerance: null, batchSize: 64 }))).jobId,
      );
      expect(job.error).toBeNull();
      return job.run!.runId;
    };
    const runIds = [await runOf('cls'), await runOf('mean')];
    const job = await services.jobs.wait((await h['attribution.information'](informationConfigSchema.parse({ runIds, frequencyCorpusId: corpusId, bootstrap: 200 }))).jobId);
    expect(job.error).toBeNull();
    if (!isJobOf(job, 'information') || !job.result) throw new Error('no result');
    const r = job.result;
    expect(r.runs.map((x) => x.runId)).toEqual(runIds);
    // N and V: the corpus's morphemes without symbols, counted here from the corpus's own analysis.
    const all = await Promise.all(documentIds.map((id) => h['corpus.morphology']({ documentId: id })));
    const words = all.flat().filter((m) => m.pos !== '記号');
    expect(r.tokens).toBe(words.length);
    expect(r.types).toBe(new Set(words.map((m) => m.surface)).size);
    for (const x of r.runs) {
      // Every non-symbol morpheme of the six documents, with the contribution the heatmap shows for it.
      const docs = await Promise.all(ids.map((documentId) => h['attribution.document']({ runId: x.runId, documentId })));
      const morphemes = docs.flatMap((d) => d.morphemes.filter((m) => m.pos !== '記号'));
      expect(x.n).toBe(morphemes.length);
      expect(x.points.words).toEqual(morphemes.map((m) => m.text));
      x.points.contribution.forEach((c, i) => expect(c).toBeCloseTo(morphemes[i].score, 5));
      // −log P(w) with add-one smoothing over the corpus's counts.
      const count = (w: string) => words.filter((m) => m.surface === w).length;
      x.points.words.forEach((w, i) => expect(x.points.information[i]).toBeCloseTo(-Math.log((count(w) + 1) / (r.tokens + r.types + 1)), 5));
      for (const c of [x.information.pearson, x.information.spearman, x.probability.pearson, x.probability.spearman]) {
        expect(c.value).toBeGreaterThanOrEqual(-1);
        expect(c.value).toBeLessThanOrEqual(1);
        expect(c.fisher[0]).toBeLessThanOrEqual(c.value);
        expect(c.fisher[1]).toBeGreaterThanOrEqual(c.value);
      }
    }
  }, 120_000);

  it('refuses bad input before making a run', async () => {
    const before = (await h['runs.list']({ kind: 'attribution', corpusId: null })).length;
    await expect(h['attribution.start'](config({ source: { kind: 'model', path: defaultModelPath }, target: { kind: 'class', label: null, output: 'logit' } }))).rejects.toMatchObject({ code: 'attributionNoClassifier' });
    await expect(h['attribution.start'](config({ source: null, target: { kind: 'class', label: null, output: 'logit' } }))).rejects.toMatchObject({ code: 'attributionNeedsModel' });
    await expect(h['attribution.start'](config({ target: { kind: 'class', label: null, output: 'logit' }, documents: { kind: 'ids', ids: [999_999] } }))).rejects.toMatchObject({ code: 'attributionNotInCorpus', params: { count: 1 } });
    await expect(h['attribution.start'](config({ source: { kind: 'model', path: defaultModelPath }, target: { kind: 'embedding', pooling: 'cls', layer: 7, estimate: null } }))).rejects.toMatchObject({ code: 'layerOutOfRange' });
    await expect(h['attribution.start'](config({ source: { kind: 'run', runId: 999 }, target: { kind: 'class', label: null, output: 'logit' } }))).rejects.toMatchObject({ code: 'runNotFound' });
    const badLabel = await services.jobs.wait((await h['attribution.start'](config({ target: { kind: 'class', label: 'travel', output: 'logit' } }))).jobId);
    expect(badLabel.error).toMatchObject({ code: 'attributionUnknownLabel', params: { label: 'travel' } });
    expect((await h['runs.list']({ kind: 'attribution', corpusId: null })).length).toBe(before + 1);
  }, 60_000);
});
