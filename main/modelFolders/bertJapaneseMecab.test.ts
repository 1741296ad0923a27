// BertJapaneseTokenizer with MeCab words from kuromoji (IPADIC), the combination Shirabe runs for
// cl-tohoku/bert-base-japanese*. fugashi is not installed anywhere here, so there is no Python
// reference: each test first checks kuromoji's segmentation against what kuromoji printed when run
// once, then the WordPiece / character result is worked out by hand, step by step, in the comments.
// (Beside the adapter because main/ml may not import kuromoji.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Morphology } from '../corpus/morphology';
import { BertJapaneseTokenizer, normalizeWithOffsets, type BertJapaneseOptions } from '../ml/tokenizers/bertJapanese';
import type { WordSegmenter } from '../ml/tokenizers/types';
import { kuromojiSegmenter } from './segmenter';

const spans = (tok: BertJapaneseTokenizer, text: string) => tok.tokenize(text).map((t) => [t.text, t.start, t.end]);

// A small vocabulary for the MeCab examples, written for these tests.
const vocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', // 0–4
  '東京', '##大学', 'で', '自然', '言語', '処理', 'を', '学', '##ぶ', '。', // 5–14
  'ガス', '代', 'は', '1', '##2', '##0', '円', // 15–21
  '平成', '3', '##1', '年', 'に', '改', '##元', // 22–28
  'bert', '調べる', // 29–30
  'ガ', 'ス', '2', '0', '平', '成', '元', // 31–37 (single characters for the character tokenizer)
];
const id = (t: string) => vocab.indexOf(t);

describe('MeCab (kuromoji IPADIC) words', () => {
  let segmenter: WordSegmenter;
  beforeAll(async () => {
    segmenter = kuromojiSegmenter(await Morphology.load());
  });
  const make = (o: Partial<BertJapaneseOptions> = {}) => new BertJapaneseTokenizer({ vocab, wordTokenizer: 'mecab', subwordTokenizer: 'wordpiece', doLowerCase: false, segmenter, ...o });
  const words = (text: string) => segmenter.segment(text).map((w) => w.surface);

  it('WordPiece over MeCab words', () => {
    // 1. kuromoji: 東京大学 | で | 自然 | 言語 | 処理 | を | 学ぶ | 。
    expect(words('東京大学で自然言語処理を学ぶ。')).toEqual(['東京大学', 'で', '自然', '言語', '処理', 'を', '学ぶ', '。']);
    // 2. WordPiece: 東京大学 is not in the vocabulary; the longest prefix that is, 東京, then ##大学.
    //    学ぶ → 学 + ##ぶ. The other words are in the vocabulary whole.
    const e = make().encode('東京大学で自然言語処理を学ぶ。');
    expect(e.tokens.map((t) => [t.text, t.start, t.end])).toEqual([
      ['[CLS]', 0, 0],
      ['東京', 0, 2],
      ['##大学', 2, 4],
      ['で', 4, 5],
      ['自然', 5, 7],
      ['言語', 7, 9],
      ['処理', 9, 11],
      ['を', 11, 12],
      ['学', 12, 13],
      ['##ぶ', 13, 14],
      ['。', 14, 15],
      ['[SEP]', 15, 15],
    ]);
    expect(e.ids).toEqual([2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 3]);
  });

  it('NFKC before segmentation: half-width katakana and full-width digits', () => {
    // 1. MecabTokenizer normalize_text: NFKC('ｶﾞｽ代は１２０円') = 'ガス代は120円' (ｶﾞ, two units, becomes ガ).
    const norm = normalizeWithOffsets('ｶﾞｽ代は１２０円');
    expect(norm.text).toBe('ガス代は120円');
    // 2. kuromoji on the normalised text: ガス | 代 | は | 120 | 円
    expect(words(norm.text)).toEqual(['ガス', '代', 'は', '120', '円']);
    // 3. WordPiece: 120 → 1 ##2 ##0; each maps back to its full-width digit; ガス covers ｶﾞｽ (units 0–3).
    expect(spans(make(), 'ｶﾞｽ代は１２０円')).toEqual([
      ['ガス', 0, 3],
      ['代', 3, 4],
      ['は', 4, 5],
      ['1', 5, 6],
      ['##2', 6, 7],
      ['##0', 7, 8],
      ['円', 8, 9],
    ]);
    // 4. Characters instead (CharacterTokenizer, NFKC again: no change): ガ covers ｶﾞ; 代 is in the vocabulary, 1 too.
    expect(spans(make({ subwordTokenizer: 'character' }), 'ｶﾞｽ代は１２０円')).toEqual([
      ['ガ', 0, 2],
      ['ス', 2, 3],
      ['代', 3, 4],
      ['は', 4, 5],
      ['1', 5, 6],
      ['2', 6, 7],
      ['0', 7, 8],
      ['円', 8, 9],
    ]);
  });

  it('NFKC that lengthens: ㍻ → 平成', () => {
    // 1. NFKC('㍻３１年に改元') = '平成31年に改元'; 平 and 成 both come from ㍻ (unit 0).
    expect(normalizeWithOffsets('㍻３１年に改元').text).toBe('平成31年に改元');
    // 2. kuromoji: 平成 | 31 | 年 | に | 改元
    expect(words('平成31年に改元')).toEqual(['平成', '31', '年', 'に', '改元']);
    // 3. WordPiece: 平成 whole; 31 → 3 ##1; 改元 → 改 ##元.
    expect(spans(make(), '㍻３１年に改元')).toEqual([
      ['平成', 0, 1],
      ['3', 1, 2],
      ['##1', 2, 3],
      ['年', 3, 4],
      ['に', 4, 5],
      ['改', 5, 6],
      ['##元', 6, 7],
    ]);
    // 4. Characters: 平 and 成 each get the span of ㍻; 1 is not a vocabulary entry (only ##1) → [UNK].
    expect(spans(make({ subwordTokenizer: 'character' }), '㍻３１年に改元')).toEqual([
      ['平', 0, 1],
      ['成', 0, 1],
      ['3', 1, 2],
      ['1', 2, 3],
      ['年', 3, 4],
      ['に', 4, 5],
      ['改', 5, 6],
      ['元', 6, 7],
    ]);
  });

  it('do_lower_case: full-width capitals become a lower-case word; unknown words are [UNK]', () => {
    // 1. transformers lower-cases first: ＢＥＲＴ → ｂｅｒｔ; NFKC → bert; kuromoji: bert | で | 東京 | を | 調べる
    expect(words('bertで東京を調べる')).toEqual(['bert', 'で', '東京', 'を', '調べる']);
    expect(spans(make({ doLowerCase: true }), 'ＢＥＲＴで東京を調べる')).toEqual([
      ['bert', 0, 4],
      ['で', 4, 5],
      ['東京', 5, 7],
      ['を', 7, 8],
      ['調べる', 8, 11],
    ]);
    // 2. Without lower-casing, BERT is not in the vocabulary and matches no piece: one [UNK] for the word.
    expect(words('BERTで東京を調べる')[0]).toBe('BERT');
    expect(spans(make(), 'ＢＥＲＴで東京を調べる')[0]).toEqual(['[UNK]', 0, 4]);
  });

  it('keeps special tokens typed in the text whole, and drops whitespace', () => {
    // [MASK] is split off before MeCab sees the text (it would split it into [ MASK ]).
    expect(spans(make(), '東京[MASK] を')).toEqual([
      ['東京', 0, 2],
      ['[MASK]', 2, 8],
      ['を', 9, 10],
    ]);
    expect(make().encode('東京[MASK]').ids).toEqual([2, id('東京'), 4, 3]);
  });

  it('character tokens for unknown characters are [UNK] with their own span', () => {
    // kuromoji: 東京 | を | 調べる; characters 東 京 を 調 べ る: only を is in the vocabulary.
    const tok = make({ subwordTokenizer: 'character' });
    expect(spans(tok, '東京を調べる')).toEqual([
      ['[UNK]', 0, 1],
      ['[UNK]', 1, 2],
      ['を', 2, 3],
      ['[UNK]', 3, 4],
      ['[UNK]', 4, 5],
      ['[UNK]', 5, 6],
    ]);
  });

  it('truncates head and head+tail', () => {
    // 東京 ##大学 で 自然 言語 処理 を 学 ##ぶ 。 (10 text tokens); maxLength 6 → budget 4.
    const text = '東京大学で自然言語処理を学ぶ。';
    expect(make().encode(text, { maxLength: 6 }).tokens.map((t) => t.text)).toEqual(['[CLS]', '東京', '##大学', 'で', '自然', '[SEP]']);
    // head+tail: ⌊4/4⌋ = 1 from the start, 3 from the end.
    const ht = make().encode(text, { maxLength: 6, truncation: 'head+tail' });
    expect(ht.tokens.map((t) => t.text)).toEqual(['[CLS]', '東京', '学', '##ぶ', '。', '[SEP]']);
    expect(ht.truncated).toBe(6);
  });

  it('describes itself and needs a segmenter for MeCab', () => {
    expect(make().description).toBe('MeCab (IPADIC, via kuromoji) on NFKC text words + WordPiece');
    expect(make().special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
  });

  it('without normalize_text, MeCab sees the text as it is', () => {
    // normalize_text=False: no NFKC, so ｶﾞｽ stays half-width; the CharacterTokenizer still applies NFKC per word.
    const tok = make({ normalizeText: false, subwordTokenizer: 'character' });
    const first = spans(tok, 'ｶﾞｽ代')[0];
    expect(first).toEqual(['ガ', 0, 2]);
  });

  it('numbers the MeCab words, so whole-word masking can group a word\'s subwords and characters', () => {
    // Words (step 1 of the first test): 東京大学 | で | 自然 | 言語 | 処理 | を | 学ぶ | 。
    const byWord = (o: Partial<BertJapaneseOptions>) => make(o).tokenize('東京大学で自然言語処理を[MASK]学ぶ。').map((t) => [t.text, t.word]);
    expect(byWord({})).toEqual([
      ['東京', 0], ['##大学', 0], ['で', 1], ['自然', 2], ['言語', 3], ['処理', 4], ['を', 5], ['[MASK]', 6], ['学', 7], ['##ぶ', 7], ['。', 8],
    ]);
    // Characters: the word's characters share its number (ぶ, not in the vocabulary, is an [UNK] of the same word).
    expect(byWord({ subwordTokenizer: 'character' }).slice(0, 5)).toEqual([['[UNK]', 0], ['[UNK]', 0], ['[UNK]', 0], ['学', 0], ['で', 1]]);
    expect(byWord({ subwordTokenizer: 'character' }).slice(-3)).toEqual([['学', 7], ['[UNK]', 7], ['。', 8]]);
  });

  it('wordsOf splits what MeCab keeps together across whitespace, as WordPiece will (kuromoji joins line breaks to a following "──")', () => {
    expect(segmenter.segment('前\n\n──後').map((w) => w.surface)).toContain('\n\n──');
    const words = make().wordsOf('前\n\n──後 です');
    expect(words.every((w) => w !== '' && !/\s/.test(w))).toBe(true);
    expect(words).toContain('──');
  });
});

