// RoBERTa (Liu et al. 2019) and XLM-RoBERTa (Conneau et al. 2020): BERT's tensors under
// "roberta.", positions numbered from padding_idx + 1 over non-padding tokens only.
import { bertBackbone, bertConfig } from '../bert/spec';
import type { EncoderConfig } from '../config';
import { layerNorm, linear, type Architecture } from '../spec';

function robertaConfig(raw: Record<string, unknown>, modelType: EncoderConfig['modelType']): EncoderConfig {
  // transformers' RobertaConfig defaults: pad 1, type_vocab_size 1, layer_norm_eps 1e-12 (checkpoints say 1e-5).
  const c = bertConfig({ pad_token_id: 1, type_vocab_size: 1, ...raw }, modelType);
  return { ...c, raw, positionOffset: c.padTokenId + 1, positionsSkipPadding: true };
}

function robertaFamily(modelType: 'roberta' | 'xlm-roberta', displayName: string): Architecture {
  return {
    modelType,
    displayName,
    parseConfig: (raw) => robertaConfig(raw, modelType),
    prefixes: ['roberta.', ''],
    classifier: 'roberta',
    params(c) {
      const H = c.hiddenSize;
      return [
        ...bertBackbone(c),
        ...linear('pooler', 'pooler.dense', H, H, 'pooler'),
        ...linear('mlm.transform', '!lm_head.dense', H, H, 'mlm'),
        ...layerNorm('mlm.norm', '!lm_head.layer_norm', H, 'mlm'),
        { key: 'mlm.decoder.weight', names: ['!lm_head.decoder.weight'], shape: [c.vocabSize, H], group: 'mlm', optional: true },
        { key: 'mlm.bias', names: ['!lm_head.bias', '!lm_head.decoder.bias'], shape: [c.vocabSize], group: 'mlm' },
        ...linear('classifier.dense', '!classifier.dense', H, H, 'classifier'),
        ...linear('classifier', '!classifier.out_proj', H, c.numLabels, 'classifier'),
      ];
    },
    ignored: [
      { pattern: /(^|\.)embeddings\.position_ids$/, reason: 'position-id buffer' },
      { pattern: /^lm_head\.decoder\.bias$/, reason: 'same as lm_head.bias' },
    ],
  };
}

export const roberta = robertaFamily('roberta', 'RoBERTa');
export const xlmRoberta = robertaFamily('xlm-roberta', 'XLM-RoBERTa');
