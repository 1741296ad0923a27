// What a researcher asks of Integrated Gradients, on top of ig.ts: a scalar's attribution per token
// (a classifier's logit or probability, a document's cosine to its topic's centroid), signed; and a
// sentence embedding's, as the implicit-weighting study measures it — a token's contribution is the
// Frobenius norm of its IG matrix over input dimensions j and output dimensions k,
// c(w_t, s) = sqrt(Σ_j Σ_k IG(w_t[j], s[k])²) — exactly (one IG per output dimension) or estimated
// from random ±1 projections of the outputs (Hutchinson 1990): for v with E[v vᵀ] = I,
// E[Σ_j (Σ_k v_k IG_k[t, j])²] = c_t², and IG is linear in the target, so each projection costs
// one IG; the interval follows from the variance bound of such a quadratic form.
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../../common/random';
import type { Pooling } from '../../../common/contract';
import { pool } from '../embed';
import type { EncoderModel } from '../models/encoder';
import { addTokenSquares, completenessGap, integratedGradients, tokenSums, type AttributionInput, type AttributionTarget } from './ig';
import { integrationPoints, type IntegrationRule } from './integration';

export interface IgSettings {
  steps: number;
  rule: IntegrationRule;
  /** Rows per forward and backward pass. */
  batchSize: number;
}

interface Common extends IgSettings {
  input: AttributionInput;
  /** [T·H] word embeddings of the input and of the baseline (ig.ts's baselineEmbeddings). */
  x: Float32Array;
  baseline: Float32Array;
  hiddenSize: number;
  onPass?: (done: number, total: number) => Promise<void> | void;
}

export interface ScalarAttribution {
  /** [T] each token's attribution Σ_j IG[t, j] (signed). */
  scores: Float64Array;
  /** f(x), f(x′) of the attributed scalar. */
  atInput: number;
  atBaseline: number;
  /** Σ scores. */
  total: number;
  /** |Σ scores − (f(x) − f(x′))| / |f(x) − f(x′)|. */
  gap: number;
  passes: number;
}

/** IG of one output of a target (`output` of its K) or of a projection of them. */
export async function attributeScalar(request: Common & { target: AttributionTarget; outputs: number; output: number }): Promise<ScalarAttribution> {
  const { outputs: K, output } = request;
  if (!Number.isInteger(output) || output < 0 || output >= K) throw new RangeError(`output ${output} of ${K}`);
  const projections = new Float32Array(K);
  projections[output] = 1;
  const T = request.input.ids.length;
  let scores = new Float64Array(T);
  const result = await integratedGradients({ ...request, projections, points: integrationPoints(request.rule, request.steps) }, (_p, ig) => {
    scores = tokenSums(ig, T, request.hiddenSize);
  });
  const total = scores.reduce((a, b) => a + b, 0);
  const atInput = result.atInput[output];
  const atBaseline = result.atBaseline[output];
  return { scores, atInput, atBaseline, total, gap: completenessGap(total, atInput - atBaseline), passes: result.passes };
}

export type NormMethod = { kind: 'exact' } | { kind: 'estimate'; projections: number; seed: number };

export interface NormAttribution {
  /** [T] each token's contribution c_t = sqrt(Σ_j Σ_k IG_k[t, j]²) (estimated for 'estimate'). */
  scores: Float64Array;
  /** [T] the estimate's 95% interval for c_t (equal to scores when exact; high is Infinity below 8 projections). */
  low: Float64Array;
  high: Float64Array;
  /** ‖Σ_t IG_k[t, ·] − (f(x) − f(x′))_k‖ / ‖f(x) − f(x′)‖ over the projections computed. */
  gap: number;
  /** ‖f(x) − f(x′)‖. */
  change: number;
  projections: number;
  passes: number;
}

/** The study's contribution of each token to a K-dimensional output (a sentence embedding). */
export async function attributeNorm(request: Common & { target: AttributionTarget; outputs: number; method: NormMethod }): Promise<NormAttribution> {
  const { outputs: K, method, hiddenSize: H } = request;
  const T = request.input.ids.length;
  const P = method.kind === 'exact' ? K : method.projections;
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`${P} projections`);
  const projections = new Float32Array(P * K);
  if (method.kind === 'exact') for (let k = 0; k < K; k++) projections[k * K + k] = 1;
  else {
    const rand = mulberry32(method.seed);
    for (let i = 0; i < P * K; i++) projections[i] = rand() < 0.5 ? -1 : 1;
  }
  const squares = new Float64Array(T); // Σ over projections of Σ_j IG²
  const sums = new Float64Array(P); // Σ_t Σ_j IG_p
  const result = await integratedGradients({ ...request, projections, points: integrationPoints(request.rule, request.steps) }, (p, ig) => {
    addTokenSquares(squares, ig, H);
    sums[p] = tokenSums(ig, T, H).reduce((a, b) => a + b, 0);
  });
  // Completeness per projection: Σ IG_p against u_p · (f(x) − f(x′)).
  let gapSquares = 0;
  let deltaSquares = 0;
  for (let p = 0; p < P; p++) {
    let delta = 0;
    for (let k = 0; k < K; k++) delta += projections[p * K + k] * (result.atInput[k] - result.atBaseline[k]);
    gapSquares += (sums[p] - delta) ** 2;
    deltaSquares += delta ** 2;
  }
  let change = 0;
  for (let k = 0; k < K; k++) change += (result.atInput[k] - result.atBaseline[k]) ** 2;
  const scores = new Float64Array(T);
  const low = new Float64Array(T);
  const high = new Float64Array(T);
  // The estimate's interval: a sample Z of c_t² has Var Z ≤ 2‖A‖²_F ≤ 2 (tr A)² = 2 c_t⁴ (A = G_tᵀG_t
  // is positive semi-definite; Rademacher and Gaussian projections alike), so the mean of P samples
  // is within z·sqrt(2/P)·c_t² of c_t² at the normal approximation's 95% (z = 1.96). The sample
  // variance is not used: Z is skewed, and on few samples it understates the spread.
  const r = method.kind === 'exact' ? 0 : 1.96 * Math.sqrt(2 / P);
  for (let t = 0; t < T; t++) {
    const mean = squares[t] / (method.kind === 'exact' ? 1 : P);
    scores[t] = Math.sqrt(mean);
    low[t] = Math.sqrt(mean / (1 + r));
    high[t] = r < 1 ? Math.sqrt(mean / (1 - r)) : Infinity;
  }
  return { scores, low, high, gap: Math.sqrt(gapSquares) / Math.max(Math.sqrt(deltaSquares), 1e-12), change: Math.sqrt(change), projections: P, passes: result.passes };
}

// ---------------------------------------------------------------- targets

/** A sequence classifier's logits, or its softmax probabilities (sigmoid for multi-label), [m, C]. */
export function classifierTarget(model: EncoderModel, output: 'logit' | 'probability', multiLabel = false): AttributionTarget {
  return (embeddings, batch) => {
    const [hidden] = model.forward(batch, { keep: [model.config.numLayers], inputEmbeddings: embeddings });
    const logits = model.classify(hidden);
    if (output === 'logit') return logits;
    return (multiLabel ? tf.sigmoid(logits) : tf.softmax(logits)) as tf.Tensor2D;
  };
}

/** The pooled hidden state of a layer (0 = the embeddings output … L), [m, H]: a sentence embedding as the Embeddings page makes it. */
export function embeddingTarget(model: EncoderModel, pooling: Pooling, layer: number): AttributionTarget {
  return (embeddings, batch) => {
    const [hidden] = model.forward(batch, { keep: [layer], inputEmbeddings: embeddings });
    return pool(hidden, batch.attentionMask, pooling);
  };
}

/** The cosine of the sentence embedding to a topic's centroid, [m, 1]: what places a document in its topic. */
export function membershipTarget(model: EncoderModel, pooling: Pooling, layer: number, centroid: Float32Array): AttributionTarget {
  const embed = embeddingTarget(model, pooling, layer);
  return (embeddings, batch) => {
    const s = embed(embeddings, batch); // [m, H]
    const c = tf.tensor2d(centroid, [centroid.length, 1]);
    const dots = tf.matMul(s, tf.div(c, tf.norm(c))); // [m, 1]
    return tf.div(dots, tf.maximum(tf.norm(s, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
  };
}
