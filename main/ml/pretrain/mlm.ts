// The masked-LM loss as transformers' …ForMaskedLM computes it (cross-entropy over the predicted
// positions only, labels −100 ignored), for a training step and for held-out evaluation averaged
// over mask seeds (the CiNii BERT study's Table 3 compares models by it).
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mulberry32 } from '../../../common/random';
import type { Dropout, EncoderModel } from '../models/encoder';
import { readTidy } from '../read';
import { crossEntropy } from '../train/losses';
import { maskSequence, notPredicted, type MaskingOptions, type PackedSequence } from './masking';

/** Masked sequences padded into one encoder batch, with the flat positions and ids to predict. */
export interface MlmBatch {
  ids: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  batchSize: number;
  length: number;
  /** Flat indices b·T + t of the predicted tokens, and their original ids. */
  positions: Int32Array;
  targets: Int32Array;
  /** Next-sentence labels per sequence (sentence pairs only). */
  nextLabels?: Int32Array;
}

/** A masked sequence, with its token types and next-sentence label when it is a sentence pair. */
export interface MaskedInput {
  ids: Int32Array;
  labels: Int32Array;
  tokenTypes?: Int32Array;
  nextLabel?: 0 | 1;
}

/** Pads masked sequences (ids and labels) to the longest; padding is never predicted. */
export function mlmBatch(seqs: readonly MaskedInput[], padId: number): MlmBatch {
  const B = seqs.length;
  const T = Math.max(1, ...seqs.map((s) => s.ids.length));
  const ids = new Int32Array(B * T).fill(padId);
  const attentionMask = new Int32Array(B * T);
  const positions: number[] = [];
  const targets: number[] = [];
  const tokenTypeIds = new Int32Array(B * T);
  seqs.forEach((s, b) => {
    ids.set(s.ids, b * T);
    if (s.tokenTypes) tokenTypeIds.set(s.tokenTypes, b * T);
    attentionMask.fill(1, b * T, b * T + s.ids.length);
    s.labels.forEach((l, t) => {
      if (l !== notPredicted) {
        positions.push(b * T + t);
        targets.push(l);
      }
    });
  });
  const pairs = seqs.every((s) => s.nextLabel !== undefined);
  return {
    ids, attentionMask, tokenTypeIds, batchSize: B, length: T, positions: Int32Array.from(positions), targets: Int32Array.from(targets),
    ...(pairs ? { nextLabels: Int32Array.from(seqs, (s) => s.nextLabel!) } : {}),
  };
}

/** Summed −log p(target) over the predicted tokens, from the last hidden state. */
function predictedNll(model: EncoderModel, hidden: tf.Tensor3D, batch: MlmBatch): tf.Scalar {
  const logits = model.mlmLogitsAt(hidden, batch.positions); // [M, V]
  const [M, V] = logits.shape;
  // Row m's target as one flat index m·V + target: an axis-0 gather, whose gradient every backend has.
  const flat = Int32Array.from(batch.targets, (target, m) => m * V + target);
  return tf.neg(tf.sum(tf.gather(tf.reshape(tf.logSoftmax(logits), [M * V]), tf.tensor1d(flat, 'int32')))) as tf.Scalar;
}

/** Summed −log p(target) over the predicted tokens of a batch (a scalar; divide by the count for the mean). */
export function mlmLossSum(model: EncoderModel, batch: MlmBatch, dropout?: Dropout): tf.Scalar {
  return tf.tidy(() => predictedNll(model, model.forward(batch, { keep: [model.config.numLayers], dropout })[0], batch));
}

/** The mean masked-LM loss of a batch (transformers' loss for a …ForMaskedLM batch). */
export function mlmLoss(model: EncoderModel, batch: MlmBatch, dropout?: Dropout): tf.Scalar {
  if (batch.positions.length === 0) throw new Error('a masked-LM batch needs at least one predicted token');
  return tf.tidy(() => tf.div(mlmLossSum(model, batch, dropout), batch.positions.length) as tf.Scalar);
}

/**
 * BertForPreTraining's loss: the mean masked-LM loss plus the mean next-sentence cross-entropy,
 * from one forward pass. Without next-sentence labels it is the masked-LM loss alone.
 */
export function pretrainingLoss(model: EncoderModel, batch: MlmBatch, dropout?: Dropout): tf.Scalar {
  if (!batch.nextLabels) return mlmLoss(model, batch, dropout);
  if (batch.positions.length === 0) throw new Error('a masked-LM batch needs at least one predicted token');
  return tf.tidy(() => {
    const [hidden] = model.forward(batch, { keep: [model.config.numLayers], dropout });
    const mlm = tf.div(predictedNll(model, hidden, batch), batch.positions.length);
    return tf.add(mlm, crossEntropy(model.nextSentenceLogits(hidden), batch.nextLabels!)) as tf.Scalar;
  });
}

export interface HeldOutLoss {
  /** Mean over seeds of each seed's mean loss per predicted token. */
  loss: number;
  perSeed: number[];
  /** Predicted tokens per seed. */
  tokens: number[];
}

/**
 * Masked-LM loss on held-out sequences: for each seed, every sequence masked with its own stream
 * (deriveSeed(seed, index), so two models see the very same masks), the loss summed over all
 * predicted tokens and divided by their number (float64); then the mean over seeds.
 */
export async function heldOutMlmLoss(
  model: EncoderModel,
  seqs: readonly PackedSequence[],
  o: MaskingOptions & { seeds: readonly number[]; padId: number; batchSize: number; onBatch?: () => void },
): Promise<HeldOutLoss> {
  if (seqs.length === 0) throw new Error('no held-out sequences to evaluate');
  const perSeed: number[] = [];
  const tokens: number[] = [];
  for (const seed of o.seeds) {
    let sum = 0;
    let count = 0;
    for (let s = 0; s < seqs.length; s += o.batchSize) {
      const masked = seqs.slice(s, s + o.batchSize).map((q, k) => maskSequence(q, o, mulberry32(deriveSeed(seed, s + k))));
      const batch = mlmBatch(masked, o.padId);
      if (batch.positions.length === 0) continue;
      sum += (await readTidy(() => mlmLossSum(model, batch)))[0];
      count += batch.positions.length;
      o.onBatch?.();
    }
    if (count === 0) throw new Error('no held-out token was chosen for prediction');
    perSeed.push(sum / count);
    tokens.push(count);
  }
  return { loss: perSeed.reduce((a, b) => a + b, 0) / perSeed.length, perSeed, tokens };
}
