import { describe, expect, it } from 'vitest';
import type { TokenSpan } from '../tokenizers/types';
import { spanScores, wordScores } from './words';

const span = (text: string, start: number, end: number, extra: Partial<TokenSpan> = {}): TokenSpan => ({ id: 0, text, start, end, special: false, ...extra });
const cls = span('[CLS]', 0, 0, { special: true });
const sep = (at: number) => span('[SEP]', at, at, { special: true });

describe('wordScores', () => {
  it("joins WordPiece's ## pieces: signed scores add, norms combine as sqrt(Σ c²)", () => {
    // "playing well": play ##ing well
    const tokens = [cls, span('play', 0, 4), span('##ing', 4, 7), span('well', 8, 12), sep(12)];
    const scores = [9, 3, 4, -1, 9];
    expect(wordScores(tokens, scores, 'sum').map((w) => [w.start, w.end, w.score, w.tokens])).toEqual([
      [0, 7, 7, [1, 2]],
      [8, 12, -1, [3]],
    ]);
    expect(wordScores(tokens, scores, 'l2').map((w) => w.score)).toEqual([5, 1]);
  });

  it("follows the tokenizer's own words (MeCab for BertJapanese) and SentencePiece's ▁", () => {
    // 東京都 (one MeCab word in two pieces) に
    const ja = [cls, span('東京', 0, 2, { word: 0 }), span('##都', 2, 3, { word: 0 }), span('に', 3, 4, { word: 1 }), sep(4)];
    expect(wordScores(ja, [0, 1, 2, 3, 0], 'sum').map((w) => [w.start, w.end, w.score])).toEqual([
      [0, 3, 3],
      [3, 4, 3],
    ]);
    const sp = [span('<s>', 0, 0, { special: true }), span('▁To', 0, 2), span('kyo', 2, 5), span('▁is', 6, 8), span('</s>', 8, 8, { special: true })];
    expect(wordScores(sp, [0, 1, 1, 5, 0], 'sum').map((w) => [w.start, w.end, w.score])).toEqual([
      [0, 5, 2],
      [6, 8, 5],
    ]);
    // WordPiece's CJK characters (multilingual BERT through tokenizer.json): each its own word.
    const chars = [cls, span('東', 0, 1), span('京', 1, 2), sep(2)];
    expect(wordScores(chars, [0, 1, 2, 0], 'sum').map((w) => w.score)).toEqual([1, 2]);
  });
});

describe('spanScores', () => {
  it('shares a token that straddles two morphemes by the characters each holds', () => {
    // Tokens 東京都 (0–3) and に (3–4); morphemes 東京 (0–2), 都 (2–3), に (3–4).
    const tokens = [cls, span('東京都', 0, 3), span('に', 3, 4), sep(4)];
    const morphemes = [
      { start: 0, end: 2 },
      { start: 2, end: 3 },
      { start: 3, end: 4 },
    ];
    expect(spanScores(tokens, [0, 6, -2, 0], morphemes, 'sum').map((m) => m.score)).toEqual([4, 2, -2]);
    // Norms: the squared score shared, 9 · 2/3 = 6 and 9 · 1/3 = 3; the shares' squares add back to 9.
    const l2 = spanScores(tokens, [0, 3, 2, 0], morphemes, 'l2').map((m) => m.score);
    expect(l2[0]).toBeCloseTo(Math.sqrt(6), 12);
    expect(l2[1]).toBeCloseTo(Math.sqrt(3), 12);
    expect(l2[2]).toBe(2);
  });
});
