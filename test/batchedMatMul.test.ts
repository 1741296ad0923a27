// batchedMatMul's per-block form on wasm gives tf.matMul's products and gradients, and the encoder
// through it still matches the Hugging Face fixtures (forced on with a threshold of 0, since the
// fixtures' heads are far below the size where it is taken by default).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../main/jobs/compute/backends';
import { fixtureBatch, readHfFixture, type FixtureInputs } from './hfFixtures';
import { installFastGradients } from '../main/ml/train/gradients';
import { expectNoLeakedTensors } from '../main/ml/testing/tensors';
import { classificationLoss, type Example } from '../main/ml/train/trainer';
import { trainableVariables } from '../main/ml/train/fineTune';
import { loadEncoder } from '../main/ml/models/index';
import { batchedMatMul, MIN_BLOCK_MACS, setMinBlockMacs, usesBlocks } from '../main/ml/models/blocks/batchedMatMul';

function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

beforeAll(async () => {
  process.env.SHIRABE_WASM_THREADS = '1'; // the products themselves, on the single-threaded build
  await selectBackend('wasm');
  installFastGradients();
  expect(tf.getBackend()).toBe('wasm');
});
afterAll(() => {
  setMinBlockMacs(MIN_BLOCK_MACS);
});

describe('batchedMatMul on wasm', () => {
  it('takes the per-block form only on wasm and from the threshold', () => {
    expect(usesBlocks(128, 64, 128, 'wasm')).toBe(true);
    expect(usesBlocks(16, 16, 32, 'wasm')).toBe(false);
    expect(usesBlocks(128, 64, 128, 'cpu')).toBe(false);
  });

  it('equals tf.matMul, values and both gradients, for [B, nh, m, k]·[B, nh, k, n]', () =>
    expectNoLeakedTensors(() => {
      setMinBlockMacs(0);
      const a = tf.randomNormal([2, 3, 5, 4], 0, 1, 'float32', 1);
      const b = tf.randomNormal([2, 3, 4, 6], 0, 1, 'float32', 2);
      const w = tf.randomNormal([2, 3, 5, 6], 0, 1, 'float32', 3);
      const loss = (mm: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(mm(x, y), w));
      const ours = batchedMatMul(a, b);
      const theirs = tf.matMul(a, b);
      expect(ours.shape).toEqual([2, 3, 5, 6]);
      expect(relDiff(ours, theirs)).toBeLessThan(1e-6);
      const g1 = tf.grads(loss(batchedMatMul))([a, b]);
      const g2 = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
      expect(g1.map((g) => g.shape)).toEqual([a.shape, b.shape]);
      g1.forEach((g, i) => expect(relDiff(g, g2[i])).toBeLessThan(1e-6));
      tf.dispose([a, b, w, ours, theirs, ...g1, ...g2]);
      setMinBlockMacs(MIN_BLOCK_MACS);
    }));

  it('keeps tf.matMul for mismatched batch dims (broadcasting)', () =>
    expectNoLeakedTensors(() => {
      setMinBlockMacs(0);
      const a = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 1);
      const b = tf.randomNormal([1, 4, 6], 0, 1, 'float32', 2);
      const ours = batchedMatMul(a, b);
      const theirs = tf.matMul(a, b);
      expect(relDiff(ours, theirs)).toBe(0);
      tf.dispose([a, b, ours, theirs]);
      setMinBlockMacs(MIN_BLOCK_MACS);
    }));
});

describe('the encoder through the per-block form on wasm', () => {
  const cases = ['bert-base', 'bert-cls', 'roberta-mlm', 'xlm-roberta-cls', 'distilbert-cls'];
  it.each(cases)('%s: every hidden state within 1e-4 of transformers', (name) =>
    expectNoLeakedTensors(() => {
      setMinBlockMacs(0);
      const { raw, reader, ref } = readHfFixture<FixtureInputs & { hiddenStates: number[][] }>(name);
      const { model } = loadEncoder(raw, reader);
      const hidden = model.forward(fixtureBatch(ref));
      hidden.forEach((h, i) => {
        const want = ref.hiddenStates[i];
        const got = h.dataSync();
        let worst = 0;
        for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
        expect(worst).toBeLessThan(1e-4);
      });
      tf.dispose(hidden);
      model.dispose();
      setMinBlockMacs(MIN_BLOCK_MACS);
    }));

  it('bert-cls: fine-tuning gradients of every parameter equal the batched form (1e-5 relative)', () =>
    expectNoLeakedTensors(() => {
      const { raw, reader, ref } = readHfFixture<FixtureInputs>('bert-cls');
      const { model } = loadEncoder(raw, reader);
      const trainable = trainableVariables(model, 'full');
      for (const v of trainable.values()) v.trainable = true;
      const examples: Example[] = ref.inputIds.map((ids, i) => {
        const n = ref.attentionMask[i].reduce((s, m) => s + m, 0);
        return { ids: ids.slice(0, n), tokenTypeIds: ids.slice(0, n).map(() => 0), target: i % 2 };
      });
      const loss = classificationLoss(model, { task: 'single-label', numLabels: (raw.num_labels as number | undefined) ?? 2, padId: 0 });
      const gradsWith = (macs: number) => {
        setMinBlockMacs(macs);
        const { value, grads } = tf.variableGrads(() => loss(examples), [...trainable.values()]);
        value.dispose();
        return grads;
      };
      const blocked = gradsWith(0);
      const batched = gradsWith(Infinity);
      setMinBlockMacs(MIN_BLOCK_MACS);
      expect(Object.keys(blocked).length).toBe(trainable.size);
      let worst = 0;
      for (const k of Object.keys(batched)) worst = Math.max(worst, relDiff(blocked[k], batched[k]));
      expect(worst).toBeLessThan(1e-5);
      tf.dispose([...Object.values(blocked), ...Object.values(batched)]);
      model.dispose();
    }));
});
