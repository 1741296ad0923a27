// Maps and topics end to end through the services: an embedding run of a corpus with three
// planted topics, clustered in the compute worker (a real worker thread) and labelled both ways,
// then mapped to 2-D; runs of the shared lifecycle, results read back, bad input refused.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterConfigSchema, defaultImportOptions, expectRunOf, isJobOf, mapConfigSchema } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { plantedTopics, tempDir, writePlantedCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

/** Twelve documents per topic, each a few of its topic's words in a plain sentence. */
const planted = plantedTopics;
let embeddingRunId = 0;
let corpusId = 0;

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writePlantedCsv(dir, planted, 12);
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

  it('clusters the baseline, TF-IDF + SVD of the same documents\' morphemes, and names it so', async () => {
    const config = clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 3, restarts: 4 }, lsa: { components: 5 }, labels: { words: 5, minDf: 2 } });
    const job = await services.jobs.wait((await h['topics.cluster'](config)).jobId);
    expect(job.error).toBeNull();
    const run = expectRunOf(await h['runs.get']({ runId: job.run!.runId }), 'cluster');
    expect(run.name).toBe('planted · TF-IDF + SVD 5 · k-means k=3');
    expect(run.config.lsa).toEqual({ components: 5 });
    // The planted topics share no word, so word counts alone find them exactly.
    expect(run.quality).toMatchObject({ nmi: 1, ari: 1, purity: 1 });
    const vocabulary = Object.values(planted);
    for (const t of run.topics) {
      expect(t.size).toBe(12);
      const own = vocabulary.find((words) => words.includes(t.ctfidf[0].word))!;
      expect(t.study.slice(0, 3).every((w) => own.includes(w.word)), t.study.map((w) => w.word).join(' ')).toBe(true);
    }
    // More dimensions than words or documents: refused with the most it can have.
    const tooWide = await services.jobs.wait((await h['topics.cluster']({ ...config, lsa: { components: 500 } })).jobId);
    expect(tooWide.error).toMatchObject({ code: 'lsaTooFewWords', params: { components: 500, documents: 36, minDf: 2 } });
    const { words, max } = (tooWide.error as unknown as { params: { words: number; max: number } }).params;
    expect(max).toBe(Math.min(36, words) - 1);
    await h['runs.delete']({ runId: tooWide.run!.runId });
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

describe('topic edits', () => {
  /** sum over clusters of the largest gold count, over the documents (hand-computed purity). */
  const purityOf = (gold: string[], clusters: Int32Array) => {
    const counts = new Map<string, number>();
    clusters.forEach((c, i) => counts.set(`${c}\u0000${gold[i]}`, (counts.get(`${c}\u0000${gold[i]}`) ?? 0) + 1));
    const best = new Map<number, number>();
    for (const [key, n] of counts) {
      const c = Number(key.split('\u0000')[0]);
      best.set(c, Math.max(best.get(c) ?? 0, n));
    }
    return [...best.values()].reduce((a, b) => a + b, 0) / clusters.length;
  };
  const goldOf = async (documentIds: Int32Array) => Promise.all([...documentIds].map(async (documentId) => (await h['corpus.document']({ documentId })).label!));

  it('renames, pins, merges, moves and splits topics apart from the computed result, relabels them, and undoes and redoes', async () => {
    const tensorsBefore = (await h['compute.status']({})).memory?.tensors;
    const made = await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 3, restarts: 4 }, labels: { words: 5, minDf: 2 } }));
    expect((await services.jobs.wait(made.jobId)).error).toBeNull();
    const runId = made.runId;
    const computed = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    const base = await h['topics.assignments']({ runId });
    const gold = await goldOf(base.documentIds);
    expect(computed.edits).toEqual([]);

    // A rename and a pin are written at once, and undo takes back the last edit in force.
    expect(await h['topics.edit']({ runId, edit: { kind: 'rename', cluster: 0, name: '  スポーツ ' } })).toEqual({ jobId: null });
    expect(await h['topics.edit']({ runId, edit: { kind: 'pin', cluster: 0, word: computed.topics[0].ctfidf[0].word, pinned: true } })).toEqual({ jobId: null });
    let run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run.topics[0]).toMatchObject({ name: 'スポーツ', pinned: [computed.topics[0].ctfidf[0].word], study: computed.topics[0].study });
    expect(run.edits.map((e) => e.edit.kind)).toEqual(['rename', 'pin']);
    expect(await h['topics.undo']({ runId })).toMatchObject({ edit: { kind: 'pin' } });
    run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run.topics[0].pinned).toEqual([]);
    expect(run.redo.map((e) => e.edit.kind)).toEqual(['pin']);
    await h['topics.redo']({ runId });
    expect(expectRunOf(await h['runs.get']({ runId }), 'cluster').topics[0].pinned.length).toBe(1);

    // Merge 0 and 1: a job that labels every topic again; 0 keeps its name and pins, 1's documents are 0's.
    const merge = await h['topics.edit']({ runId, edit: { kind: 'merge', clusters: [0, 1] } });
    expect(merge.jobId).not.toBeNull();
    // One edit at a time per clustering.
    await expect(h['topics.edit']({ runId, edit: { kind: 'rename', cluster: 2, name: 'x' } })).rejects.toMatchObject({ code: 'topicsEditBusy', params: { id: runId } });
    const mergeJob = await services.jobs.wait(merge.jobId!);
    expect(mergeJob.error).toBeNull();
    expect(isJobOf(mergeJob, 'topicEdit') && mergeJob.result).toMatchObject({ runId, clusters: 2 });
    run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    const merged = await h['topics.assignments']({ runId });
    expect([...merged.clusters]).toEqual([...base.clusters].map((c) => (c === 1 ? 0 : c)));
    expect(run.topics.map((t) => t.cluster)).toEqual([0, 2]);
    expect(run.topics[0]).toMatchObject({ name: 'スポーツ', size: computed.topics[0].size + computed.topics[1].size });
    expect(run.topics[0].pinned.length).toBe(1);
    for (const t of run.topics) expect(t.gold.reduce((a, g) => a + g.count, 0)).toBe(t.size);
    // The merged topic's c-TF-IDF words are morphemes of its own documents.
    const mergedText = (await Promise.all([...merged.documentIds].filter((_, i) => merged.clusters[i] === 0).map(async (documentId) => (await h['corpus.document']({ documentId })).text))).join('\n');
    for (const w of run.topics[0].ctfidf) expect(mergedText).toContain(w.word);
    // The edited assignment's quality beside the computed one (inertia means nothing after an edit).
    expect(run.quality).toEqual(computed.quality);
    expect(run.editedQuality!.inertia).toBeNull();
    expect(run.editedQuality!.purity).toBeCloseTo(purityOf(gold, merged.clusters), 12);

    // Move three documents of topic 2 to a new topic: numbered one past every topic the clustering has had (3).
    const moved = [...merged.documentIds].filter((_, i) => merged.clusters[i] === 2).slice(0, 3);
    expect((await services.jobs.wait((await h['topics.edit']({ runId, edit: { kind: 'move', documentIds: moved, to: null } })).jobId!)).error).toBeNull();
    const afterMove = await h['topics.assignments']({ runId });
    afterMove.documentIds.forEach((d, i) => expect(afterMove.clusters[i]).toBe(moved.includes(d) ? 3 : merged.clusters[i]));
    run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run.topics.find((t) => t.cluster === 3)?.size).toBe(3);

    // Split the merged topic in two by k-means: new topics 4 and 5 take all its documents.
    expect((await services.jobs.wait((await h['topics.edit']({ runId, edit: { kind: 'split', target: { cluster: 0 }, parts: 2 } })).jobId!)).error).toBeNull();
    const afterSplit = await h['topics.assignments']({ runId });
    afterSplit.clusters.forEach((c, i) => expect(afterMove.clusters[i] === 0 ? [4, 5] : [afterMove.clusters[i]]).toContain(c));
    run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run.topics.map((t) => t.cluster)).toEqual([2, 3, 4, 5]);
    expect(run.topics.reduce((a, t) => a + t.size, 0)).toBe(36);
    expect(run.editedQuality!.purity).toBeCloseTo(purityOf(gold, afterSplit.clusters), 12);

    // Undo walks back through the membership edits too; the assignment follows.
    await h['topics.undo']({ runId });
    await h['topics.undo']({ runId });
    expect([...(await h['topics.assignments']({ runId })).clusters]).toEqual([...merged.clusters]);
    // A new edit drops what could have been redone.
    await h['topics.edit']({ runId, edit: { kind: 'rename', cluster: 2, name: '料理' } });
    run = expectRunOf(await h['runs.get']({ runId }), 'cluster');
    expect(run.redo).toEqual([]);
    expect(run.edits.map((e) => e.edit.kind)).toEqual(['rename', 'pin', 'merge', 'rename']);
    expect(run.topics.find((t) => t.cluster === 2)?.name).toBe('料理');
    // The computed result is untouched underneath.
    expect(services.projects.require().topics.clusters.computedTopics(runId)).toEqual(computed.topics);
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensorsBefore);
  }, 180_000);

  it('refuses edits it cannot make with a clear code', async () => {
    const made = await h['topics.cluster'](clusterConfigSchema.parse({ embeddingRunId, algorithm: { kind: 'kmeans', k: 3, restarts: 1 }, labels: { words: 3, minDf: 2 } }));
    const runId = made.runId;
    await services.jobs.wait(made.jobId);
    const { documentIds } = await h['topics.assignments']({ runId });
    await expect(h['topics.undo']({ runId })).rejects.toMatchObject({ code: 'topicsNothingToUndo', params: { id: runId } });
    await expect(h['topics.redo']({ runId })).rejects.toMatchObject({ code: 'topicsNothingToRedo' });
    await expect(h['topics.edit']({ runId, edit: { kind: 'rename', cluster: 7, name: 'x' } })).rejects.toMatchObject({ code: 'topicsUnknownTopic', params: { id: runId, cluster: 7 } });
    await expect(h['topics.edit']({ runId, edit: { kind: 'merge', clusters: [1, 1] } })).rejects.toMatchObject({ code: 'topicsMergeNeedsTwo' });
    await expect(h['topics.edit']({ runId, edit: { kind: 'move', documentIds: [documentIds[0], 99_999], to: 1 } })).rejects.toMatchObject({ code: 'topicsUnknownDocuments', params: { count: 1 } });
    await expect(h['topics.edit']({ runId, edit: { kind: 'split', target: { documentIds: [documentIds[0], documentIds[1]] }, parts: 3 } })).rejects.toMatchObject({ code: 'topicsSplitTooFew', params: { parts: 3, documents: 2 } });
    // A failed clustering has no topics to edit; a deleted one is not found.
    const failed = (await h['runs.list']({ kind: 'cluster', corpusId: null })).find((r) => r.status === 'failed')!;
    await expect(h['topics.edit']({ runId: failed.id, edit: { kind: 'rename', cluster: 0, name: 'x' } })).rejects.toMatchObject({ code: 'topicsEditNotReady', params: { status: 'failed' } });
    await h['runs.delete']({ runId });
    await expect(h['topics.edit']({ runId, edit: { kind: 'rename', cluster: 0, name: 'x' } })).rejects.toMatchObject({ code: 'runNotFound' });
  }, 60_000);
});
