// The topics mock is what the Maps & topics pages are developed against: its runs must follow the
// contract (kinds routed beside the training mock's, run ids unique across kinds) and be the same
// for the same config.
import { describe, expect, it } from 'vitest';
import { expectRunOf, type JobInfo, type ShirabeApi } from '../../../common/contract';
import { createMockApi } from './mockApi';

async function opened(documents = 400): Promise<ShirabeApi> {
  const api = createMockApi({ documents, slow: 0, trainMillis: 300 });
  await api.call('project.create', { path: '/tmp/topics.shirabe' });
  return api;
}

async function finished(api: ShirabeApi, jobId: string): Promise<JobInfo> {
  for (;;) {
    const job = await api.call('jobs.get', { jobId });
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the topics mock', () => {
  it('seeds a clustering and a map of an embedding run, listed by kind beside the training runs', async () => {
    const api = await opened();
    const [embedding] = await api.call('embed.runs', { corpusId: null });
    const clusters = await api.call('runs.list', { kind: 'cluster', corpusId: null });
    const maps = await api.call('runs.list', { kind: 'map', corpusId: null });
    expect(clusters.map((r) => r.kind)).toEqual(['cluster']);
    expect(maps.map((r) => r.kind)).toEqual(['map']);
    expect((await api.call('runs.list', { kind: 'train', corpusId: null })).every((r) => r.kind === 'train')).toBe(true);
    const all = await api.call('runs.list', { kind: null, corpusId: null });
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(['train', 'cluster', 'map']));
    // Ids unique across kinds.
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);

    const detail = expectRunOf(await api.call('runs.get', { runId: clusters[0].id }), 'cluster');
    expect(detail.embedding.runId).toBe(embedding.id);
    expect(detail.topics.length).toBe(20);
    expect(detail.topics.reduce((s, t) => s + t.size, 0)).toBe(400);
    expect(detail.topics[0].study.length).toBe(20);
    expect(detail.quality?.nmi).toBeGreaterThan(0);
    const a = await api.call('topics.assignments', { runId: detail.id });
    const p = await api.call('maps.points', { runId: maps[0].id });
    expect(a.documentIds.length).toBe(400);
    expect(p.coords.length).toBe(800);
    // The training mock still answers for its own runs.
    const train = all.find((r) => r.kind === 'train')!;
    expect(expectRunOf(await api.call('runs.get', { runId: train.id }), 'train').id).toBe(train.id);
  });

  it('runs a clustering and a map as jobs of their runs, the same numbers for the same config', async () => {
    const api = await opened();
    const [embedding] = await api.call('embed.runs', { corpusId: null });
    const config = { embeddingRunId: embedding.id, algorithm: { kind: 'hdbscan' as const, minClusterSize: 5, minSamples: null }, seed: 7 };
    const first = await api.call('topics.cluster', config);
    const job = await finished(api, first.jobId);
    expect(job).toMatchObject({ kind: 'cluster', status: 'done', run: { kind: 'cluster', runId: first.runId } });
    const again = await api.call('runs.rerun', { runId: first.runId });
    await finished(api, again.jobId);
    const [x, y] = await Promise.all([first.runId, again.runId].map((runId) => api.call('topics.assignments', { runId })));
    expect([...y.clusters]).toEqual([...x.clusters]);
    expect(x.clusters.includes(-1)).toBe(true);
    const d = expectRunOf(await api.call('runs.get', { runId: first.runId }), 'cluster');
    expect(d.topics.at(-1)?.cluster).toBe(-1);
    expect(d.quality?.inertia).toBeNull();

    const map = await api.call('maps.start', { embeddingRunId: embedding.id, method: 'pca' });
    expect((await finished(api, map.jobId)).status).toBe('done');
    expect(expectRunOf(await api.call('runs.get', { runId: map.runId }), 'map').trustworthiness).toBeGreaterThan(0);
    await api.call('runs.delete', { runId: map.runId });
    await expect(api.call('runs.get', { runId: map.runId })).rejects.toMatchObject({ code: 'runNotFound' });
  });
});
