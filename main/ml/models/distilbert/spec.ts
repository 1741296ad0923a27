// DistilBERT (Sanh et al. 2019): BERT's post-LayerNorm blocks under other names, no
// token-type embeddings, no pooler.
import { act, checkShape, int, labels, num, rate, type EncoderConfig } from '../config';
import { distilbertClassifier } from '../heads/sequenceClassification';
import { maskedLm, maskedLmParams } from '../heads/maskedLm';
import { tokenClassifier, tokenClassifierParams } from '../heads/tokenClassification';
import { layerKey, layerLinearKey, type LayerLinear } from '../keys';
import { encoderArchitecture, layerNorm, linear, type EncoderArchitecture, type ParamSpec } from '../spec';

function distilbertConfig(raw: Record<string, unknown>): EncoderConfig {
  return checkShape({
    modelType: 'distilbert',
    vocabSize: int(raw, 'vocab_size'),
    hiddenSize: int(raw, 'dim', 768),
    numLayers: int(raw, 'n_layers', 6),
    numHeads: int(raw, 'n_heads', 12),
    intermediateSize: int(raw, 'hidden_dim', 3072),
    maxPositions: int(raw, 'max_position_embeddings', 512),
    typeVocabSize: 0,
    // modeling_distilbert hard-codes LayerNorm(eps=1e-12).
    layerNormEps: 1e-12,
    hiddenAct: act(raw, 'activation', 'gelu'),
    padTokenId: raw.pad_token_id === null || raw.pad_token_id === undefined ? 0 : int(raw, 'pad_token_id'),
    positionOffset: 0,
    positionsSkipPadding: false,
    ...labels(raw),
    // transformers' DistilBertConfig defaults (seq_classif_dropout before the classifier).
    dropout: { hidden: rate(raw, 'dropout', 0.1), attention: rate(raw, 'attention_dropout', 0.1), classifier: rate(raw, 'seq_classif_dropout', 0.2), attentionOutput: false },
    initializerRange: num(raw, 'initializer_range', 0.02),
    raw,
  });
}

function distilbertBackbone(c: EncoderConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const out: ParamSpec[] = [
    { key: 'embeddings.word', names: ['embeddings.word_embeddings.weight'], shape: [c.vocabSize, H], group: 'encoder' },
    { key: 'embeddings.position', names: ['embeddings.position_embeddings.weight'], shape: [c.maxPositions, H], group: 'encoder' },
    ...layerNorm('embeddings.norm', 'embeddings.LayerNorm', H, 'encoder'),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `transformer.layer.${i}`;
    const k = (linear: LayerLinear) => layerLinearKey(i, linear);
    out.push(
      ...linear(k('query'), `${p}.attention.q_lin`, H, H, 'encoder'),
      ...linear(k('key'), `${p}.attention.k_lin`, H, H, 'encoder'),
      ...linear(k('value'), `${p}.attention.v_lin`, H, H, 'encoder'),
      ...linear(k('attentionOutput'), `${p}.attention.out_lin`, H, H, 'encoder'),
      ...layerNorm(layerKey(i, 'attentionNorm'), `${p}.sa_layer_norm`, H, 'encoder'),
      ...linear(k('intermediate'), `${p}.ffn.lin1`, H, c.intermediateSize, 'encoder'),
      ...linear(k('output'), `${p}.ffn.lin2`, c.intermediateSize, H, 'encoder'),
      ...layerNorm(layerKey(i, 'outputNorm'), `${p}.output_layer_norm`, H, 'encoder'),
    );
  }
  return out;
}

export const distilbert: EncoderArchitecture = encoderArchitecture({
  modelType: 'distilbert',
  displayName: 'DistilBERT',
  parseConfig: distilbertConfig,
  prefixes: ['distilbert.', ''],
  backbone: distilbertBackbone,
  heads: {
    'masked-lm': { head: maskedLm, params: (c) => maskedLmParams(c, { transform: '!vocab_transform', norm: '!vocab_layer_norm', decoder: '!vocab_projector.weight', bias: ['!vocab_projector.bias'] }) },
    'sequence-classification': {
      head: distilbertClassifier,
      params: (c) => [...linear('classifier.dense', '!pre_classifier', c.hiddenSize, c.hiddenSize, 'classifier'), ...linear('classifier', '!classifier', c.hiddenSize, c.numLabels, 'classifier')],
    },
    // DistilBertForTokenClassification drops at config.dropout, not seq_classif_dropout.
    'token-classification': { head: tokenClassifier('hidden'), params: tokenClassifierParams },
  },
  loads: ['masked-lm', 'sequence-classification'],
  ignored: [{ pattern: /(^|\.)embeddings\.position_ids$/, reason: 'position-id buffer' }],
});
