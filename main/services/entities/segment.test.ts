import { describe, expect, it } from 'vitest';
import { Morphology } from '../../corpus/morphology';
import { segmentDocument } from './segment';

describe('a document cut for extraction', () => {
  it('cuts Japanese into MeCab morphemes with document offsets', async () => {
    const text = '山田太郎は東京に住む。\n彼は会社員だ。';
    const sentences = await segmentDocument(text, () => Morphology.load());
    expect(sentences).toHaveLength(2);
    expect(sentences[0].words).toContain('東京');
    for (const s of sentences) s.words.forEach((w, i) => expect(text.slice(...s.offsets[i])).toBe(w));
  });

  it('cuts English text into sentences of CoNLL04-style words with document offsets', async () => {
    const text = 'Mr. Smith works for IBM Corp. in Boston.\nHe lives in the U.S. now.';
    const sentences = await segmentDocument(text, () => Morphology.load());
    expect(sentences.map((s) => s.words)).toEqual([
      ['Mr.', 'Smith', 'works', 'for', 'IBM', 'Corp.', 'in', 'Boston', '.'],
      ['He', 'lives', 'in', 'the', 'U.S.', 'now', '.'],
    ]);
    for (const s of sentences) s.words.forEach((w, i) => expect(text.slice(...s.offsets[i])).toBe(w));
  });
});
