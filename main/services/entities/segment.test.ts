import { describe, expect, it } from 'vitest';
import { Morphology } from '../../corpus/morphology';
import { latinWords, segmentDocument, sentenceSpans } from './segment';

describe('document segmentation for extraction', () => {
  it('splits sentences at final punctuation and line breaks, keeping offsets into the text', () => {
    const text = 'Mr. John Smith works for IBM. He lives in the U.S. now.\nNew line here!  「東京だ。」と言った。';
    const spans = sentenceSpans(text);
    expect(spans.map(([a, b]) => text.slice(a, b))).toEqual(['Mr. John Smith works for IBM.', 'He lives in the U.S. now.', 'New line here!', '「東京だ。」', 'と言った。']);
  });

  it('cuts English words as CoNLL04 tokens are cut (abbreviations keep their dots, a final period is its own word)', () => {
    const s = latinWords("Mr. O'Neil visited the U.S. in 1994.", 10);
    expect(s.words).toEqual(['Mr.', "O'Neil", 'visited', 'the', 'U.S.', 'in', '1994', '.']);
    expect(s.offsets[0]).toEqual([10, 13]);
    expect(s.offsets[4]).toEqual([10 + 23, 10 + 27]);
  });

  it('cuts Japanese into MeCab morphemes with document offsets', async () => {
    const text = '山田太郎は東京に住む。\n彼は会社員だ。';
    const sentences = await segmentDocument(text, () => Morphology.load());
    expect(sentences).toHaveLength(2);
    expect(sentences[0].words).toContain('東京');
    for (const s of sentences) s.words.forEach((w, i) => expect(text.slice(...s.offsets[i])).toBe(w));
  });
});
