// The ONNX graph run by onnxruntime against the tfjs forward pass on the cpu backend: every
// architecture fixture, every hidden state, every pooling and the classifier's logits, with a
// padded row in each batch, within 1e-4.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBatch, readHfFixture, runOnnxGraph, type FixtureInputs } from '../../../test/hfFixtures';
import type { Pooling } from '../../../common/contract';
import { mulberry32 } from '../../../common/random';
import { pool } from '../embed';
import { loadEncoder, type EncoderModel } from '../models/index';
import { attachLora } from '../train/lora';
import { encoderGraph, outputsKey } from './encoderGraph';


interface Reference extends FixtureInputs {
}

function fixture(name: string, patch: Record<string, unknown> = {}) {
  const { raw, reader, ref } = readHfFixture<Reference>(name, patch);
  return { model: loadEncoder(raw, reader).model, ref };
}

const batchOf = fixtureBatch;

type Batch = ReturnType<typeof batchOf>;

const runGraph = (bytes: Uint8Array, model: EncoderModel, batch: Batch) => runOnnxGraph(bytes, model, batch);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A classifier (and BERT's pooler) where the fixture has none, so every architecture's head is compared. */
function withClassifier(model: EncoderModel): EncoderModel {
  const rand = mulberry32(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (const group of ['pooler', 'classifier'] as const) if (model.specs.some((s) => s.group === group)) model.initHead(group, normal);
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const poolings: Pooling[] = ['cls', 'mean', 'last', 'max'];
const cases = ['bert-base', 'bert-mlm', 'bert-cls', 'roberta-mlm', 'xlm-roberta-cls', 'distilbert-mlm', 'distilbert-cls'];
const errors: Record<string, number> = {};

describe('ONNX encoder graph on onnxruntime CPU = tfjs cpu (1e-4)', () => {
  for (const name of cases) {
    it(`${name}: hidden states, pooled embeddings and logits, with padding in the batch`, async () => {
      const { model, ref } = fixture(name);
      withClassifier(model);
      const batch = batchOf(ref);
      expect(batch.attentionMask.includes(0)).toBe(true);
      const L = model.config.numLayers;
      const layers = Array.from({ length: L + 1 }, (_, i) => i);
      const got = await runGraph(encoderGraph(model, { hidden: layers, logits: true }), model, batch);
      tf.tidy(() => {
        const hidden = model.forward(batch);
        hidden.forEach((h, i) => {
          errors[`${name} hidden_${i}`] = maxAbsDiff(got[`hidden_${i}`], h.dataSync());
          expect(errors[`${name} hidden_${i}`]).toBeLessThan(1e-4);
        });
        errors[`${name} logits`] = maxAbsDiff(got.logits, model.classify(hidden[L]).dataSync());
        expect(errors[`${name} logits`]).toBeLessThan(1e-4);
      });
      for (const pooling of poolings) {
        for (const layer of [L, 1]) {
          const outputs = { pooled: { layer, pooling } };
          const { pooled } = await runGraph(encoderGraph(model, outputs), model, batch);
          const expected = tf.tidy(() => pool(model.forward(batch, { keep: [layer] })[0], batch.attentionMask, pooling).dataSync());
          errors[`${name} ${outputsKey(outputs)}`] = maxAbsDiff(pooled, expected);
          expect(errors[`${name} ${outputsKey(outputs)}`]).toBeLessThan(1e-4);
        }
      }
      model.dispose();
    });
  }

  for (const act of ['gelu_new', 'relu', 'silu']) {
    it(`bert-cls with hidden_act ${act}`, async () => {
      const { model, ref } = fixture('bert-cls', { hidden_act: act });
      const batch = batchOf(ref);
      const { logits, hidden_2: h } = await runGraph(encoderGraph(model, { hidden: [2], logits: true }), model, batch);
      tf.tidy(() => {
        const [last] = model.forward(batch, { keep: [2] });
        expect(maxAbsDiff(h, last.dataSync())).toBeLessThan(1e-4);
        expect(maxAbsDiff(logits, model.classify(last).dataSync())).toBeLessThan(1e-4);
      });
      model.dispose();
    });
  }

  it('LoRA adapters are folded into the weights: the graph gives the adapted model’s logits', async () => {
    const { model, ref } = fixture('bert-cls');
    const rand = mulberry32(11);
    attachLora(model, { rank: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value', 'intermediate'] }, rand);
    // B starts at zero (the adapted model equals the base): give it values so the update shows.
    for (const { b } of model.lora!.layers.values()) tf.tidy(() => b.assign(tf.randomNormal(b.shape, 0, 0.5, 'float32', 3)));
    const batch = batchOf(ref);
    const base = await runGraph(encoderGraph(model, { logits: true }), model, batch);
    tf.tidy(() => {
      const expected = model.classify(model.forward(batch, { keep: [model.config.numLayers] })[0]).dataSync();
      errors['bert-cls LoRA logits'] = maxAbsDiff(base.logits, expected);
      expect(errors['bert-cls LoRA logits']).toBeLessThan(1e-4);
    });
    model.dispose();
  });

  it('reports the largest differences', () => {
    const worst = Object.entries(errors).sort((a, b) => b[1] - a[1]);
    console.log(`ONNX vs tfjs cpu, largest |difference| of ${worst.length} comparisons: ${worst.slice(0, 5).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(', ')}`);
    expect(worst.length).toBeGreaterThan(0);
  });
});
