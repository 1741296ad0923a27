// topics.sweep through the services and the compute worker (a real worker thread): an embedding
// run whose vectors are four well-separated blobs, one per gold label, swept over k; the result
// kept in the job's record; bad ranges and a missing run refused with their own codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, isJobOf, kSweepConfigSchema } from '../common/contract';
import { mulberry32, normals } from '../common/random';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const labels = ['sports', 'food', 'computer', 'travel'];
const perLabel = 15;
const d = 8;
let embeddingRunId = 0;

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const rows = ['text,label'];
  labels.forEach((label) => {
    for (let i = 0; i < perLabel; i++) rows.push(`${label} document number ${i},${label}`);
  });
  const csv = join(dir, 'blobs.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'blobs', textColumn: 'text', labelColumn: 'label' } })).jobId);
  const corpusId = (await h['corpus.list']({}))[0].id;
  // A blob per label: the label's axis at 10, unit Gaussian noise.
  const store = services.projects.require();
  const docs = store.documents.labelled(corpusId);
  const z = normals(mulberry32(3));
  const vectors = new Float32Array(docs.length * d);
  docs.forEach((doc, i) => {
    for (let j = 0; j < d; j++) vectors[i * d + j] = z() + (j === labels.indexOf(doc.label!) ? 10 : 0);
  });
  embeddingRunId = store.embeddings.save(
    {
      corpusId,
      model: { name: 'blobs', path: '/none', hash: 'none', modelType: 'synthetic' },
      pooling: 'mean',
      layer: -1,
      maxLength: 32,
      batchSize: 8,
      truncation: 'head',
      seed: 0,
      dimensions: d,
      truncatedDocuments: 0,
      backend: 'synthetic',
      versions: {},
      seconds: 0,
    },
    docs.map((doc) => doc.id),
    vectors,
  );
}, 120_000);

describe('topics.sweep', () => {
  it('sweeps k over the blobs: silhouette highest at k = 4, where NMI and ARI are 1; the result stays in the job record', async () => {
    // The worker may not have started yet: then it holds no tensors.
    const tensorsBefore = (await h['compute.status']({})).memory?.tensors ?? 0;
    const { jobId } = await h['topics.sweep'](kSweepConfigSchema.parse({ embeddingRunId, from: 2, to: 8, restarts: 3, metric: 'euclidean' }));
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    // The sweep is plain arrays in the worker: its tensor count is where it was.
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensorsBefore);
    expect(job.run).toBeNull();
    if (!isJobOf(job, 'sweep') || !job.result) throw new Error(`not a finished sweep: ${job.kind} ${job.status}`);
    const r = job.result;
    expect(r.embeddingRunId).toBe(embeddingRunId);
    expect(r.points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(r.suggested).toBe(4);
    const at4 = r.points[2];
    expect(at4.nmi).toBeCloseTo(1, 10);
    expect(at4.ari).toBeCloseTo(1, 10);
    for (let i = 1; i < r.points.length; i++) expect(r.points[i].inertia).toBeLessThanOrEqual(r.points[i - 1].inertia * (1 + 1e-9));
    expect(r.seconds).toBeGreaterThan(0);
    // A job, not a run: no clustering was written, and the project's job history keeps the result with the config.
    expect(await h['runs.list']({ kind: 'cluster', corpusId: null })).toEqual([]);
    const kept = (await h['jobs.history']({})).find((j) => j.id === jobId);
    expect(kept).toMatchObject({ kind: 'sweep', status: 'done', result: { suggested: 4 }, config: { embeddingRunId, from: 2, to: 8, restarts: 3 } });
  }, 60_000);

  it('refuses a range past the documents, an empty or too wide range, and a missing embedding run', async () => {
    const sweep = (config: object) => h['topics.sweep'](kSweepConfigSchema.parse({ embeddingRunId, ...config }));
    await expect(sweep({ from: 2, to: 60 })).rejects.toMatchObject({ code: 'kSweepTooFewDocuments', params: { documents: 60, max: 59, to: 60 } });
    await expect(sweep({ from: 6, to: 3 })).rejects.toMatchObject({ code: 'kSweepRangeEmpty', params: { from: 6, to: 3 } });
    await expect(sweep({ from: 2, to: 150 })).rejects.toMatchObject({ code: 'kSweepRangeTooWide', params: { span: 100, limit: 102 } });
    await expect(h['topics.sweep'](kSweepConfigSchema.parse({ embeddingRunId: 999 }))).rejects.toMatchObject({ code: 'embeddingRunNotFound' });
    expect(kSweepConfigSchema.safeParse({ embeddingRunId, from: 1 }).success).toBe(false);
    // Nothing was queued by the refusals.
    expect((await h['jobs.list']({})).filter((j) => j.kind === 'sweep')).toHaveLength(1);
  });
});
