// The parameter count the pretraining wizard shows, against BERT-base's published 110M (Devlin et
// al. 2019: 109,482,240 in BertModel, as transformers counts it) and the MLM head worked by hand.
import { describe, expect, it } from 'vitest';
import { bertParameterCount, bertShapeProblems } from './bertSize';

const base = { vocabSize: 30522, hiddenSize: 768, numLayers: 12, numHeads: 12, intermediateSize: 3072, maxPositions: 512, typeVocabSize: 2 };

describe('bertParameterCount', () => {
  it('is BertModel’s 109,482,240 (without pooler) plus the masked-LM head for bert-base-uncased', () => {
    // BertModel with pooler: 109,482,240; its pooler is 768·768 + 768 = 590,592.
    const backbone = 109_482_240 - 590_592;
    // BertForMaskedLM adds transform (768² + 768), LayerNorm (2·768) and the output bias (30,522); the decoder is tied.
    const mlmHead = 768 * 768 + 768 + 2 * 768 + 30_522;
    expect(bertParameterCount(base)).toBe(backbone + mlmHead);
    // BertForPreTraining adds the pooler and the next-sentence head (768·2 + 2).
    expect(bertParameterCount(base, true)).toBe(backbone + mlmHead + 590_592 + 768 * 2 + 2);
  });

  it('flags a hidden size the heads do not divide and non-positive sizes, and ignores other fields', () => {
    expect(bertShapeProblems({ ...base, numHeads: 5 })).toEqual([{ key: 'headsDivide', field: 'numHeads' }]);
    expect(bertShapeProblems({ ...base, numLayers: 0 })).toEqual([{ key: 'positive', field: 'numLayers' }]);
    expect(bertShapeProblems({ ...base, wordSplitter: 'mecab', lowercase: false } as typeof base)).toEqual([]);
  });
});
