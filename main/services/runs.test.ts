import { describe, expect, it } from 'vitest';
import { ShirabeError, type ErrorInfo } from '../../common/errors';
import { JobQueue } from '../jobs/jobQueue';
import { createAndLaunch, launchRun, provenance, requireResumable } from './runs';

const lifecycle = () => {
  const statuses: [string, ErrorInfo | null][] = [];
  let kept = 0;
  return { statuses, kept: () => kept, setStatus: (s: string, e: ErrorInfo | null) => statuses.push([s, e]), keep: () => void kept++ };
};

describe('the run lifecycle', () => {
  it('marks a run running, and failed with its reason after keeping what it had', async () => {
    const queue = new JobQueue(() => {});
    const l = lifecycle();
    const jobId = launchRun(queue, { kind: 'train', runId: 3, title: 't', unit: 'steps', setStatus: l.setStatus, keep: l.keep, body: async () => { throw new ShirabeError('trainSplitNoLabels', { split: 'test' }); } });
    const job = await queue.wait(jobId);
    expect(job.run).toEqual({ kind: 'train', runId: 3 });
    expect(job.status).toBe('failed');
    expect(l.statuses).toEqual([['running', null], ['failed', { code: 'trainSplitNoLabels', params: { split: 'test' } }]]);
    expect(l.kept()).toBe(1);
  });

  it('marks a cancelled run cancelled without an error, and a finished one only running (its finish writes done)', async () => {
    const queue = new JobQueue(() => {});
    const l = lifecycle();
    const slow = launchRun(queue, { kind: 'pretrain', runId: 1, title: 'p', unit: 'steps', setStatus: l.setStatus, keep: l.keep, body: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new ShirabeError('cancelled')))) });
    await new Promise((r) => setTimeout(r, 5));
    queue.cancel(slow);
    expect((await queue.wait(slow)).status).toBe('cancelled');
    expect(l.statuses).toEqual([['running', null], ['cancelled', null]]);
    const ok = lifecycle();
    const done = launchRun(queue, { kind: 'train', runId: 2, title: 't', unit: 'steps', setStatus: ok.setStatus, keep: ok.keep, body: async () => ({ runId: 2, best: null, test: null, seconds: 0 }) });
    expect((await queue.wait(done)).result).toEqual({ runId: 2, best: null, test: null, seconds: 0 });
    expect(ok.statuses).toEqual([['running', null]]);
    expect(ok.kept()).toBe(0);
  });

  it('resumes only runs that ended early', () => {
    for (const status of ['interrupted', 'cancelled', 'failed'] as const) expect(() => requireResumable({ id: 1, status })).not.toThrow();
    for (const status of ['running', 'done'] as const) expect(() => requireResumable({ id: 1, status })).toThrow(ShirabeError);
  });

  it('leaves no run record behind when the launch fails', async () => {
    const records = new Set<number>();
    await expect(createAndLaunch(() => (records.add(9), 9), async () => { throw new Error('no model'); }, (id) => records.delete(id))).rejects.toThrow('no model');
    expect(records.size).toBe(0);
    expect(await createAndLaunch(() => (records.add(10), 10), async (id) => `job-${id}`, (id) => records.delete(id))).toEqual({ runId: 10, launched: 'job-10' });
    expect([...records]).toEqual([10]);
  });

  it('writes one provenance format: versions without a leading v', () => {
    const p = provenance('1.2.3');
    expect(p.shirabe).toBe('1.2.3');
    expect(p.node).toBe(process.version.slice(1));
    expect(p['@tensorflow/tfjs-core']).toMatch(/^\d+\.\d+\.\d+/);
  });
});
