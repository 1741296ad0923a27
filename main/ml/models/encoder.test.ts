import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBatch, readHfFixture, type FixtureInputs } from '../../../test/hfFixtures';
import { bertNames, referenceEncode, type RefWeights } from '../../../test/reference/encoderReference';
import type { TensorReader } from '../weights/types';
import { loadEncoder } from './index';
import { expectNoLeakedTensors } from '../testing/tensors';


interface Reference extends FixtureInputs {
  hiddenStates: number[][];
  hiddenShape: number[];
  logits?: number[];
  logitsShape?: number[];
  pooler?: number[];
}

const fixture = (name: string) => readHfFixture<Reference>(name);
const batchOf = fixtureBatch;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('encoder against Hugging Face transformers 5.17 (fixtures made by scripts/fixtures/make_hf_fixtures.py)', () => {
  const cases: [string, 'mlm' | 'cls' | 'base'][] = [
    ['bert-mlm', 'mlm'],
    ['bert-base', 'base'],
    ['bert-cls', 'cls'],
    ['roberta-mlm', 'mlm'],
    ['xlm-roberta-cls', 'cls'],
    ['distilbert-mlm', 'mlm'],
    ['distilbert-cls', 'cls'],
  ];
  for (const [name, head] of cases) {
    it(`${name}: every hidden state and the ${head} output within 1e-4`, async () => {
      const { raw, reader, ref } = fixture(name);
      await expectNoLeakedTensors(() => {
        const { model, report } = loadEncoder(raw, reader);
        expect(report.missing).toEqual([]);
        expect(report.misshaped).toEqual([]);
        expect(report.unexpected).toEqual([]);
        const hidden = model.forward(batchOf(ref));
        expect(hidden.length).toBe(ref.hiddenStates.length);
        hidden.forEach((h, i) => {
          expect(h.shape).toEqual(ref.hiddenShape);
          expect(maxAbsDiff(h.dataSync(), ref.hiddenStates[i])).toBeLessThan(1e-4);
        });
        const last = hidden[hidden.length - 1];
        if (head === 'mlm') {
          expect(report.heads.mlm).toBe(true);
          expect(report.tiedDecoder).toBe(true);
          const logits = model.mlmLogits(last);
          expect(logits.shape).toEqual(ref.logitsShape);
          expect(maxAbsDiff(logits.dataSync(), ref.logits!)).toBeLessThan(1e-4);
          logits.dispose();
        } else if (head === 'cls') {
          expect(report.heads.classifier).toBe(true);
          const logits = model.classify(last);
          expect(logits.shape).toEqual(ref.logitsShape);
          expect(maxAbsDiff(logits.dataSync(), ref.logits!)).toBeLessThan(1e-4);
          logits.dispose();
        } else {
          const pooled = model.pooled(last);
          expect(maxAbsDiff(pooled.dataSync(), ref.pooler!)).toBeLessThan(1e-4);
          pooled.dispose();
        }
        hidden.forEach((h) => h.dispose());
        model.dispose();
      });
    });
  }
});

describe('encoder against a plain-loop float64 reference (test/reference/encoderReference.ts)', () => {
  // A seeded tiny BERT with random weights (not the fixture's), so the check does not rest on transformers.
  function seededWeights(seed: number, shapes: Record<string, number[]>): RefWeights {
    let s = seed >>> 0;
    const rand = () => {
      // mulberry32
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const out: RefWeights = new Map();
    for (const [name, shape] of Object.entries(shapes)) {
      const n = shape.reduce((a, b) => a * b, 1);
      const isNorm = name.includes('LayerNorm');
      const data = Float32Array.from({ length: n }, () => (isNorm && name.endsWith('weight') ? 1 + (rand() - 0.5) * 0.2 : (rand() - 0.5) * 0.4));
      out.set(name, { shape, data });
    }
    return out;
  }
  for (const modelType of ['bert', 'roberta'] as const) {
    it(`${modelType}: hidden states match within 1e-4`, () => {
      const H = 24;
      const I = 40;
      const V = 50;
      const P = 20;
      const pad = modelType === 'roberta' ? 1 : 0;
      const shapes: Record<string, number[]> = {
        'embeddings.word_embeddings.weight': [V, H],
        'embeddings.position_embeddings.weight': [P, H],
        'embeddings.token_type_embeddings.weight': [2, H],
        'embeddings.LayerNorm.weight': [H],
        'embeddings.LayerNorm.bias': [H],
      };
      for (let l = 0; l < 3; l++) {
        const p = `encoder.layer.${l}`;
        for (const [n, o, i] of [
          ['attention.self.query', H, H],
          ['attention.self.key', H, H],
          ['attention.self.value', H, H],
          ['attention.output.dense', H, H],
          ['intermediate.dense', I, H],
          ['output.dense', H, I],
        ] as const) {
          shapes[`${p}.${n}.weight`] = [o, i];
          shapes[`${p}.${n}.bias`] = [o];
        }
        for (const n of ['attention.output.LayerNorm', 'output.LayerNorm']) {
          shapes[`${p}.${n}.weight`] = [H];
          shapes[`${p}.${n}.bias`] = [H];
        }
      }
      const weights = seededWeights(modelType === 'bert' ? 7 : 8, shapes);
      const reader: TensorReader = {
        tensors: new Map([...weights].map(([name, t]) => [name, { name, dtype: 'F32', shape: t.shape }])),
        read: (name) => weights.get(name)!.data,
      };
      const raw = {
        model_type: modelType,
        vocab_size: V,
        hidden_size: H,
        num_hidden_layers: 3,
        num_attention_heads: 3,
        intermediate_size: I,
        max_position_embeddings: P,
        type_vocab_size: 2,
        layer_norm_eps: 1e-5,
        pad_token_id: pad,
      };
      const seqs = [
        [2, 11, 12, 13, 14, 15, 16, 3],
        [2, 21, 22, 3, pad, pad, pad, pad],
        [2, 31, 3, pad, pad, pad, pad, pad],
      ];
      const masks = seqs.map((s) => s.map((id, t) => (t === 0 || id !== pad ? 1 : 0)));
      const types = seqs.map((s) => s.map((_, t) => (t >= 4 ? 1 : 0)));
      const { model } = loadEncoder(raw, reader);
      const hidden = model.forward({
        ids: Int32Array.from(seqs.flat()),
        attentionMask: Int32Array.from(masks.flat()),
        tokenTypeIds: Int32Array.from(types.flat()),
        batchSize: 3,
        length: 8,
      });
      const cfg = { hiddenSize: H, numLayers: 3, numHeads: 3, layerNormEps: 1e-5, act: 'gelu' as const, padTokenId: pad, robertaPositions: modelType === 'roberta', hasTokenTypes: true };
      seqs.forEach((ids, b) => {
        const ref = referenceEncode(cfg, weights, bertNames(''), ids, masks[b], types[b]);
        hidden.forEach((h, layer) => {
          const got = h.dataSync().subarray(b * 8 * H, (b + 1) * 8 * H);
          // Padding positions are compared too: they attend to the real tokens like any other.
          expect(maxAbsDiff(got, ref[layer].flat())).toBeLessThan(1e-4);
        });
      });
      hidden.forEach((h) => h.dispose());
      model.dispose();
    });
  }
});
