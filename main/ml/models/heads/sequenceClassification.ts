// Sequence-classification heads over the first token, as transformers' …ForSequenceClassification
// build them (dropout only in training, at the config's classifier rate):
//   BERT:       classifier(dropout(pooler(h₀)))                         (BertForSequenceClassification)
//   RoBERTa:    out_proj(dropout(tanh(dense(dropout(h₀)))))              (RobertaClassificationHead)
//   DistilBERT: classifier(dropout(relu(pre_classifier(h₀))))           (DistilBertForSequenceClassification)
import * as tf from '@tensorflow/tfjs-core';
import { maybeDrop, type Dropout } from '../blocks/dropout';
import type { Backbone, Head, HeadOptions } from './head';
import { firstToken } from './pooler';

function need(backbone: Backbone): void {
  if (!backbone.has('classifier.weight')) throw new Error('this model has no classification head');
}

const dropAt = (backbone: Backbone, dropout?: Dropout) => (x: tf.Tensor2D) => maybeDrop(x, backbone.config.dropout.classifier, dropout);

export const poolerClassifier: Head = {
  task: 'sequence-classification',
  name: 'pooler',
  groups: ['pooler', 'classifier'],
  logits(backbone, hidden, { dropout }: HeadOptions = {}) {
    need(backbone);
    const dr = dropAt(backbone, dropout);
    return tf.tidy(() => backbone.linear('classifier', dr(tf.tanh(backbone.linear('pooler', firstToken(hidden), dropout))), dropout));
  },
};

export const robertaClassifier: Head = {
  task: 'sequence-classification',
  name: 'roberta',
  groups: ['classifier'],
  logits(backbone, hidden, { dropout }: HeadOptions = {}) {
    need(backbone);
    const dr = dropAt(backbone, dropout);
    return tf.tidy(() => backbone.linear('classifier', dr(tf.tanh(backbone.linear('classifier.dense', dr(firstToken(hidden)), dropout))), dropout));
  },
};

export const distilbertClassifier: Head = {
  task: 'sequence-classification',
  name: 'distilbert',
  groups: ['classifier'],
  logits(backbone, hidden, { dropout }: HeadOptions = {}) {
    need(backbone);
    const dr = dropAt(backbone, dropout);
    return tf.tidy(() => backbone.linear('classifier', dr(tf.relu(backbone.linear('classifier.dense', firstToken(hidden), dropout))), dropout));
  },
};
