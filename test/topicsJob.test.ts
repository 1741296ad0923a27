// Maps and topics end to end through the services: an embedding run of a corpus with three
// planted topics, clustered in the compute worker (a real worker thread) and labelled both ways,
// then mapped to 2-D; runs of the shared lifecycle, results read back, bad input refused.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterConfigSchema, defaultImportOptions, expectRunOf, isJobOf, mapConfigSchema } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

/** Twelve documents per topic, each a few of its topic's words in a plain sentence. */
const planted = {
  sports: ['野球', '試合', '投手', 'サッカー', '選手', '優勝'],
  food: ['料理', 'ラーメン', '味噌', '野菜', 'レシピ', '寿司'],
  computer: ['パソコン', 'ソフト', 'メモリ', 'プログラム', '画面', 'データ'],
};
let embeddingRunId = 0;
let corpusId = 0;

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const rows = ['本文,カテゴリ'];
  for (const [topic, words] of Object.entries(planted)) {
    for (let i = 0; i < 12; i++) rows.push(`${words[i % 6]}と${words[(i + 1) % 6]}の話です。${words[(i + 2) % 6]}について考えました。,${topic}`);
  }
  const csv = join(dir, 'planted.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'planted', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
  const embedded = await services.jobs.wait((await h['embed.start']({ corpusId, modelPath: defaultModelPath, pooling: 'mean', layer: -1, maxLength: 64, batchSize: 8, truncation: 'head' })).jobId);
  expect(embedded.error).toBeNull();
  embeddingRunId = (await h['embed.runs']({ corpusId }))[0].id;
}, 120_000);

describe('topics job', () => {
  it('clusters with k-means, labels every cluster with whole morphemes by both methods, and scores against the labels', async () => {
    const tensorsBefore = (await h['compute.status']({})).memory?.tensors;
    const { jobId, runId } = await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 3, restarts: 4 }, labels: { words: 5, minDf: 2, maxDfShare: 1, stopWords: [], diversity: null } }));
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    expect(job.run).toEqual({ kind: 'cluster', runId });
    expect(isJobOf(job, 'cluster') && job.result?.clusters).toBe(3);
    const run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run).toMatchObject({ status: 'done', clusters: 3, documents: { documents: 36 }, embedding: { runId: embeddingRunId, pooling: 'mean', dimensions: 128 } });
    const q = run.quality!;
    for (const v of [q.nmi, q.ari, q.purity]) expect(v).not.toBeNull();
    expect(q.nmi!).toBeGreaterThanOrEqual(0);
    expect(q.nmi!).toBeLessThanOrEqual(1);
    expect(q.purity!).toBeGreaterThanOrEqual(1 / 3);
    expect(q.silhouette!).toBeGreaterThan(-1);
    expect(q.inertia!).toBeGreaterThan(0);
    expect(run.topics.map((t) => t.size).reduce((a, b) => a + b, 0)).toBe(36);
    const vocabulary = new Set(Object.values(planted).flat());
    for (const t of run.topics) {
      expect(t.study.length).toBeGreaterThan(0);
      expect(t.ctfidf.length).toBeGreaterThan(0);
      expect(t.representatives.length).toBeGreaterThan(0);
      expect(t.gold.reduce((a, g) => a + g.count, 0)).toBe(t.size);
      // The c-TF-IDF words of a cluster are morphemes of its documents: planted nouns, never a sentence's span.
      expect(t.ctfidf.some((w) => vocabulary.has(w.word))).toBe(true);
      for (const w of [...t.study, ...t.ctfidf]) expect(w.word).not.toMatch(/[。、]|の話/);
    }
    const { documentIds, clusters } = await h['topics.assignments']({ runId });
    expect(documentIds.length).toBe(36);
    expect(new Set(clusters)).toEqual(new Set([0, 1, 2]));
    // The clustering tasks hold no tensors (they are plain arrays): the worker's count is unchanged.
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensorsBefore);
  }, 120_000);

  it('maps an embedding run to 2-D with PCA and says how well it keeps neighbourhoods', async () => {
    const { jobId, runId } = await h['maps.start'](mapConfigSchema.parse({ embeddingRunId, method: 'pca' }));
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    const { documentIds, coords } = await h['maps.points']({ runId });
    expect(documentIds.length).toBe(36);
    expect(coords.length).toBe(72);
    expect(coords.every((c) => Number.isFinite(c))).toBe(true);
    const run = expectRunOf(await h['runs.get']({ runId }), 'map');
    expect(run.trustworthiness).toBeGreaterThan(0.5);
    expect((await h['runs.list']({ kind: 'map', corpusId })).length).toBe(1);
    // UMAP and t-SNE too; t-SNE's perplexity must stay below the documents, said in the user's terms.
    for (const method of ['umap', 'tsne'] as const) {
      const made = await services.jobs.wait((await h['maps.start'](mapConfigSchema.parse({ embeddingRunId, method, neighbours: 10, perplexity: 10 }))).jobId);
      expect(made.error, method).toBeNull();
      expect(isJobOf(made, 'map') && made.result!.trustworthiness!, method).toBeGreaterThan(0.5);
    }
    const badPerplexity = await services.jobs.wait((await h['maps.start'](mapConfigSchema.parse({ embeddingRunId, method: 'tsne', perplexity: 40 }))).jobId);
    expect(badPerplexity.error).toMatchObject({ code: 'mapPerplexityTooLarge', params: { perplexity: 40, documents: 36 } });
    await h['runs.delete']({ runId });
    await expect(h['maps.points']({ runId })).rejects.toMatchObject({ code: 'runNotFound' });
  }, 60_000);

  it('clusters with HDBSCAN in a UMAP-reduced space, as BERTopic does', async () => {
    const job = await services.jobs.wait(
      (await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'hdbscan', minClusterSize: 5 }, reduce: { dimensions: 5, neighbours: 10 }, labels: { words: 5, minDf: 2 } }))).jobId,
    );
    expect(job.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId: job.run!.runId }), 'cluster');
    expect(run.clusters).toBeGreaterThanOrEqual(1);
    expect(run.quality!.inertia).toBeNull();
    expect(run.topics.reduce((a, t) => a + t.size, 0)).toBe(36);
    expect(run.quality!.noise).toBe(run.topics.find((t) => t.cluster === -1)?.size ?? 0);
  }, 60_000);

  it('refuses bad input with a clear code and leaves no run behind', async () => {
    const before = (await h['runs.list']({ kind: null, corpusId: null })).length;
    await expect(h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId: 999, algorithm: { kind: 'kmeans', k: 3, restarts: 1 } }))).rejects.toMatchObject({ code: 'embeddingRunNotFound', params: { id: 999 } });
    const tooMany = await services.jobs.wait((await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 50, restarts: 1 } }))).jobId);
    expect(tooMany.error).toMatchObject({ code: 'kmeansTooFewPoints', params: { k: 50, points: 36 } });
    const noWords = await services.jobs.wait((await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 2, restarts: 1 }, labels: { words: 5, minDf: 40, maxDfShare: 1, stopWords: [], diversity: null } }))).jobId);
    expect(noWords.error).toMatchObject({ code: 'topicsNoVocabulary', params: { minDf: 40 } });
    // A failed clustering stays as a failed run (resumable); an unknown embedding run made none.
    expect((await h['runs.list']({ kind: 'cluster', corpusId: null })).filter((r) => r.status === 'failed').length).toBe(2);
    expect((await h['runs.list']({ kind: null, corpusId: null })).length).toBe(before + 2);
  }, 60_000);
});
