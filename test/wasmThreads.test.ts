// The threaded SIMD build of tfjs-backend-wasm under Node through main/jobs/compute/wasmThreads.ts:
// opt-in (SHIRABE_WASM_THREADS); it starts with the threads asked for (beyond tfjs's cap of half the logical cores) and gives
// the single-threaded build's products.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWasmBackend, wasmThreadsWanted } from '../main/jobs/compute/wasmThreads';

const req = createRequire(__filename);

describe('wasm threads under Node', () => {
  it('runs 1 thread unless SHIRABE_WASM_THREADS asks for a count or the physical cores', () => {
    expect(wasmThreadsWanted({}).threads).toBe(1);
    expect(wasmThreadsWanted({ SHIRABE_WASM_THREADS: 'x' }).threads).toBe(1);
    expect(wasmThreadsWanted({ SHIRABE_WASM_THREADS: '3' })).toEqual({ threads: 3, how: 'SHIRABE_WASM_THREADS' });
    expect(wasmThreadsWanted({ SHIRABE_WASM_THREADS: 'cores' }).how).toBe('physical cores');
  });

  it('runs 2 threads, with the same matMul as the cpu backend', async () => {
    setWasmPaths(join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    await tf.setBackend('cpu');
    const a = tf.randomNormal([256, 96], 0, 1, 'float32', 1);
    const b = tf.randomNormal([96, 80], 0, 1, 'float32', 2);
    const want = tf.matMul(a, b).dataSync();
    const [av, bv] = [a.dataSync(), b.dataSync()];
    tf.dispose([a, b]);
    const started = await startWasmBackend(2);
    expect(started).toEqual({ threads: 2 });
    expect(tf.getBackend()).toBe('wasm');
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(av, [256, 96]), tf.tensor2d(bv, [96, 80])).dataSync());
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-4);
  }, 60_000);
});
