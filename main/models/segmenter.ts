// MeCab-IPADIC words for BertJapaneseTokenizer, from kuromoji (the morphology of the corpus layer).
import type { Morphology } from '../corpus/morphology';
import type { WordSegmenter } from '../ml/tokenizers/types';

export function kuromojiSegmenter(morphology: Morphology): WordSegmenter {
  return {
    segment: (text) =>
      morphology
        .analyse(text)
        .filter((m) => m.surface.trim() !== '')
        .map((m) => ({ surface: m.surface, start: m.start, end: m.end })),
  };
}
