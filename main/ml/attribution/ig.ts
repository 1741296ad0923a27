// Integrated Gradients over a model's word embeddings (Sundararajan et al. 2017, "Axiomatic
// Attribution for Deep Networks"; the layer form of Captum's LayerIntegratedGradients on the
// word-embedding layer): IG(x)_{t,j} = (x − x′)_{t,j} · ∫₀¹ ∂f(x′ + α(x − x′)) / ∂x_{t,j} dα, the
// integral by one of integration.ts's rules. Position and token-type embeddings are added as in any
// forward pass, so only the words move along the path.
//
// A target f has K outputs (a classifier's logits, a pooled sentence embedding); what is attributed
// is a projection u·f of them, and several projections share each forward and backward pass: a
// batch row is one (projection, step) pair, and the gradient of Σ_rows w_step · u·f(row) gives
// every row's weighted gradient at once (rows are independent sequences). A classifier's class is
// the projection e_c; the study's embedding norm needs all K unit projections (exact) or a few
// random ones (the estimate in norm.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderBatch, EncoderModel } from '../models/encoder';
import { profile, readTidy } from '../read';
import type { IntegrationPoints } from './integration';

/** One document as the model reads it, unpadded: T tokens. */
export interface AttributionInput {
  ids: Int32Array;
  tokenTypeIds: Int32Array;
  /** Added by the tokenizer ([CLS], [SEP]): the baseline keeps their embeddings. */
  special: readonly boolean[];
}

/**
 * The model's K outputs for m rows: `embeddings` [m·T, H] are the rows' word embeddings, `batch`
 * their ids, mask (all 1) and token types; returns [m, K]. It may run the model with
 * `forward(batch, { inputEmbeddings: embeddings })`.
 */
export type AttributionTarget = (embeddings: tf.Tensor2D, batch: EncoderBatch) => tf.Tensor2D;

export const attributionBaselines = ['pad', 'mask', 'unk', 'zero'] as const;
export type AttributionBaseline = (typeof attributionBaselines)[number];

/**
 * The baseline's word embeddings [T·H]: every token but the specials becomes [PAD]'s (or [MASK]'s,
 * or [UNK]'s) embedding, or zero; the specials keep their own (the study's [CLS] [PAD] … [PAD] [SEP]).
 */
export async function baselineEmbeddings(model: EncoderModel, input: AttributionInput, baseline: AttributionBaseline, tokenId: number | null): Promise<Float32Array> {
  const T = input.ids.length;
  if (baseline !== 'zero' && tokenId === null) throw new RangeError(`the tokenizer has no ${baseline} token`);
  const ids = Int32Array.from(input.ids, (id, t) => (input.special[t] || baseline === 'zero' ? id : tokenId!));
  const out = await wordEmbeddings(model, ids);
  if (baseline === 'zero') {
    const H = model.config.hiddenSize;
    for (let t = 0; t < T; t++) if (!input.special[t]) out.fill(0, t * H, (t + 1) * H);
  }
  return out;
}

/** The word embeddings of the ids, [T·H]. */
export function wordEmbeddings(model: EncoderModel, ids: Int32Array): Promise<Float32Array> {
  return readTidy(() => tf.gather(model.weight('embeddings.word'), tf.tensor1d(ids, 'int32')));
}

export interface IgRequest {
  input: AttributionInput;
  /** [T·H] the input's and the baseline's word embeddings. */
  x: Float32Array;
  baseline: Float32Array;
  hiddenSize: number;
  target: AttributionTarget;
  /** K, the target's outputs. */
  outputs: number;
  /** [P·K] row-major: the projections u_p of the outputs to attribute, one IG each. */
  projections: Float32Array;
  points: IntegrationPoints;
  /** Rows (one (projection, step) pair each) per forward and backward pass: memory grows with it. */
  batchSize: number;
  /** Between passes, e.g. to report progress and let a cancel in; `done` of `total` passes. */
  onPass?: (done: number, total: number) => Promise<void> | void;
}

export interface IgOutputs {
  /** [K] f(x) and f(x′). */
  atInput: Float32Array;
  atBaseline: Float32Array;
  /** Forward-and-backward passes run. */
  passes: number;
}

/** The target's outputs for the given word-embedding rows [m·T·H]: [m·K]. */
export function targetOutputs(request: Pick<IgRequest, 'input' | 'target' | 'hiddenSize'>, rows: Float32Array): Promise<Float32Array> {
  const { input, hiddenSize: H } = request;
  const T = input.ids.length;
  const m = rows.length / (T * H);
  return readTidy(() => request.target(tf.tensor2d(rows, [m * T, H]), rowBatch(input, m)));
}

function rowBatch(input: AttributionInput, m: number): EncoderBatch {
  const T = input.ids.length;
  const ids = new Int32Array(m * T);
  const types = new Int32Array(m * T);
  for (let r = 0; r < m; r++) {
    ids.set(input.ids, r * T);
    types.set(input.tokenTypeIds, r * T);
  }
  return { ids, attentionMask: new Int32Array(m * T).fill(1), tokenTypeIds: types, batchSize: m, length: T };
}

/**
 * IG of every projection: `consume(p, ig)` receives projection p's attributions [T·H] as soon as
 * all its steps are done (so at most a batch's worth of them is held, whatever P is).
 */
export async function integratedGradients(request: IgRequest, consume: (projection: number, ig: Float32Array) => void): Promise<IgOutputs> {
  const { input, x, baseline, hiddenSize: H, outputs: K, projections, points, target } = request;
  const T = input.ids.length;
  const TH = T * H;
  const P = projections.length / K;
  const S = points.alphas.length;
  if (x.length !== TH || baseline.length !== TH) throw new RangeError(`IG: embeddings of ${x.length} and ${baseline.length} values for ${T} tokens × ${H}`);
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`IG: ${projections.length} projection values for ${K} outputs`);
  const batchSize = Math.max(1, Math.floor(request.batchSize));
  const diff = new Float32Array(TH);
  for (let i = 0; i < TH; i++) diff[i] = x[i] - baseline[i];

  const ends = await targetOutputs(request, concat(x, baseline));
  const atInput = ends.slice(0, K);
  const atBaseline = ends.slice(K, 2 * K);

  // Row r of the whole job is (projection ⌊r / S⌋, step r mod S); a projection's gradient sum is
  // kept only while its rows are being run.
  const totalRows = P * S;
  const passes = Math.ceil(totalRows / batchSize);
  const sums = new Map<number, Float64Array>();
  const baselineTensor = tf.tensor2d(baseline, [T, H]);
  const diffTensor = tf.tensor2d(diff, [T, H]);
  try {
    for (let pass = 0; pass < passes; pass++) {
      const first = pass * batchSize;
      const m = Math.min(batchSize, totalRows - first);
      const alphas = new Float32Array(m);
      const rowWeights = new Float32Array(m * K); // [m, K] w_step · u_p
      for (let r = 0; r < m; r++) {
        const p = Math.floor((first + r) / S);
        const s = (first + r) % S;
        alphas[r] = points.alphas[s];
        for (let k = 0; k < K; k++) rowWeights[r * K + k] = points.weights[s] * projections[p * K + k];
      }
      const grads = await readTidy(() => {
        // [m, T, H] = x′ + α_r (x − x′), flattened to [m·T, H].
        const a = tf.reshape(tf.tensor1d(alphas), [m, 1, 1]);
        const rows = tf.reshape(tf.add(tf.expandDims(baselineTensor, 0), tf.mul(a, tf.expandDims(diffTensor, 0))), [m * T, H]) as tf.Tensor2D;
        const w = tf.tensor2d(rowWeights, [m, K]);
        const batch = rowBatch(input, m);
        return tf.grad((e) => tf.sum(tf.mul(target(e as tf.Tensor2D, batch), w)))(rows); // [m·T, H]
      });
      for (let r = 0; r < m; r++) {
        const p = Math.floor((first + r) / S);
        let sum = sums.get(p);
        if (!sum) sums.set(p, (sum = new Float64Array(TH)));
        const offset = r * TH;
        for (let i = 0; i < TH; i++) sum[i] += grads[offset + i];
        if ((first + r) % S === S - 1) {
          const ig = new Float32Array(TH);
          for (let i = 0; i < TH; i++) ig[i] = diff[i] * sum[i];
          sums.delete(p);
          consume(p, ig);
        }
      }
      await request.onPass?.(pass + 1, passes);
    }
  } finally {
    baselineTensor.dispose();
    diffTensor.dispose();
  }
  return { atInput, atBaseline, passes };
}

/**
 * What a forward-and-backward pass holds at its peak, measured (tf.profile's peakBytes over the
 * tensors held before): one pass of one row and one of two rows give `fixed + perRow · m`, so a
 * caller can choose the rows per pass that fit a memory budget on this backend and this model
 * rather than guess them from the shapes (activation counts vary with each op's saved tensors).
 */
export async function passMemory(request: Pick<IgRequest, 'input' | 'x' | 'baseline' | 'hiddenSize' | 'target' | 'outputs'>): Promise<{ fixed: number; perRow: number }> {
  const projections = new Float32Array(request.outputs);
  projections[0] = 1;
  const peak = async (m: number) => {
    const points = { alphas: Float64Array.from({ length: m }, (_, i) => (i + 1) / (m + 1)), weights: new Float64Array(m).fill(1 / m) };
    const before = tf.memory().numBytes;
    const info = await profile(async () => {
      await integratedGradients({ ...request, projections, points, batchSize: m }, () => {});
    });
    return Math.max(0, info.peakBytes - before);
  };
  const one = await peak(1);
  const two = await peak(2);
  const perRow = Math.max(two - one, 1);
  return { fixed: Math.max(0, one - perRow), perRow };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Σ_j of each token's row of [T·H] attributions: the signed score of each token. */
export function tokenSums(ig: Float32Array, T: number, H: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < H; j++) s += ig[t * H + j];
    out[t] = s;
  }
  return out;
}

/** Σ_j of each token's squared attributions, added into `into` [T]. */
export function addTokenSquares(into: Float64Array, ig: Float32Array, H: number): void {
  for (let t = 0; t < into.length; t++) {
    let s = 0;
    for (let j = 0; j < H; j++) s += ig[t * H + j] ** 2;
    into[t] += s;
  }
}

/**
 * The completeness gap |Σ attributions − (f(x) − f(x′))| relative to |f(x) − f(x′)| (Sundararajan
 * et al.'s completeness axiom, which the integral satisfies and its approximation misses by this much).
 */
export function completenessGap(sum: number, delta: number): number {
  return Math.abs(sum - delta) / Math.max(Math.abs(delta), 1e-12);
}
