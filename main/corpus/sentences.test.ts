import { describe, expect, it } from 'vitest';
import { latinWords, sentenceRanges } from './sentences';

describe('sentences and words of running text', () => {
  it('splits sentences at final punctuation and line breaks, keeping offsets into the text', () => {
    const text = 'Mr. John Smith works for IBM. He lives in the U.S. now.\nNew line here!  「東京だ。」と言った。';
    const spans = sentenceRanges(text);
    expect(spans.map(([a, b]) => text.slice(a, b))).toEqual(['Mr. John Smith works for IBM.', 'He lives in the U.S. now.', 'New line here!', '「東京だ。」', 'と言った。']);
  });

  it('cuts English words as CoNLL04 tokens are cut (abbreviations keep their dots, a final period is its own word)', () => {
    const text = "Mr. O'Neil visited the U.S. in 1994.";
    const words = latinWords(text);
    expect(words.map((w) => text.slice(w.start, w.end))).toEqual(['Mr.', "O'Neil", 'visited', 'the', 'U.S.', 'in', '1994', '.']);
    expect(words[4]).toEqual({ start: 23, end: 27 });
  });

});
