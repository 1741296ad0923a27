import { describe, expect, it } from 'vitest';
import type { JobInfo, JobOf } from '../../../common/contract';
import { jobActive, runJobOf, runJobsSignature } from './runJobs';

const job = (id: string, extra: Partial<JobOf<'train'>> = {}): JobOf<'train'> => ({
  id,
  kind: 'train',
  title: id,
  status: 'running',
  done: 0,
  total: 10,
  unit: 'steps',
  startedAt: 0,
  finishedAt: null,
  etaSeconds: null,
  error: null,
  result: null,
  run: { kind: 'train', runId: 4 },
  ...extra,
});

describe('the job of a run', () => {
  it('is the latest job that names it, whatever its state', () => {
    const done = job('j1', { status: 'done', result: { runId: 4, best: null, test: null, seconds: 1 } });
    const embed: JobInfo = { ...job('j0'), kind: 'embed', status: 'done', run: null, result: { runId: 5, documents: 1, dimensions: 2, truncated: 0, seconds: 1, backend: 'cpu' } };
    const pretrain: JobInfo = { ...job('j3'), kind: 'pretrain', result: null, run: { kind: 'pretrain', runId: 5 } };
    expect(runJobOf('train', 4, [embed, done])).toBe(done);
    // An embedding run or a pretraining run with the same number is not this run.
    expect(runJobOf('train', 5, [embed, done, pretrain])).toBeNull();
    expect(runJobOf('pretrain', 5, [embed, done, pretrain])).toBe(pretrain);
    const resumed = job('j2');
    expect(runJobOf('train', 4, [embed, done, resumed])).toBe(resumed);
  });
});

describe('the jobs signature of a kind of run', () => {
  it('changes with the state of that kind of run’s jobs only', () => {
    const a = job('j1');
    const other: JobInfo = { ...job('j2'), kind: 'pretrain', result: null, run: { kind: 'pretrain', runId: 1 } };
    const before = runJobsSignature('train', [a, other]);
    expect(runJobsSignature('train', [a, { ...other, status: 'done' } as JobInfo])).toBe(before);
    expect(runJobsSignature('train', [{ ...a, status: 'done' }, other])).not.toBe(before);
    expect(jobActive(a)).toBe(true);
    expect(jobActive({ ...a, status: 'cancelled' })).toBe(false);
    expect(jobActive(null)).toBe(false);
  });
});
