import { describe, expect, it } from 'vitest';
import type { JobInfo, JobOf, ShirabeApi } from '../../../common/contract';
import { rememberTrainJob, trainJobOf } from './trainJobs';

const api = (): ShirabeApi => ({ call: () => Promise.reject(new Error('unused')), on: () => () => undefined });
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
  ...extra,
});

describe('the job of a training run', () => {
  it('is the one started for it last, else a finished train job whose result names it', () => {
    const a = api();
    const done = job('j1', { status: 'done', result: { runId: 4, best: null, test: null, seconds: 1 } });
    const embed: JobInfo = { ...job('j0'), kind: 'embed', status: 'done', result: { runId: 5, documents: 1, dimensions: 2, truncated: 0, seconds: 1, backend: 'cpu' } };
    expect(trainJobOf(a, 4, [embed, done])).toBe(done);
    // An embedding run with the same number is not this run.
    expect(trainJobOf(a, 5, [embed, done])).toBeNull();
    const resumed = job('j2');
    rememberTrainJob(a, 4, 'j2');
    expect(trainJobOf(a, 4, [embed, done, resumed])).toBe(resumed);
    // Remembered per API: another connection knows nothing of it.
    expect(trainJobOf(api(), 4, [resumed])).toBeNull();
  });
});
