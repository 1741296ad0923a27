import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { JobQueue } from './jobQueue';

describe('JobQueue ETA (controlled clock)', () => {
  it('has no estimate before progress, a measured one while it runs, none after a cancel', async () => {
    let clock = 0;
    const updates: JobInfo[] = [];
    const queue = new JobQueue((info) => updates.push(info), () => clock);
    let release!: () => void;
    const job = queue.submit({
      kind: 'import', title: 'steps', unit: 'bytes',
      body: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new ShirabeError('cancelled')));
          release = () => {
            for (let d = 0; d <= 10; d++) {
              clock = 30_000 + d * 2000; // 30 s of preparing, then 2 s per unit
              ctx.progress(d, 50);
            }
          };
        }),
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(queue.get(job.id).etaSeconds).toBeNull();
    expect(queue.get(job.id).eta).toBeNull();
    release();
    const running = queue.get(job.id);
    expect(running.etaSeconds).toBeCloseTo(80, 5); // 40 units left at 2 s, not the average since the start (3.25 s)
    expect(running.eta?.stable).toBe(true);
    queue.cancel(job.id);
    const info = await queue.wait(job.id);
    expect(info.status).toBe('cancelled');
    expect(info.etaSeconds).toBeNull();
    expect(info.eta).toBeNull();
  });
});

describe('JobQueue', () => {
  it('runs jobs one at a time in order and publishes progress', async () => {
    const updates: JobInfo[] = [];
    const queue = new JobQueue((info) => updates.push(info));
    const order: string[] = [];
    const a = queue.submit({
      kind: 'morphology', title: 'a', unit: 'documents',
      body: async (ctx) => {
        order.push('a-start');
        ctx.progress(5, 10);
        await new Promise((r) => setTimeout(r, 20));
        ctx.progress(10, 10);
        order.push('a-end');
        return { documents: 1 };
      },
    });
    const b = queue.submit({
      kind: 'morphology', title: 'b', unit: 'documents',
      body: async () => {
        order.push('b');
        return { documents: 2 };
      },
    });
    const [ra, rb] = await Promise.all([queue.wait(a.id), queue.wait(b.id)]);
    expect(order).toEqual(['a-start', 'a-end', 'b']);
    expect(ra.status).toBe('done');
    expect(rb.result).toEqual({ documents: 2 });
    expect(updates.some((u) => u.id === a.id && u.done === 10 && u.total === 10)).toBe(true);
    expect(ra.run).toBeNull();
  });

  it('names the run a job works on from the moment it is queued', async () => {
    const updates: JobInfo[] = [];
    const queue = new JobQueue((info) => updates.push(info));
    const job = queue.submit({ kind: 'train', title: 'run 4', unit: 'steps', run: { kind: 'train', runId: 4 }, body: async () => ({ runId: 4, best: null, test: null, seconds: 0 }) });
    expect(job.run).toEqual({ kind: 'train', runId: 4 });
    await queue.wait(job.id);
    expect(updates.map((u) => u.status)).toEqual(['queued', 'running', 'done']);
    expect(updates.every((u) => u.run?.runId === 4)).toBe(true);
  });

  it('cancels a running job through its signal and a queued one at once', async () => {
    const queue = new JobQueue(() => {});
    const running = queue.submit({
      kind: 'import', title: 'slow', unit: 'bytes',
      body: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new ShirabeError('cancelled')));
        }),
    });
    const queued = queue.submit({ kind: 'morphology', title: 'next', unit: 'documents', body: async () => ({ documents: 0 }) });
    await new Promise((r) => setTimeout(r, 5));
    expect(queue.cancel(queued.id).status).toBe('cancelled');
    queue.cancel(running.id);
    const info = await queue.wait(running.id);
    expect(info.status).toBe('cancelled');
    expect(info.error?.code).toBe('cancelled');
  });

  it('reports a failure with its error code', async () => {
    const queue = new JobQueue(() => {});
    const job = queue.submit({
      kind: 'import', title: 'bad', unit: 'bytes',
      body: async () => {
        throw new ShirabeError('csvFieldCount', { line: 3, expected: 2, found: 3 });
      },
    });
    const info = await queue.wait(job.id);
    expect(info.status).toBe('failed');
    expect(info.error).toEqual({ code: 'csvFieldCount', params: { line: 3, expected: 2, found: 3 } });
    expect(() => queue.get('nope')).toThrow(ShirabeError);
  });
});
