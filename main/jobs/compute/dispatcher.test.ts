// The compute worker's dispatcher without a thread: messages in, messages out, with tasks of the
// test's own (and one real one, vocab, which needs neither a model nor the MeCab dictionary).
import * as tf from '@tensorflow/tfjs-core';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import { expectNoLeakedTensors } from '../../ml/testing/tensors';
import { createDispatcher } from './dispatcher';
import { takeGpuFault, watchGpuDevice } from './gpuAdapter';
import type { FromWorker, ToWorker } from './protocol';
import { defineTask, type TaskDefinition } from './task';

type AnyTask = TaskDefinition<unknown, unknown, unknown>;

/** A run message for a test task (ToWorker's run is typed by the real task list). */
const runMessage = (jobId: string, task: string, input: unknown) => ({ type: 'run', jobId, task, input }) as unknown as ToWorker;

/** A dispatcher that has chosen the cpu backend, recording what it posts. */
async function harness(tasks?: Record<string, AnyTask>, post?: (m: FromWorker, transfer?: ArrayBuffer[]) => void) {
  const sent: FromWorker[] = [];
  const d = createDispatcher({ post: (m, t) => { sent.push(m); post?.(m, t); }, tasks, registerGradients: () => undefined });
  d.handle({ type: 'init', choice: 'cpu' });
  await d.idle();
  sent.length = 0;
  const run = async (task: string, input: unknown, jobId = 'job-1') => {
    d.handle(runMessage(jobId, task, input));
    await d.idle();
    return sent.filter((m) => 'jobId' in m && m.jobId === jobId);
  };
  return { d, sent, run };
}

const counter = defineTask<{ n: number }, { type: 'tick'; i: number }, { sum: number }>({
  async run(input, ctx) {
    let sum = 0;
    for (let i = 0; i < input.n; i++) {
      ctx.emit({ type: 'tick', i });
      ctx.progress(i + 1, input.n);
      sum += i;
    }
    return { sum };
  },
});

describe('compute dispatcher', () => {
  it('refuses a task it does not have, naming it and the ones it has', async () => {
    const { run } = await harness({ counter });
    const [failed] = await run('summarise', {});
    expect(failed).toEqual({ type: 'failed', jobId: 'job-1', error: { code: 'internal', params: { detail: expect.stringContaining('no task "summarise" (it has counter)') } } });
    // Nor does it take an object's inherited names for tasks.
    expect((await run('toString', {}, 'job-2'))[0]).toMatchObject({ type: 'failed', error: { code: 'internal' } });
  });

  it('posts a task’s events and progress in order, then its result', async () => {
    const { run } = await harness({ counter });
    expect(await run('counter', { n: 2 })).toEqual([
      { type: 'event', jobId: 'job-1', event: { type: 'tick', i: 0 } },
      { type: 'progress', jobId: 'job-1', done: 1, total: 2 },
      { type: 'event', jobId: 'job-1', event: { type: 'tick', i: 1 } },
      { type: 'progress', jobId: 'job-1', done: 2, total: 2 },
      { type: 'result', jobId: 'job-1', output: { sum: 1 } },
    ]);
  });

  it('posts failed with the ErrorInfo of what the task threw, and runs the next task', async () => {
    const shirabe = defineTask<null, never, never>({ run: async () => { throw new ShirabeError('modelSequenceTooLong', { maxLength: 600, limit: 512 }); } });
    const plain = defineTask<null, never, never>({ run: async () => { throw new TypeError('x is undefined'); } });
    const oom = defineTask<null, never, never>({ run: async () => { throw new Error('OOM when allocating tensor with shape[8,12,512,512]\n…'); } });
    const heap = defineTask<null, never, never>({ run: async () => { throw Object.assign(new Error('memory access out of bounds'), { name: 'RuntimeError' }); } });
    const { run } = await harness({ shirabe, plain, oom, heap, counter });
    expect(await run('shirabe', null, 'a')).toEqual([{ type: 'failed', jobId: 'a', error: { code: 'modelSequenceTooLong', params: { maxLength: 600, limit: 512 } } }]);
    expect(await run('plain', null, 'b')).toEqual([{ type: 'failed', jobId: 'b', error: { code: 'internal', params: { detail: 'x is undefined' } } }]);
    expect((await run('oom', null, 'c'))[0]).toMatchObject({ type: 'failed', error: { code: 'gpuOutOfMemory', params: { detail: 'OOM when allocating tensor with shape[8,12,512,512]' } } });
    expect((await run('heap', null, 'e'))[0]).toMatchObject({ type: 'failed', error: { code: 'wasmOutOfMemory', params: { detail: 'memory access out of bounds' } } });
    expect((await run('counter', { n: 1 }, 'd')).at(-1)).toEqual({ type: 'result', jobId: 'd', output: { sum: 0 } });
  });

  it('fails a task during which the WebGPU device reported an error (WebGPU does not throw), and keeps no result of it', async () => {
    // A device as tfjs-backend-webgpu holds it: errors arrive as events, the loss as a promise.
    let lose: (info: { message: string; reason: string }) => void = () => undefined;
    const device: { onuncapturederror?: ((e: { error?: { message?: string } }) => void) | null; lost: Promise<{ message: string; reason: string }> } = { lost: new Promise((r) => (lose = r)) };
    watchGpuDevice(device);
    const bad = defineTask<null, never, { ok: true }>({
      run: async () => {
        device.onuncapturederror?.({ error: { message: 'Buffer size (4294967296) exceeds the max buffer size limit (2147483648).\n - While calling [Device].CreateBuffer' } });
        return { ok: true };
      },
    });
    const { run } = await harness({ bad, counter });
    expect(await run('bad', null, 'a')).toEqual([{ type: 'failed', jobId: 'a', error: { code: 'gpuFault', params: { detail: 'Buffer size (4294967296) exceeds the max buffer size limit (2147483648).' } } }]);
    // The next task starts clean.
    expect((await run('counter', { n: 1 }, 'b')).at(-1)).toEqual({ type: 'result', jobId: 'b', output: { sum: 0 } });
    lose({ message: 'Device was destroyed.', reason: 'unknown' });
    await Promise.resolve();
    // A lost device fails every later task, until a new device is watched.
    for (const id of ['c', 'd']) expect((await run('counter', { n: 1 }, id)).at(-1)).toMatchObject({ type: 'failed', error: { code: 'gpuFault', params: { detail: 'the GPU device was lost (unknown): Device was destroyed.' } } });
    watchGpuDevice(undefined);
    expect(takeGpuFault()).toBeNull();
  });

  it('fails a task with cancelled once cancel arrives, and answers status while it runs', async () => {
    const endless = defineTask<null, never, never>({
      async run(_input, ctx) {
        for (;;) await ctx.checkCancel();
      },
    });
    const { d, sent } = await harness({ endless });
    d.handle(runMessage('long', 'endless', null));
    await new Promise((r) => setTimeout(r, 5));
    d.handle({ type: 'status' });
    const statusSeen = sent.some((m) => m.type === 'status' && m.status.backend === 'cpu');
    d.handle({ type: 'cancel', jobId: 'long' });
    await d.idle();
    expect(statusSeen).toBe(true);
    expect(sent.at(-1)).toEqual({ type: 'failed', jobId: 'long', error: { code: 'cancelled', params: {} } });
  });

  it('transfers the buffers a task names instead of copying them, and leaks no tensors', async () => {
    const vectors = defineTask<{ rows: number }, { part: Float32Array }, { all: Float32Array }>({
      async run(input, ctx) {
        const part = tf.tidy(() => tf.ones([2]).dataSync() as Float32Array).slice();
        ctx.emit({ part }, [part.buffer as ArrayBuffer]);
        const all = tf.tidy(() => tf.range(0, input.rows, 1, 'float32').dataSync() as Float32Array).slice();
        return { all };
      },
      transfer: (output) => [output.all.buffer as ArrayBuffer],
    });
    const channel = new MessageChannel();
    const received: FromWorker[] = [];
    channel.port2.on('message', (m: FromWorker) => received.push(m));
    const { run } = await harness({ vectors }, (m, transfer) => channel.port1.postMessage(m, transfer ?? []));
    const posted = await expectNoLeakedTensors(() => run('vectors', { rows: 3 }));
    await new Promise((r) => setTimeout(r, 20));
    channel.port1.close();
    // Sent, the worker's copies are detached: the bytes moved.
    const event = posted[0] as Extract<FromWorker, { type: 'event' }>;
    const result = posted[1] as Extract<FromWorker, { type: 'result' }>;
    expect((event.event as { part: Float32Array }).part.byteLength).toBe(0);
    expect((result.output as { all: Float32Array }).all.byteLength).toBe(0);
    // …and arrive whole on the other side.
    const arrived = received.filter((m) => 'jobId' in m);
    expect(arrived.map((m) => m.type)).toEqual(['event', 'result']);
    expect(Array.from(((arrived[0] as typeof event).event as { part: Float32Array }).part)).toEqual([1, 1]);
    expect(Array.from(((arrived[1] as typeof result).output as { all: Float32Array }).all)).toEqual([0, 1, 2]);
  });

  it('runs the registered tasks by name (vocab: a WordPiece vocabulary from a few texts)', async () => {
    const { run } = await harness();
    const texts = Array.from({ length: 100 }, (_, i) => `the cat sat on mat number ${i % 7} and the dog ran`);
    const posted = await run('vocab', { texts, vocabSize: 60, wordSplitter: 'basic', lowercase: true, maxLength: 128 });
    const result = posted.at(-1) as Extract<FromWorker, { type: 'result' }>;
    expect(result.type).toBe('result');
    const output = result.output as { vocab: string[]; words: number; files: [string, unknown][] };
    expect(output.vocab).toContain('[MASK]');
    expect(output.vocab).toContain('cat');
    expect(output.files.map(([name]) => name)).toContain('vocab.txt');
    const progress = posted.filter((m) => m.type === 'progress').map((m) => (m as { done: number }).done);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('refuses to run before the backend is chosen', async () => {
    const sent: FromWorker[] = [];
    const d = createDispatcher({ post: (m) => sent.push(m), tasks: { counter } });
    d.handle(runMessage('early', 'counter', { n: 1 }));
    await d.idle();
    expect(sent).toEqual([{ type: 'failed', jobId: 'early', error: { code: 'internal', params: { detail: expect.stringContaining('before choosing a backend') } } }]);
  });
});
