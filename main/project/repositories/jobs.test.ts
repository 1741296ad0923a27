import { describe, expect, it } from 'vitest';
import { useTempProjects } from '../../../test/projectStore';

const { create, open } = useTempProjects();

describe('jobs history', () => {
  it('upserts and lists newest first', () => {
    const s = create();
    s.jobs.record({ id: 'a', kind: 'morphology', title: 'one', status: 'running', config: { x: 1 }, result: null, error: null, startedAt: 10, finishedAt: null, run: null });
    s.jobs.record({ id: 'b', kind: 'morphology', title: 'two', status: 'queued', config: null, result: null, error: null, startedAt: null, finishedAt: null, run: null });
    s.jobs.record({ id: 'a', kind: 'morphology', title: 'one', status: 'done', config: { x: 1 }, result: { documents: 3 }, error: null, startedAt: 10, finishedAt: 20, run: null });
    s.jobs.record({ id: 'c', kind: 'train', title: 'three', status: 'failed', config: { runId: 7 }, result: null, error: null, startedAt: 30, finishedAt: 40, run: { kind: 'train', runId: 7 } });
    const jobs = s.jobs.history();
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      ['c', 'failed'],
      ['b', 'queued'],
      ['a', 'done'],
    ]);
    expect(jobs[2]).toEqual({ id: 'a', kind: 'morphology', title: 'one', status: 'done', config: { x: 1 }, result: { documents: 3 }, error: null, startedAt: 10, finishedAt: 20, run: null });
    expect(jobs[0].run).toEqual({ kind: 'train', runId: 7 });
    s.close();
    expect(open().jobs.history()).toEqual(jobs);
  });
});
