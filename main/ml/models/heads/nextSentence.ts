// Next-sentence prediction (BertForPreTraining's cls.seq_relationship over the pooler):
// logits [B, 2], 0 = B follows A, 1 = B is random.
import * as tf from '@tensorflow/tfjs-core';
import type { Head } from './head';
import { pooled } from './pooler';

export const nextSentence: Head = {
  task: 'next-sentence',
  name: 'next-sentence',
  groups: ['pooler', 'nsp'],
  logits(backbone, hidden) {
    if (!backbone.has('nsp.weight')) throw new Error('this model has no next-sentence-prediction head');
    return tf.tidy(() => backbone.linear('nsp', pooled(backbone, hidden)));
  },
};
