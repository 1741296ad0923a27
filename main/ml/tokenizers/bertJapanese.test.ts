// BertJapaneseTokenizer. Two kinds of reference, neither this code:
//  - "basic" words: transformers 5.17.0's BertJapaneseTokenizer itself (run once on a tiny vocabulary;
//    tokens and ids pasted below). It gives no offsets (a slow tokenizer), so offsets are worked by hand.
//  - "mecab" words with kuromoji: main/modelFolders/bertJapaneseMecab.test.ts (main/ml may not import kuromoji).
import { describe, expect, it } from 'vitest';
import { BertJapaneseTokenizer, normalizeWithOffsets } from './bertJapanese';

const spans = (tok: BertJapaneseTokenizer, text: string) => tok.tokenize(text).map((t) => [t.text, t.start, t.end]);

// The vocabulary given to transformers: BertJapaneseTokenizer(vocab_file=…, word_tokenizer_type='basic', …).
const refVocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', 'x', '##b', 'keep', 'Keep', 'me', '##e', 'ca', '##f', 'caf', 'cafe', 'café', '##é', 'e', '東', '京', '平', '成', 'ガ', 'ス', '代', '1', '2', '3', '0', 'abc', 'hello', 'Hello', '##llo', 'he', '.', '!', 'ｶ', 'カ', 'ab', '##c', 'é'];
// [subword_tokenizer_type, do_lower_case, text, tk.tokenize(text), tk(text)['input_ids'] without [CLS]/[SEP]]
const refCases: ['character' | 'wordpiece', boolean, string, string[], number[]][] = [
  ['character', false, 'ｶﾞｽ代は１２０円', ['ガ', 'ス', '代', '[UNK]', '1', '2', '0', '[UNK]'], [24, 25, 26, 1, 27, 28, 30, 1]],
  ['character', false, '㍻ 東京', ['平', '成', '東', '京'], [22, 23, 20, 21]],
  ['character', false, 'Cafe\u0301 ＡＢＣ', ['[UNK]', 'a', '[UNK]', 'é', '[UNK]', '[UNK]', '[UNK]'], [1, 5, 1, 42, 1, 1, 1]],
  ['character', false, 'Hello [MASK] ab\u0301c', ['[UNK]', 'e', '[UNK]', '[UNK]', '[UNK]', '[MASK]', 'a', 'b', '[UNK]', '[UNK]'], [1, 19, 1, 1, 1, 4, 5, 6, 1, 1]],
  ['character', false, 'KEEP[SEP]me', ['[UNK]', '[UNK]', '[UNK]', '[UNK]', '[SEP]', '[UNK]', 'e'], [1, 1, 1, 1, 3, 1, 19]],
  ['wordpiece', false, 'ｶﾞｽ代は１２０円', ['[UNK]'], [1]],
  ['wordpiece', false, '㍻ 東京', ['[UNK]', '[UNK]'], [1, 1]],
  ['wordpiece', false, 'Cafe\u0301 ＡＢＣ', ['[UNK]', '[UNK]'], [1, 1]],
  ['wordpiece', false, 'Hello [MASK] ab\u0301c', ['Hello', '[MASK]', '[UNK]'], [33, 4, 1]],
  ['wordpiece', false, 'KEEP[SEP]me', ['[UNK]', '[SEP]', 'me'], [1, 3, 11]],
  ['character', true, 'ｶﾞｽ代は１２０円', ['ガ', 'ス', '代', '[UNK]', '1', '2', '0', '[UNK]'], [24, 25, 26, 1, 27, 28, 30, 1]],
  ['character', true, '㍻ 東京', ['平', '成', '東', '京'], [22, 23, 20, 21]],
  ['character', true, 'Cafe\u0301 ＡＢＣ', ['[UNK]', 'a', '[UNK]', 'e', 'a', 'b', '[UNK]'], [1, 5, 1, 19, 5, 6, 1]],
  ['character', true, 'Hello [MASK] ab\u0301c', ['[UNK]', 'e', '[UNK]', '[UNK]', '[UNK]', '[MASK]', 'a', 'b', '[UNK]'], [1, 19, 1, 1, 1, 4, 5, 6, 1]],
  ['character', true, 'KEEP[SEP]me', ['[UNK]', 'e', 'e', '[UNK]', '[SEP]', '[UNK]', 'e'], [1, 19, 19, 1, 3, 1, 19]],
  ['wordpiece', true, 'ｶﾞｽ代は１２０円', ['[UNK]'], [1]],
  ['wordpiece', true, '㍻ 東京', ['[UNK]', '[UNK]'], [1, 1]],
  ['wordpiece', true, 'Cafe\u0301 ＡＢＣ', ['cafe', '[UNK]'], [16, 1]],
  ['wordpiece', true, 'Hello [MASK] ab\u0301c', ['hello', '[MASK]', 'abc'], [32, 4, 31]],
  ['wordpiece', true, 'KEEP[SEP]me', ['keep', '[SEP]', 'me'], [9, 3, 11]],
];

describe('basic words, against transformers 5.17 BertJapaneseTokenizer', () => {
  const make = (sub: 'character' | 'wordpiece', lower: boolean) => new BertJapaneseTokenizer({ vocab: refVocab, wordTokenizer: 'basic', subwordTokenizer: sub, doLowerCase: lower });

  it.each(refCases)('%s, do_lower_case %s: %j', (sub, lower, text, tokens, ids) => {
    const e = make(sub, lower).encode(text);
    expect(e.tokens.slice(1, -1).map((t) => t.text)).toEqual(tokens);
    expect(e.ids).toEqual([2, ...ids, 3]);
  });

  it('maps character tokens back through NFKC (worked by hand)', () => {
    const tok = make('character', false);
    // ｶﾞ (2 units) → ガ; １２０ are full-width digits, one unit each; は and 円 are not in the vocabulary.
    expect(spans(tok, 'ｶﾞｽ代は１２０円')).toEqual([
      ['ガ', 0, 2],
      ['ス', 2, 3],
      ['代', 3, 4],
      ['[UNK]', 4, 5],
      ['1', 5, 6],
      ['2', 6, 7],
      ['0', 7, 8],
      ['[UNK]', 8, 9],
    ]);
    // ㍻ is one character that NFKC makes two: both come from it. The space is not a token.
    expect(spans(tok, '㍻ 東京')).toEqual([
      ['平', 0, 1],
      ['成', 0, 1],
      ['東', 2, 3],
      ['京', 3, 4],
    ]);
    // e + U+0301 becomes é by the basic tokenizer's NFC: one token for both code units.
    expect(spans(tok, 'Cafe\u0301').slice(3)).toEqual([['é', 3, 5]]);
  });

  it('maps WordPiece tokens back through lower-casing and accent stripping (worked by hand)', () => {
    const tok = make('wordpiece', true);
    // Cafe\u0301 → NFC café → lower café → strip accents cafe: one token over all five units; ＡＢＣ → ａｂｃ, no NFKC here → [UNK].
    expect(spans(tok, 'Cafe\u0301 ＡＢＣ')).toEqual([
      ['cafe', 0, 5],
      ['[UNK]', 6, 9],
    ]);
    // KEEP → keep; [SEP] typed in the text is found before lower-casing and stays itself.
    expect(spans(tok, 'KEEP[SEP]me')).toEqual([
      ['keep', 0, 4],
      ['[SEP]', 4, 9],
      ['me', 9, 11],
    ]);
  });
});

describe('whitespace words', () => {
  it('splits on whitespace only, without normalisation', () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '東京', '##大学', '学', '##ぶ'];
    const tok = new BertJapaneseTokenizer({ vocab, wordTokenizer: 'whitespace', subwordTokenizer: 'wordpiece', doLowerCase: false });
    expect(spans(tok, ' 東京大学  学ぶ')).toEqual([
      ['東京', 1, 3],
      ['##大学', 3, 5],
      ['学', 7, 8],
      ['##ぶ', 8, 9],
    ]);
  });
});

describe('normalizeWithOffsets', () => {
  it('maps every unit of the NFKC text to the original grapheme it came from', () => {
    // Worked by hand: ｶﾞ (2 units) → ガ; ㍻ → 平成 (2 units from 1); Ａ → A; e + U+0301 → é (NFKC composes).
    const n = normalizeWithOffsets('ｶﾞ㍻Ａe\u0301');
    expect(n.text).toBe('ガ平成Aé');
    expect(n.start.map((s, i) => [s, n.end[i]])).toEqual([
      [0, 2],
      [2, 3],
      [2, 3],
      [3, 4],
      [4, 6],
    ]);
  });
});

describe('a segmenter is required for MeCab words', () => {
  it('throws without one', () => {
    expect(() => new BertJapaneseTokenizer({ vocab: refVocab, wordTokenizer: 'mecab', subwordTokenizer: 'wordpiece', doLowerCase: false })).toThrow(/segmenter/);
  });
});
