import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryMeter } from './memoryMeter';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MemoryMeter', () => {
  it('keeps the peak inside a profiled step, which tf.memory() between steps never sees', async () => {
    const meter = new MemoryMeter();
    const base = tf.memory().numBytes;
    // A "step" that holds 4 MiB of intermediates and frees them before it returns.
    const step = () => tf.tidy(() => tf.sum(tf.add(tf.ones([1024, 1024]), 1)).dataSync()[0]);
    expect(step()).toBe(2 * 1024 * 1024);
    meter.sample();
    expect(meter.wantsProfile).toBe(true);
    // Not a whole step (the generator yielded something else): profiled, not counted.
    await meter.profile(() => 0, () => false);
    expect(meter.wantsProfile).toBe(true);
    await meter.profile(step, () => true);
    expect(meter.wantsProfile).toBe(false);
    const m = meter.result();
    expect(m.peakTensorBytes).toBeGreaterThanOrEqual(base + 2 * 4 * 1024 * 1024);
    expect(m.rssBytes).toBeGreaterThan(0);
    expect(tf.memory().numBytes).toBe(base);
  });
});
