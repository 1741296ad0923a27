// Unsupervised SimCSE (Gao, Yao and Chen 2021, "SimCSE: Simple Contrastive Learning of Sentence
// Embeddings"; after princeton-nlp/SimCSE's models.py, cl_forward): each sentence of a batch goes
// through the encoder twice with different dropout masks; its [CLS] vector through a training-time
// MLP (dense + tanh, dropped at inference as the paper's "cls_before_pooler") is the anchor and the
// other pass's the positive; the other sentences' second passes are the in-batch negatives. The loss
// is the cross-entropy of each row of cos(h_i, h⁺_j) / τ (τ = 0.05) against its diagonal.
import * as tf from '@tensorflow/tfjs-core';
import type { Dropout, EncoderBatch, EncoderModel } from '../models/encoder';
import { crossEntropy } from '../train/losses';

/** The training-time MLP over [CLS]: weight [H, H] (ours: in × out), bias [H]. */
export interface SimCseHead {
  weight: tf.Variable;
  bias: tf.Variable;
}

/** A new MLP, as BERT initialises a Linear: weights N(0, initializer_range²), bias 0. */
export function newSimCseHead(model: EncoderModel, normal: () => number): SimCseHead {
  const H = model.config.hiddenSize;
  const data = Float32Array.from({ length: H * H }, () => normal() * model.config.initializerRange);
  // The initial values are tidied away; the variables (never tracked by tidy) stay.
  return tf.tidy(() => ({ weight: tf.variable(tf.tensor2d(data, [H, H]), true), bias: tf.variable(tf.zeros([H]), true) }));
}

/** [B, H] the MLP's output over each sequence's [CLS] of one pass. */
export function simcseEmbeddings(model: EncoderModel, head: SimCseHead, batch: EncoderBatch, dropout?: Dropout): tf.Tensor2D {
  return tf.tidy(() => {
    const [hidden] = model.forward(batch, { keep: [model.config.numLayers], dropout }); // [B, T, H]
    const [B, , H] = hidden.shape;
    const cls = tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]) as tf.Tensor2D;
    return tf.tanh(tf.add(tf.matMul(cls, head.weight), head.bias)) as tf.Tensor2D;
  });
}

/** cos(a_i, b_j) for every pair: [B, B]. */
export function cosineMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const unit = (x: tf.Tensor2D) => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D;
    return tf.matMul(unit(a), unit(b), false, true);
  });
}

/**
 * The contrastive loss of a batch: two passes (different dropout masks when training; identical
 * without dropout), cosine similarities over τ, cross-entropy against the diagonal.
 */
export function simcseLoss(model: EncoderModel, head: SimCseHead, batch: EncoderBatch, temperature: number, dropout?: Dropout): tf.Scalar {
  return tf.tidy(() => {
    const anchors = simcseEmbeddings(model, head, batch, dropout);
    const positives = simcseEmbeddings(model, head, batch, dropout);
    const logits = tf.div(cosineMatrix(anchors, positives), temperature) as tf.Tensor2D; // [B, B]
    return crossEntropy(logits, Int32Array.from({ length: batch.batchSize }, (_, i) => i));
  });
}
