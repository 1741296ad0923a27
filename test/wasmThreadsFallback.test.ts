// When the threaded wasm build does not start (here: a start timeout of 1 ms), the backend runs the
// single-threaded build and says why.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { startWasmBackend } from '../main/jobs/compute/wasmThreads';

const req = createRequire(__filename);

it('falls back to 1 thread with the reason', async () => {
  setWasmPaths(join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const started = await startWasmBackend(2, 1);
  expect(started.threads).toBe(1);
  expect(started.reason).toMatch(/did not start in/);
  expect(tf.getBackend()).toBe('wasm');
  const y = tf.matMul(tf.ones([4, 3]), tf.ones([3, 2]));
  expect([...y.dataSync()]).toEqual(Array(8).fill(3));
}, 60_000);
