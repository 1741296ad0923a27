// Integrated Gradients checked three ways: on a target linear in the embeddings, where IG is
// (x − x′) · w exactly and the study's norm is a closed form; against a float64 PyTorch reference of
// the same formula on a fixture BERT (scripts/fixtures/make_ig_fixtures.py, test/fixtures/attribution);
// and by the completeness axiom, whose gap shrinks as the steps grow.
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
import { attributeNorm, attributeScalar, classifierTarget, embeddingTarget, membershipTarget } from './attribute';
import { baselineEmbeddings, integratedGradients, passMemory, wordEmbeddings, type AttributionInput, type AttributionTarget } from './ig';
import { integrationPoints, type IntegrationRule } from './integration';

const fixtures = join(__dirname, '../../../test/fixtures/attribution');

interface Case {
  target: { kind: 'logit'; class: number } | { kind: 'embedding'; pooling: 'cls' | 'mean'; layer: number };
  rule: IntegrationRule;
  steps: number;
  scores: number[];
  atInput?: number;
  atBaseline?: number;
  igSums?: number[];
  delta?: number[];
}
const reference = JSON.parse(readFileSync(join(fixtures, 'ig.json'), 'utf8')) as { model: string; ids: number[]; tokenTypeIds: number[]; special: boolean[]; cases: Record<string, Case> };

function loadFixture(): EncoderModel {
  const dir = join(fixtures, reference.model);
  const raw = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  return loadEncoder(raw, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))))).model;
}

/** max |a − b| over max |b|: agreement relative to the scale of the reference. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
});

describe('on a target linear in the embeddings', () => {
  // f(e) = e_flat · W, W [T·H, K] seeded: ∂f_k/∂e = W[:, k] everywhere, so IG_k = (x − x′) ⊙ W[:, k] with any rule.
  const T = 40;
  const H = 3;
  const K = 5;
  const rand = (() => {
    let s = 7;
    return () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  })();
  const w = Float32Array.from({ length: T * H * K }, rand);
  const x = Float32Array.from({ length: T * H }, rand);
  const baseline = Float32Array.from({ length: T * H }, rand);
  const input: AttributionInput = { ids: Int32Array.from({ length: T }, (_, t) => t + 2), tokenTypeIds: new Int32Array(T), special: Array.from({ length: T }, (_, t) => t === 0 || t === T - 1) };
  const target: AttributionTarget = (e) => tf.matMul(tf.reshape(e, [-1, T * H]), tf.tensor2d(w, [T * H, K]));
  const exactIg = (k: number) => Float64Array.from({ length: T * H }, (_, i) => (x[i] - baseline[i]) * w[i * K + k]);

  it('gives IG = (x − x′) · w exactly, with completeness, for every rule and batch size', async () => {
    for (const rule of ['riemann-left', 'trapezoid', 'gauss-legendre'] as const) {
      for (const batchSize of [1, 3, 64]) {
        const r = await attributeScalar({ input, x, baseline, hiddenSize: H, target, outputs: K, output: 3, steps: 7, rule, batchSize });
        const ig = exactIg(3);
        const expected = Array.from({ length: T }, (_, t) => ig[t * H] + ig[t * H + 1] + ig[t * H + 2]);
        for (let t = 0; t < T; t++) expect(r.scores[t]).toBeCloseTo(expected[t], 5);
        expect(r.gap).toBeLessThan(1e-5);
        expect(r.passes).toBe(Math.ceil(7 / batchSize));
      }
    }
  });

  it("gives the study's norm contribution sqrt(Σ_j Σ_k IG_k²) exactly, and an estimate whose 95% interval holds it", async () => {
    const exact = await attributeNorm({ input, x, baseline, hiddenSize: H, target, outputs: K, method: { kind: 'exact' }, steps: 4, rule: 'gauss-legendre', batchSize: 6 });
    const squares = new Float64Array(T);
    for (let k = 0; k < K; k++) exactIg(k).forEach((v, i) => (squares[Math.floor(i / H)] += v * v));
    for (let t = 0; t < T; t++) expect(exact.scores[t]).toBeCloseTo(Math.sqrt(squares[t]), 5);
    expect(exact.gap).toBeLessThan(1e-5);
    expect(exact.projections).toBe(K);
    const estimate = await attributeNorm({ input, x, baseline, hiddenSize: H, target, outputs: K, method: { kind: 'estimate', projections: 64, seed: 3 }, steps: 4, rule: 'gauss-legendre', batchSize: 32 });
    // A 95% interval per token: nearly every token's exact value inside it, and the estimate close.
    let inside = 0;
    for (let t = 0; t < T; t++) {
      const c = Math.sqrt(squares[t]);
      if (estimate.low[t] <= c && c <= estimate.high[t]) inside++;
      expect(Math.abs(estimate.scores[t] - c) / c).toBeLessThan(0.3);
    }
    expect(inside).toBeGreaterThanOrEqual(0.9 * T);
  });
});

describe('on a fixture BERT, against float64 PyTorch', () => {
  let model: EncoderModel;
  let input: AttributionInput;
  let x: Float32Array;
  let baseline: Float32Array;
  beforeAll(async () => {
    model = loadFixture();
    input = { ids: Int32Array.from(reference.ids), tokenTypeIds: Int32Array.from(reference.tokenTypeIds), special: reference.special };
    x = await wordEmbeddings(model, input.ids);
    baseline = await baselineEmbeddings(model, input, 'pad', model.config.padTokenId);
  });

  it.each(Object.entries(reference.cases).filter(([, c]) => c.target.kind === 'logit'))("%s: each token's attribution to the logit to 1e-4 of the largest", async (_name, c) => {
    const target = c.target as { kind: 'logit'; class: number };
    const r = await expectNoLeakedTensors(() =>
      attributeScalar({ input, x, baseline, hiddenSize: model.config.hiddenSize, target: classifierTarget(model, 'logit'), outputs: 3, output: target.class, steps: c.steps, rule: c.rule, batchSize: 16 }),
    );
    expect(relativeError(r.scores, c.scores)).toBeLessThan(1e-4);
    expect(r.atInput).toBeCloseTo(c.atInput!, 5);
    expect(r.atBaseline).toBeCloseTo(c.atBaseline!, 5);
  });

  it.each(Object.entries(reference.cases).filter(([, c]) => c.target.kind === 'embedding'))("%s: the study's norm contribution of each token to 1e-4 of the largest", async (_name, c) => {
    const target = c.target as { kind: 'embedding'; pooling: 'cls' | 'mean'; layer: number };
    const H = model.config.hiddenSize;
    const r = await expectNoLeakedTensors(() =>
      attributeNorm({ input, x, baseline, hiddenSize: H, target: embeddingTarget(model, target.pooling, target.layer), outputs: H, method: { kind: 'exact' }, steps: c.steps, rule: c.rule, batchSize: 64 }),
    );
    expect(relativeError(r.scores, c.scores)).toBeLessThan(1e-4);
    // Specials keep their embedding in the baseline: they contribute nothing.
    expect(r.scores[0]).toBe(0);
    expect(r.scores[input.ids.length - 1]).toBe(0);
    const change = Math.hypot(...c.delta!);
    expect(r.change).toBeCloseTo(change, 5);
  });

  it('closes the completeness gap as the steps grow (Gauss–Legendre), and the estimate brackets the exact norm', async () => {
    const H = model.config.hiddenSize;
    const target = classifierTarget(model, 'logit');
    const gaps: number[] = [];
    for (const steps of [2, 4, 8]) gaps.push((await attributeScalar({ input, x, baseline, hiddenSize: H, target, outputs: 3, output: 2, steps, rule: 'gauss-legendre', batchSize: 16 })).gap);
    expect(gaps[1]).toBeLessThan(gaps[0]);
    expect(gaps[2]).toBeLessThan(gaps[1]);
    const riemann = (await attributeScalar({ input, x, baseline, hiddenSize: H, target, outputs: 3, output: 2, steps: 4, rule: 'riemann-left', batchSize: 16 })).gap;
    expect(gaps[1]).toBeLessThan(riemann);

    const embedding = embeddingTarget(model, 'mean', model.config.numLayers);
    const exact = await attributeNorm({ input, x, baseline, hiddenSize: H, target: embedding, outputs: H, method: { kind: 'exact' }, steps: 8, rule: 'gauss-legendre', batchSize: 64 });
    const estimate = await attributeNorm({ input, x, baseline, hiddenSize: H, target: embedding, outputs: H, method: { kind: 'estimate', projections: 16, seed: 1 }, steps: 8, rule: 'gauss-legendre', batchSize: 64 });
    let inside = 0;
    for (let t = 1; t < input.ids.length - 1; t++) if (estimate.low[t] <= exact.scores[t] && exact.scores[t] <= estimate.high[t]) inside++;
    expect(inside).toBeGreaterThanOrEqual(7); // of 8 tokens, at the 95% level
    expect(estimate.passes).toBeLessThan(exact.passes);
  });

  it("measures a pass's memory as fixed + perRow · rows: the measured peak of a 6-row pass within 10% of the line through 1 and 2 rows", async () => {
    const H = model.config.hiddenSize;
    const request = { input, x, baseline, hiddenSize: H, target: embeddingTarget(model, 'mean', model.config.numLayers), outputs: H };
    const { fixed, perRow } = await expectNoLeakedTensors(() => passMemory(request));
    expect(perRow).toBeGreaterThan(0);
    const projections = new Float32Array(H);
    projections[0] = 1;
    const before = tf.memory().numBytes;
    const info = await tf.profile(async () => {
      await integratedGradients({ ...request, projections, points: integrationPoints('gauss-legendre', 6), batchSize: 6 }, () => {});
    });
    const measured = info.peakBytes - before;
    expect(Math.abs(measured - (fixed + 6 * perRow)) / measured).toBeLessThan(0.1);
  });

  it('attributes topic membership (cosine to a centroid) with completeness', async () => {
    const H = model.config.hiddenSize;
    const centroid = Float32Array.from({ length: H }, (_, i) => Math.sin(i + 1));
    const r = await attributeScalar({ input, x, baseline, hiddenSize: H, target: membershipTarget(model, 'mean', model.config.numLayers, centroid), outputs: 1, output: 0, steps: 32, rule: 'gauss-legendre', batchSize: 32 });
    expect(Math.abs(r.atInput)).toBeLessThanOrEqual(1);
    expect(r.gap).toBeLessThan(1e-3);
  });
});

describe('on the default model', () => {
  it('closes the completeness gap as Gauss–Legendre steps grow, to within 1% at 50 (one embedding dimension, mean pooling)', async () => {
    const dir = join(__dirname, '../../../resources/models/shirabe-tiny-ja');
    const model = loadEncoder(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))))).model;
    // [CLS] and [SEP] around ids of the default vocabulary (a sentence's worth of tokens).
    const ids = Int32Array.from([2, 1017, 1042, 1007, 2099, 1023, 1064, 1500, 2400, 3]);
    const input: AttributionInput = { ids, tokenTypeIds: new Int32Array(ids.length), special: Array.from(ids, (_, t) => t === 0 || t === ids.length - 1) };
    const x = await wordEmbeddings(model, ids);
    const baseline = await baselineEmbeddings(model, input, 'pad', model.config.padTokenId);
    const H = model.config.hiddenSize;
    const gaps: number[] = [];
    for (const steps of [4, 8, 16, 50]) {
      const r = await attributeScalar({ input, x, baseline, hiddenSize: H, target: embeddingTarget(model, 'mean', model.config.numLayers), outputs: H, output: 5, steps, rule: 'gauss-legendre', batchSize: 64 });
      gaps.push(r.gap);
    }
    expect(gaps[1]).toBeLessThan(gaps[0]);
    expect(gaps[2]).toBeLessThan(gaps[1]);
    expect(gaps[3]).toBeLessThanOrEqual(0.01);
    model.dispose();
  }, 60_000);
});
