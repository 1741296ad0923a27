// Token classification (…ForTokenClassification): classifier(dropout(h)) at every position,
// [B, T, numLabels]. BERT and RoBERTa drop at classifier_dropout (else hidden_dropout_prob);
// DistilBERT at its plain `dropout`.
import * as tf from '@tensorflow/tfjs-core';
import { maybeDrop } from '../blocks/dropout';
import type { EncoderConfig } from '../config';
import { linear, type ParamSpec } from '../spec';
import type { Head, HeadOptions } from './head';

export function tokenClassifier(rate: 'classifier' | 'hidden'): Head {
  return {
    task: 'token-classification',
    name: `token-${rate}`,
    groups: ['classifier'],
    logits(backbone, hidden, { dropout }: HeadOptions = {}) {
      if (!backbone.has('classifier.weight')) throw new Error('this model has no token-classification head');
      const [B, T, H] = hidden.shape;
      return tf.tidy(() => {
        const rows = maybeDrop(tf.reshape(hidden, [B * T, H]) as tf.Tensor2D, backbone.config.dropout[rate], dropout); // [B·T, H]
        const logits = backbone.linear('classifier', rows, dropout); // [B·T, K]
        return tf.reshape(logits, [B, T, logits.shape[1]]);
      });
    },
  };
}

/** The token classifier of …ForTokenClassification: one Linear H → numLabels named "classifier". */
export const tokenClassifierParams = (c: EncoderConfig): ParamSpec[] => linear('classifier', '!classifier', c.hiddenSize, c.numLabels, 'classifier');
