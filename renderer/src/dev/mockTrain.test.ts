// The mock is a dev tool, but the UI is developed against it: its metrics must follow the
// definitions the real backend uses, and a run must behave as the contract says.
import { describe, expect, it } from 'vitest';
import { expectRunOf, type JobInfo, type ShirabeApi, type TrainProgress } from '../../../common/contract';
import { createMockApi } from './mockApi';
import { mockMetrics } from './mockTrain';

const trainRun = async (api: ShirabeApi, runId: number) => expectRunOf(await api.call('runs.get', { runId }), 'train');

describe('mock metrics', () => {
  it('follow scikit-learn: an undefined precision or recall counts as 0 (worked by hand)', () => {
    // gold a a b b c, predicted a b b b a (label indexes a=0, b=1, c=2).
    const m = mockMetrics('single-label', ['a', 'b', 'c'], [[0], [0], [1], [1], [2]], [[0], [1], [1], [1], [0]], [5, 3, 2]);
    expect(m.accuracy).toBeCloseTo(0.6, 10);
    expect(m.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support])).toEqual([
      ['a', 0.5, 0.5, 0.5, 2],
      ['b', 2 / 3, 1, 0.8, 2],
      ['c', 0, 0, 0, 1],
    ]);
    expect(m.macro.precision).toBeCloseTo(7 / 18, 10);
    expect(m.macro.recall).toBeCloseTo(0.5, 10);
    expect(m.macro.f1).toBeCloseTo(1.3 / 3, 10);
    expect(m.micro.f1).toBeCloseTo(0.6, 10);
    expect(m.weighted.precision).toBeCloseTo(7 / 15, 10);
    expect(m.weighted.f1).toBeCloseTo(0.52, 10);
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    expect(m.zeroDivision).toEqual({ noPredictions: ['c'], noSupport: [] });
    // Always "a" (the most frequent training label): accuracy 2/5; F1 of a = 2·0.4·1/1.4, the others 0.
    expect(m.majorityBaseline!.accuracy).toBeCloseTo(0.4, 10);
    expect(m.majorityBaseline!.macroF1).toBeCloseTo(0.8 / 1.4 / 3, 10);
    expect(m.hammingLoss).toBeNull();
  });

  it('score multi-label runs per label, with subset accuracy and Hamming loss', () => {
    const m = mockMetrics('multi-label', ['x', 'y'], [[0], [0, 1], [1]], [[0], [0], []], [2, 2]);
    expect(m.accuracy).toBeCloseTo(1 / 3, 10);
    expect(m.hammingLoss).toBeCloseTo(1 / 3, 10);
    expect(m.micro.precision).toBe(1);
    expect(m.micro.recall).toBe(0.5);
    expect(m.macro.f1).toBe(0.5);
    expect(m.confusion).toBeNull();
    expect(m.majorityBaseline).toBeNull();
    expect(m.zeroDivision.noPredictions).toEqual(['y']);
  });
});

describe('mock training run', () => {
  it('emits progress for every learning rate, finishes with metrics and pages its predictions', async () => {
    const api = createMockApi({ documents: 400, slow: 0, trainMillis: 500, seedTrainRuns: false });
    await api.call('project.create', { path: '/tmp/x.shirabe' });
    const events: TrainProgress[] = [];
    const jobs: JobInfo[] = [];
    api.on('train.progress', (e) => events.push(e));
    api.on('job.update', (j) => jobs.push(j));

    const estimate = await api.call('train.estimate', { corpusId: 1, modelPath: '/models/bert' });
    expect(estimate.labels).toEqual(['movie', 'smax', 'sports', 'topic']);
    // 400 documents: 320 train, 20% of them held out; 40 dev, 40 test.
    expect(estimate.documents).toEqual({ train: 256, validation: 64, test: 40 });
    expect(estimate.stepsPerEpoch).toBe(43);
    expect((await api.call('train.estimate', { corpusId: 1, modelPath: '/m', validation: { source: 'dev' } })).documents.validation).toBe(40);

    const { jobId, runId } = await api.call('train.start', { corpusId: 1, modelPath: '/models/bert', learningRates: [1e-5, 3e-5], epochs: 2 });
    await expect.poll(() => jobs.findLast((j) => j.id === jobId)?.status, { timeout: 5000 }).toBe('done');
    const job = jobs.findLast((j) => j.id === jobId)!;
    expect(job).toMatchObject({ kind: 'train', unit: 'steps', total: 43 * 2 * 2, done: 43 * 2 * 2 });
    expect(job.result).toMatchObject({ runId });

    expect(new Set(events.filter((e) => e.kind === 'step').map((e) => e.learningRateIndex))).toEqual(new Set([0, 1]));
    expect(events.filter((e) => e.kind === 'epoch').map((e) => [e.learningRateIndex, e.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
    ]);
    expect(events.every((e) => e.runId === runId)).toBe(true);

    const run = await trainRun(api, runId);
    expect(run.status).toBe('done');
    expect(run.perLearningRate.map((r) => r.learningRate)).toEqual([1e-5, 3e-5]);
    expect(run.best).not.toBeNull();
    expect(run.test!.documents).toBe(40);
    expect(run.test!.perClass.reduce((s, c) => s + c.support, 0)).toBe(40);
    expect(run.test!.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(40);
    // Two epochs: the mock's undertrained model never predicts the last label.
    expect(run.test!.zeroDivision.noPredictions).toEqual(['topic']);

    const all = await api.call('train.predictions', { runId, split: 'test', gold: null, predicted: null, errorsOnly: false, offset: 0, limit: 100 });
    expect(all.total).toBe(40);
    const errors = await api.call('train.predictions', { runId, split: 'test', gold: 'movie', predicted: null, errorsOnly: true, offset: 0, limit: 5 });
    expect(errors.rows.every((r) => !r.correct && r.gold.includes('movie'))).toBe(true);
    expect(errors.rows.length).toBeLessThanOrEqual(5);

    const rerun = await api.call('runs.rerun', { runId });
    expect(rerun.runId).not.toBe(runId);
    expect((await api.call('runs.list', { kind: 'train', corpusId: 1 })).map((r) => r.id)).toEqual([rerun.runId, runId]);
    await expect(api.call('runs.delete', { runId: rerun.runId })).rejects.toMatchObject({ code: 'runActive' });
    await api.call('runs.cancel', { runId: rerun.runId });
    await expect.poll(async () => (await trainRun(api, rerun.runId)).status, { timeout: 2000 }).toBe('cancelled');
  });

  it('refuses what the backend refuses', async () => {
    const api = createMockApi({ documents: 100, slow: 0, seedTrainRuns: false });
    await api.call('project.create', { path: '/tmp/x.shirabe' });
    await expect(api.call('train.start', { corpusId: 1, modelPath: '/m', learningRates: [] })).rejects.toMatchObject({ code: 'configInvalid' });
    await expect(api.call('runs.resume', { runId: 99 })).rejects.toMatchObject({ code: 'runNotFound' });
  });

  it('seeds a finished and an interrupted run that can be resumed', async () => {
    const api = createMockApi({ documents: 300, slow: 0, trainMillis: 300 });
    await api.call('project.open', { path: '/tmp/x.shirabe' });
    const runs = await api.call('runs.list', { kind: 'train', corpusId: null });
    expect(runs.map((r) => r.status).sort()).toEqual(['done', 'interrupted']);
    const cut = runs.find((r) => r.status === 'interrupted')!;
    expect(cut.checkpoint).not.toBeNull();
    // Cut in the second learning rate: the first one's five epochs and some of the second's are there.
    const curves = (await trainRun(api, cut.id)).curves;
    expect(curves.epochs.filter((p) => p.learningRateIndex === 0).map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(curves.epochs.filter((p) => p.learningRateIndex === 1).length).toBeGreaterThan(0);
    await expect(api.call('runs.resume', { runId: runs.find((r) => r.status === 'done')!.id })).rejects.toMatchObject({ code: 'runNotResumable' });
    await api.call('runs.resume', { runId: cut.id });
    await expect.poll(async () => (await trainRun(api, cut.id)).status, { timeout: 5000 }).toBe('done');
  });
});
