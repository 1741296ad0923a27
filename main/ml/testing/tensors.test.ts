import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeakedTensors, LeakedTensorsError } from './tensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('expectNoLeakedTensors', () => {
  it('passes when fn disposes what it makes, and returns its result', async () => {
    await expect(expectNoLeakedTensors(() => tf.tidy(() => tf.add(1, 2).dataSync()[0]))).resolves.toBe(3);
  });

  it('throws naming the count when a tensor is left behind, after an await too', async () => {
    let kept: tf.Tensor | undefined;
    const leak = expectNoLeakedTensors(async () => {
      await new Promise((r) => setTimeout(r, 1));
      kept = tf.ones([2]);
    });
    await expect(leak).rejects.toBeInstanceOf(LeakedTensorsError);
    await expect(leak).rejects.toThrow(/1 tensor\(s\) leaked/);
    kept!.dispose();
  });

  it('throws when fn disposes a tensor it did not make', async () => {
    const outside = tf.ones([1]);
    await expect(expectNoLeakedTensors(() => outside.dispose())).rejects.toThrow(/disposed beyond the baseline/);
  });
});
