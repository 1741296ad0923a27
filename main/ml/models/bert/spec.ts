// BERT (Devlin et al. 2019) as transformers' modeling_bert names its tensors.
import { act, checkShape, int, labels, num, rate, type EncoderConfig } from '../config';
import { maskedLm, maskedLmParams } from '../heads/maskedLm';
import { nextSentence } from '../heads/nextSentence';
import { poolerClassifier } from '../heads/sequenceClassification';
import { tokenClassifier, tokenClassifierParams } from '../heads/tokenClassification';
import { layerKey, layerLinearKey, type LayerLinear } from '../keys';
import { encoderArchitecture, layerNorm, linear, type EncoderArchitecture, type ParamSpec } from '../spec';

export function bertConfig(raw: Record<string, unknown>, modelType: EncoderConfig['modelType'] = 'bert'): EncoderConfig {
  const padTokenId = raw.pad_token_id === null || raw.pad_token_id === undefined ? 0 : int(raw, 'pad_token_id');
  return checkShape({
    modelType,
    vocabSize: int(raw, 'vocab_size'),
    hiddenSize: int(raw, 'hidden_size', 768),
    numLayers: int(raw, 'num_hidden_layers', 12),
    numHeads: int(raw, 'num_attention_heads', 12),
    intermediateSize: int(raw, 'intermediate_size', 3072),
    maxPositions: int(raw, 'max_position_embeddings', 512),
    typeVocabSize: int(raw, 'type_vocab_size', 2),
    layerNormEps: num(raw, 'layer_norm_eps', 1e-12),
    hiddenAct: act(raw, 'hidden_act', 'gelu'),
    padTokenId,
    positionOffset: 0,
    positionsSkipPadding: false,
    ...labels(raw),
    // transformers' BertConfig defaults; classifier_dropout null means hidden_dropout_prob.
    dropout: {
      hidden: rate(raw, 'hidden_dropout_prob', 0.1),
      attention: rate(raw, 'attention_probs_dropout_prob', 0.1),
      classifier: rate(raw, 'classifier_dropout', rate(raw, 'hidden_dropout_prob', 0.1)),
      attentionOutput: true,
    },
    initializerRange: num(raw, 'initializer_range', 0.02),
    raw,
  });
}

/** The BERT-style backbone (also RoBERTa's and XLM-R's, which keep BERT's tensor names), without the pooler. */
export function bertBackbone(c: EncoderConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const out: ParamSpec[] = [
    { key: 'embeddings.word', names: ['embeddings.word_embeddings.weight'], shape: [c.vocabSize, H], group: 'encoder' },
    { key: 'embeddings.position', names: ['embeddings.position_embeddings.weight'], shape: [c.maxPositions, H], group: 'encoder' },
    { key: 'embeddings.tokenType', names: ['embeddings.token_type_embeddings.weight'], shape: [c.typeVocabSize, H], group: 'encoder' },
    ...layerNorm('embeddings.norm', 'embeddings.LayerNorm', H, 'encoder'),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    const k = (linear: LayerLinear) => layerLinearKey(i, linear);
    out.push(
      ...linear(k('query'), `${p}.attention.self.query`, H, H, 'encoder'),
      ...linear(k('key'), `${p}.attention.self.key`, H, H, 'encoder'),
      ...linear(k('value'), `${p}.attention.self.value`, H, H, 'encoder'),
      ...linear(k('attentionOutput'), `${p}.attention.output.dense`, H, H, 'encoder'),
      ...layerNorm(layerKey(i, 'attentionNorm'), `${p}.attention.output.LayerNorm`, H, 'encoder'),
      ...linear(k('intermediate'), `${p}.intermediate.dense`, H, c.intermediateSize, 'encoder'),
      ...linear(k('output'), `${p}.output.dense`, c.intermediateSize, H, 'encoder'),
      ...layerNorm(layerKey(i, 'outputNorm'), `${p}.output.LayerNorm`, H, 'encoder'),
    );
  }
  return out;
}

/** BertPooler (also in RobertaModel, where the classifier does not read it). */
export const bertPooler = (c: EncoderConfig): ParamSpec[] => linear('pooler', 'pooler.dense', c.hiddenSize, c.hiddenSize, 'pooler');

export const bert: EncoderArchitecture = encoderArchitecture({
  modelType: 'bert',
  displayName: 'BERT',
  parseConfig: (raw) => bertConfig(raw),
  prefixes: ['bert.', ''],
  backbone: (c) => [...bertBackbone(c), ...bertPooler(c)],
  heads: {
    'masked-lm': {
      head: maskedLm,
      params: (c) => maskedLmParams(c, { transform: '!cls.predictions.transform.dense', norm: '!cls.predictions.transform.LayerNorm', decoder: '!cls.predictions.decoder.weight', bias: ['!cls.predictions.bias', '!cls.predictions.decoder.bias'] }),
    },
    'sequence-classification': { head: poolerClassifier, params: (c) => linear('classifier', '!classifier', c.hiddenSize, c.numLabels, 'classifier') },
    'next-sentence': { head: nextSentence, params: (c) => linear('nsp', '!cls.seq_relationship', c.hiddenSize, 2, 'nsp') },
    'token-classification': { head: tokenClassifier('classifier'), params: tokenClassifierParams },
  },
  loads: ['masked-lm', 'sequence-classification', 'next-sentence'],
  ignored: [
    { pattern: /(^|\.)embeddings\.position_ids$/, reason: 'position-id buffer' },
    { pattern: /^cls\.predictions\.decoder\.bias$/, reason: 'same as cls.predictions.bias' },
  ],
});
