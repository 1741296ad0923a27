// WordPiece (vocab.txt) against independent references only: transformers 5.17's BertTokenizer /
// BertTokenizerFast with the real bert-base-uncased vocabulary (test/fixtures/hf/bert-base-uncased-tokenizer),
// transformers 5.17's BertTokenizer over a tiny vocabulary (run once; values pasted below), and the
// published ids of the bert-base-uncased README.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/paths';
import { padBatch } from './types';
import { WordPieceTokenizer } from './wordpiece';

const vocabPath = `${sharedData}/bert-base-uncased/vocab.txt`;
if (!hasSharedData) console.warn(`bert-base-uncased tokenizer tests skipped: ${vocabPath} is absent`);

/** Python code-point offsets → UTF-16 code units of the same text. */
function toUtf16(text: string, [s, e]: number[]): [number, number] {
  const cps = [...text];
  return [cps.slice(0, s).join('').length, cps.slice(0, e).join('').length];
}

interface Expected {
  encodings: { text: string; ids: number[]; fastIds: number[]; offsets: number[][] }[];
}

describe.skipIf(!hasSharedData)('WordPiece with the real bert-base-uncased vocabulary', () => {
  const tok = hasSharedData ? WordPieceTokenizer.fromVocabText(readFileSync(vocabPath, 'utf8')) : (null as never);
  const expected = JSON.parse(readFileSync(`${__dirname}/../../../test/fixtures/hf/bert-base-uncased-tokenizer/expected.json`, 'utf8')) as Expected;

  it('has the published special ids', () => {
    expect(tok.special).toEqual({ cls: 101, sep: 102, pad: 0, unk: 100, mask: 103 });
    expect(tok.vocabSize).toBe(30522);
    expect(tok.kind).toBe('wordpiece');
    expect(tok.idToToken(7592)).toBe('hello');
    expect(tok.tokenToId('hello')).toBe(7592);
  });

  it('encodes the published example', () => {
    // The vocabulary README: "Hello, my dog is cute" (do_lower_case).
    expect(tok.encode('Hello, my dog is cute').ids).toEqual([101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
  });

  it.each(expected.encodings.map((e) => [e.text, e] as const))('matches transformers 5.17 on %j: ids and offsets', (_, e) => {
    expect(e.ids).toEqual(e.fastIds); // the two transformers tokenizers agree on every fixture text
    const enc = tok.encode(e.text);
    expect(enc.ids).toEqual(e.ids);
    const isSpecial = (i: number) => i === 0 || i === e.ids.length - 1;
    expect(enc.tokens.map((t) => t.special)).toEqual(e.ids.map((_, i) => isSpecial(i)));
    // Text tokens: the fast tokenizer's offsets exactly. Specials are zero-width ([CLS] at 0, [SEP] at the end).
    expect(enc.tokens.filter((t) => !t.special).map((t) => [t.start, t.end])).toEqual(e.offsets.filter((_, i) => !isSpecial(i)).map((o) => toUtf16(e.text, o)));
    expect([enc.tokens[0].start, enc.tokens[0].end, enc.tokens.at(-1)!.start, enc.tokens.at(-1)!.end]).toEqual([0, 0, e.text.length, e.text.length]);
    expect(enc.attentionMask.every((m) => m === 1) && enc.tokenTypeIds.every((t) => t === 0)).toBe(true);
    expect(enc.truncated).toBe(0);
  });
});

// A tiny vocabulary; the expected ids and offsets come from transformers 5.17.0 (tokenizers 0.23.2):
//   BertTokenizer(vocab=OrderedDict((t, i) for i, t in enumerate(vocab)), **kwargs)(text, return_offsets_mapping=True)
// with the offsets converted from code points to UTF-16 units, [CLS]/[SEP] left off.
const tinyVocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', 'x', '##b', 'keep', 'Keep', 'me', '##e', 'ca', '##f', 'caf', 'cafe', 'café', '##é', 'e', '東', '京', '平', '成', 'ガ', 'ス', '代', '1', '2', '3', '0', 'abc', 'hello', 'Hello', '##llo', 'he', '.', '!', 'ｶ', 'カ', 'ab', '##c', 'é', 'KeepMe', '[', ']', 'cl', '##s'];
type Kwargs = { do_lower_case?: boolean; strip_accents?: boolean; tokenize_chinese_chars?: boolean };
const tinyCases: [Kwargs, string, number[], [number, number][]][] = [
  [{}, 'a[MASK]b x', [5, 4, 6, 7], [[0, 1], [1, 7], [7, 8], [9, 10]]],
  [{}, '[cls] [CLS]', [44, 46, 47, 45, 2], [[0, 1], [1, 3], [3, 4], [4, 5], [6, 11]]],
  [{}, 'KeepMe keep', [1, 9], [[0, 6], [7, 11]]],
  [{}, 'Cafe\u0301 café', [16, 16], [[0, 4], [6, 10]]],
  [{}, 'Hello!', [32, 37], [[0, 5], [5, 6]]],
  [{}, 'ab\u0301c', [31], [[0, 4]]],
  [{}, '東京ｶ', [20, 21, 38], [[0, 1], [1, 2], [2, 3]]],
  [{}, 'x\u2028b', [7, 6], [[0, 1], [2, 3]]],
  [{ do_lower_case: false }, 'a[MASK]b x', [5, 4, 6, 7], [[0, 1], [1, 7], [7, 8], [9, 10]]],
  [{ do_lower_case: false }, 'KeepMe keep', [43, 9], [[0, 6], [7, 11]]],
  [{ do_lower_case: false }, 'Cafe\u0301 café', [1, 17], [[0, 5], [6, 10]]],
  [{ do_lower_case: false }, 'Hello!', [33, 37], [[0, 5], [5, 6]]],
  [{ do_lower_case: false }, 'ab\u0301c', [1], [[0, 4]]],
  [{ do_lower_case: true, strip_accents: false }, 'Cafe\u0301 café', [1, 17], [[0, 5], [6, 10]]],
  [{ do_lower_case: true, strip_accents: false }, 'ab\u0301c', [1], [[0, 4]]],
  [{ tokenize_chinese_chars: false }, '東京ｶ', [1], [[0, 3]]],
  [{ tokenize_chinese_chars: false }, 'Cafe\u0301 café', [16, 16], [[0, 4], [6, 10]]],
];

describe('WordPiece options, against transformers 5.17 on a tiny vocabulary', () => {
  it.each(tinyCases)('%j %j', (kw, text, ids, offsets) => {
    const tok = new WordPieceTokenizer(tinyVocab, { lowercase: kw.do_lower_case, stripAccents: kw.strip_accents ?? null, splitCjk: kw.tokenize_chinese_chars });
    const e = tok.encode(text);
    expect(e.ids).toEqual([2, ...ids, 3]);
    expect(e.tokens.slice(1, -1).map((t) => [t.start, t.end])).toEqual(offsets);
  });

  it('keeps never_split words whole and unlowered (transformers BasicTokenizer.never_split)', () => {
    // "KeepMe" would be lower-cased to "keepme" (not in the vocabulary); never_split keeps it as the vocabulary's "KeepMe".
    const tok = new WordPieceTokenizer(tinyVocab, { neverSplit: ['KeepMe'] });
    expect(tok.tokenize('KeepMe keep').map((t) => t.text)).toEqual(['KeepMe', 'keep']);
  });

  it('matches special tokens anywhere in the raw text, not lower-cased [cls]', () => {
    const tok = new WordPieceTokenizer(tinyVocab);
    // Same as the reference rows above: [MASK] inside a word is found; [cls] is ordinary text.
    expect(tok.tokenize('a[MASK]b').map((t) => t.text)).toEqual(['a', '[MASK]', 'b']);
    expect(tok.tokenize('[MASK]').every((t) => !t.special)).toBe(true);
  });

  it('reads added tokens beyond vocab.txt (added_tokens_decoder)', () => {
    const tok = new WordPieceTokenizer(tinyVocab, { addedTokens: [{ content: '<new>', id: 48, special: false }] });
    expect(tok.vocabSize).toBe(49);
    expect(tok.tokenize('a<new>b').map((t) => [t.id, t.start, t.end])).toEqual([
      [5, 0, 1],
      [48, 1, 6],
      [6, 6, 7],
    ]);
    expect(tok.idToToken(48)).toBe('<new>');
  });

  it('numbers the basic-tokenizer words: a word\'s ## pieces share its number, an added token is a word of its own', () => {
    const tok = new WordPieceTokenizer(tinyVocab, { lowercase: true });
    expect(tok.tokenize('hello abb.[MASK]abc').map((t) => [t.text, t.word])).toEqual([
      ['hello', 0], ['ab', 1], ['##b', 1], ['.', 2], ['[MASK]', 3], ['abc', 4],
    ]);
  });
});

describe('truncation and padding', () => {
  // Text tokens a b x b a b x b a b (10 of them): ids 5 6 7 6 5 6 7 6 5 6.
  const tok = new WordPieceTokenizer(tinyVocab);
  const text = 'a b x b a b x b a b';

  it("'head' keeps the first maxLength − 2 text tokens", () => {
    const e = tok.encode(text, { maxLength: 6 });
    expect(e.ids).toEqual([2, 5, 6, 7, 6, 3]);
    expect(e.truncated).toBe(6);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("'head+tail' keeps ⌊budget/4⌋ from the start and the rest from the end", () => {
    // Text tokens by position: 0 a, 1 b, 2 x, 3 b, 4 a, 5 b, 6 x, 7 b, 8 a, 9 b (starting at 0, 2, 4, …, 18).
    // maxLength 10 → budget 8 → head ⌊8/4⌋ = 2 (positions 0–1), tail 6 (positions 4–9).
    const e = tok.encode(text, { maxLength: 10, truncation: 'head+tail' });
    expect(e.tokens.slice(1, -1).map((t) => t.start)).toEqual([0, 2, 8, 10, 12, 14, 16, 18]);
    expect(e.ids).toEqual([2, 5, 6, 5, 6, 7, 6, 5, 6, 3]);
    expect(e.truncated).toBe(2);
    // budget 3 → head ⌊3/4⌋ = 0, tail 3.
    expect(tok.encode(text, { maxLength: 5, truncation: 'head+tail' }).tokens.slice(1, -1).map((t) => t.start)).toEqual([14, 16, 18]);
  });

  it('does not truncate what fits, and can leave the specials out', () => {
    expect(tok.encode('a b', { maxLength: 4 }).truncated).toBe(0);
    expect(tok.encode('a b', { addSpecialTokens: false }).ids).toEqual([5, 6]);
    expect(tok.encode('a b x', { addSpecialTokens: false, maxLength: 2 }).ids).toEqual([5, 6]);
  });

  it('pads a batch to its longest encoding with the pad id and mask 0', () => {
    const batch = padBatch([tok.encode('a'), tok.encode('a b x')], tok.special.pad);
    expect(batch.length).toBe(5);
    expect([...batch.ids]).toEqual([2, 5, 3, 0, 0, 2, 5, 6, 7, 3]);
    expect([...batch.attentionMask]).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    expect([...batch.tokenTypeIds]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(padBatch([tok.encode('a')], 0, 4).ids).toEqual(new Int32Array([2, 5, 3, 0]));
  });
});
