// The masked-LM head (BertLMPredictionHead, RobertaLMHead, DistilBERT's vocab_* layers):
// dense → activation → LayerNorm → the vocabulary projection (tied to the word embeddings unless
// the config unties it) + bias. Only the predicted rows go through the vocabulary-sized product.
import * as tf from '@tensorflow/tfjs-core';
import { activation } from '../blocks/activation';
import type { EncoderConfig } from '../config';
import { layerNorm, linear, type ParamSpec } from '../spec';
import type { Head, HeadOptions } from './head';

export const maskedLm: Head = {
  task: 'masked-lm',
  name: 'masked-lm',
  groups: ['mlm'],
  /** [M, V] at the flat positions given (all B·T when omitted). */
  logits(backbone, hidden, { positions }: HeadOptions = {}) {
    if (!backbone.has('mlm.bias')) throw new Error('this model has no masked-LM head');
    const [B, T, H] = hidden.shape;
    return tf.tidy(() => {
      const flat = tf.reshape(hidden, [B * T, H]) as tf.Tensor2D;
      const rows = positions ? (tf.gather(flat, tf.tensor1d(positions, 'int32')) as tf.Tensor2D) : flat; // [M, H]
      const h = backbone.layerNorm('mlm.norm', activation(backbone.linear('mlm.transform', rows), backbone.config.hiddenAct) as tf.Tensor2D);
      // With a tied decoder the word embeddings are transposed in the graph, so a gradient reaches them through both uses.
      return tf.add(tf.matMul(h, backbone.outputEmbedding()), backbone.weight('mlm.bias')) as tf.Tensor2D; // [M, V]
    });
  },
};

/** A masked-LM head's parameters under the architecture's names: transform dense, LayerNorm, decoder (optional: tied), bias. */
export function maskedLmParams(c: EncoderConfig, names: { transform: string; norm: string; decoder: string; bias: string[] }): ParamSpec[] {
  const H = c.hiddenSize;
  return [
    ...linear('mlm.transform', names.transform, H, H, 'mlm'),
    ...layerNorm('mlm.norm', names.norm, H, 'mlm'),
    { key: 'mlm.decoder.weight', names: [names.decoder], shape: [c.vocabSize, H], group: 'mlm', optional: true },
    { key: 'mlm.bias', names: names.bias, shape: [c.vocabSize], group: 'mlm' },
  ];
}
