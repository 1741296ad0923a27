import { describe, expect, it } from 'vitest';
import type { ShirabeApi } from '../../../common/contract';
import { runCapabilities, runsApi } from './runsApi';

/** A backend that records the calls; runs.list and runs.get answer with runs of both kinds. */
function recording(): { api: ShirabeApi; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const answers: Record<string, unknown> = {
    'runs.list': [
      { kind: 'train', id: 1 },
      { kind: 'pretrain', id: 2 },
    ],
    'runs.get': { kind: 'pretrain', id: 2 },
    'runs.rerun': { jobId: 'j', runId: 9 },
  };
  const api = {
    call: (method: string, input: unknown) => {
      calls.push([method, input]);
      return Promise.resolve(answers[method] ?? null);
    },
    on: () => () => undefined,
  } as unknown as ShirabeApi;
  return { api, calls };
}

describe('runsApi', () => {
  it('reaches every kind of run through the shared runs methods', async () => {
    const { api, calls } = recording();
    const runs = runsApi(api);
    await runs.resumeRun('pretrain', 2);
    expect(await runs.rerunRun('train', 1)).toEqual({ jobId: 'j', runId: 9 });
    await runs.deleteRun('train', 1);
    expect(calls).toEqual([
      ['runs.resume', { runId: 2 }],
      ['runs.rerun', { runId: 1 }],
      ['runs.delete', { runId: 1 }],
    ]);
  });

  it('lists and opens runs of the kind asked for only', async () => {
    const { api, calls } = recording();
    const runs = runsApi(api);
    expect((await runs.listRuns('train', 3)).map((r) => r.id)).toEqual([1]);
    expect(calls[0]).toEqual(['runs.list', { kind: 'train', corpusId: 3 }]);
    expect((await runs.getRun('pretrain', 2)).id).toBe(2);
    await expect(runs.getRun('train', 2)).rejects.toMatchObject({ code: 'runNotFound', params: { id: 2 } });
  });

  it('re-runs only the kinds that can, and refuses the others without calling the backend', async () => {
    expect(runCapabilities('train').rerun).toBe(true);
    expect(runCapabilities('pretrain').rerun).toBe(false);
    // Clusterings and maps are re-run from their config alone (same seed).
    expect(runCapabilities('cluster').rerun).toBe(true);
    expect(runCapabilities('map').rerun).toBe(true);
    const { api, calls } = recording();
    await expect(runsApi(api).rerunRun('pretrain', 5)).rejects.toThrow('cannot be re-run');
    expect(calls).toEqual([]);
  });
});
