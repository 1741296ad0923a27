// RoBERTa (Liu et al. 2019) and XLM-RoBERTa (Conneau et al. 2020): BERT's tensors under
// "roberta.", positions numbered from padding_idx + 1 over non-padding tokens only.
import { bertBackbone, bertConfig, bertPooler } from '../bert/spec';
import type { EncoderConfig } from '../config';
import { maskedLm, maskedLmParams } from '../heads/maskedLm';
import { robertaClassifier } from '../heads/sequenceClassification';
import { tokenClassifier, tokenClassifierParams } from '../heads/tokenClassification';
import { encoderArchitecture, linear, type EncoderArchitecture } from '../spec';

function robertaConfig(raw: Record<string, unknown>, modelType: EncoderConfig['modelType']): EncoderConfig {
  // transformers' RobertaConfig defaults: pad 1, type_vocab_size 1, layer_norm_eps 1e-12 (checkpoints say 1e-5).
  const c = bertConfig({ pad_token_id: 1, type_vocab_size: 1, ...raw }, modelType);
  return { ...c, raw, positionOffset: c.padTokenId + 1, positionsSkipPadding: true };
}

function robertaFamily(modelType: 'roberta' | 'xlm-roberta', displayName: string): EncoderArchitecture {
  return encoderArchitecture({
    modelType,
    displayName,
    parseConfig: (raw) => robertaConfig(raw, modelType),
    prefixes: ['roberta.', ''],
    backbone: (c) => [...bertBackbone(c), ...bertPooler(c)],
    heads: {
      'masked-lm': { head: maskedLm, params: (c) => maskedLmParams(c, { transform: '!lm_head.dense', norm: '!lm_head.layer_norm', decoder: '!lm_head.decoder.weight', bias: ['!lm_head.bias', '!lm_head.decoder.bias'] }) },
      'sequence-classification': {
        head: robertaClassifier,
        params: (c) => [...linear('classifier.dense', '!classifier.dense', c.hiddenSize, c.hiddenSize, 'classifier'), ...linear('classifier', '!classifier.out_proj', c.hiddenSize, c.numLabels, 'classifier')],
      },
      'token-classification': { head: tokenClassifier('classifier'), params: tokenClassifierParams },
    },
    loads: ['masked-lm', 'sequence-classification'],
    ignored: [
      { pattern: /(^|\.)embeddings\.position_ids$/, reason: 'position-id buffer' },
      { pattern: /^lm_head\.decoder\.bias$/, reason: 'same as lm_head.bias' },
    ],
  });
}

export const roberta = robertaFamily('roberta', 'RoBERTa');
export const xlmRoberta = robertaFamily('xlm-roberta', 'XLM-RoBERTa');
