// A document's text as the extractor reads it: sentences, and in each the words with their
// [start, end) offsets in the document (UTF-16 units), cut as annotated text is cut
// (main/corpus/sentences.ts): MeCab (IPADIC) morphemes for Japanese, as Japanese BERT models cut
// words, and otherwise CoNLL04-style tokens.
import type { Morphology } from '../../corpus/morphology';
import { cjk, latinWords, sentenceRanges } from '../../corpus/sentences';

export interface SegmentedSentence {
  words: string[];
  offsets: [number, number][];
}

export async function segmentDocument(text: string, morphology: () => Promise<Morphology>): Promise<SegmentedSentence[]> {
  const m = cjk.test(text) ? await morphology() : null;
  return sentenceRanges(text)
    .map(([a, b]): SegmentedSentence => {
      const piece = text.slice(a, b);
      const words = m ? m.analyse(piece).filter((x) => x.surface.trim() !== '') : latinWords(piece);
      return { words: words.map((w) => piece.slice(w.start, w.end)), offsets: words.map((w): [number, number] => [a + w.start, a + w.end]) };
    })
    .filter((s) => s.words.length > 0);
}
