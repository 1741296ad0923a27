// tokenizer.json through @huggingface/tokenizers with rebuilt offsets, against Python tokenizers 0.23.2:
// the fixtures of test/fixtures/hf/tokenizers (made by the repository's fixture script) and a few more
// encodings made once with the same library (the Python is quoted beside them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenizerJsonTokenizer } from './tokenizerJson';
import type { Encoded } from './types';

const fixtures = join(__dirname, '../../../test/fixtures/hf/tokenizers');

/** Python code-point offsets → UTF-16 code units of the same text. */
function toUtf16(text: string, [s, e]: number[]): [number, number] {
  const cps = [...text];
  return [cps.slice(0, s).join('').length, cps.slice(0, e).join('').length];
}

/** Our encoding in the reference's terms: specials as the reference has them ([0, 0]), text tokens as they are. */
function asReference(e: Encoded) {
  return { ids: e.ids, tokens: e.tokens.map((t) => t.text), offsets: e.tokens.map((t) => (t.special ? [0, 0] : [t.start, t.end])), special: e.tokens.map((t) => (t.special ? 1 : 0)) };
}

interface Fixture {
  encodings: { text: string; ids: number[]; tokens: string[]; offsets: number[][]; specialTokensMask: number[] }[];
}

describe.each(['bpe-bytelevel', 'unigram-metaspace', 'wordpiece-bert'])('%s (tokenizers 0.23 fixture)', (name) => {
  const json = JSON.parse(readFileSync(join(fixtures, name, 'tokenizer.json'), 'utf8'));
  const expected = JSON.parse(readFileSync(join(fixtures, name, 'expected.json'), 'utf8')) as Fixture;
  const tok = new TokenizerJsonTokenizer(json);

  it.each(expected.encodings.map((e) => [e.text, e] as const))('encodes %j exactly: ids, tokens, offsets, specials', (_, e) => {
    const got = tok.encode(e.text);
    expect(asReference(got)).toEqual({ ids: e.ids, tokens: e.tokens, offsets: e.offsets.map((o) => toUtf16(e.text, o)), special: e.specialTokensMask });
    // Our specials are zero-width: the leading ones at 0, the trailing ones at the end of the text.
    expect(got.tokens.at(-1)).toMatchObject({ start: e.text.length, end: e.text.length, special: true });
  });

  it('reports its vocabulary and specials', () => {
    expect(tok.kind).toBe('tokenizer.json');
    expect(tok.warnings).toEqual([]);
    const first = expected.encodings[0];
    expect(tok.special.cls).toBe(first.ids[0]);
    expect(tok.special.sep).toBe(first.ids.at(-1));
    expect(tok.idToToken(first.ids[1])).toBe(first.tokens[1]);
    expect(tok.tokenToId(first.tokens[1])).toBe(first.ids[1]);
    const vocab = json.model.vocab as Record<string, number> | [string, number][];
    expect(tok.vocabSize).toBe(Array.isArray(vocab) ? vocab.length : Math.max(...Object.values(vocab)) + 1);
  });
});

describe('descriptions and special ids', () => {
  it.each([
    ['bpe-bytelevel', /^BPE \(byte-level\)/, { cls: 0, sep: 2, pad: 1, unk: 3, mask: 4 }],
    ['unigram-metaspace', /^Unigram \(SentencePiece\), Metaspace/, { cls: 0, sep: 2, pad: 1, unk: 3, mask: 4 }],
    ['wordpiece-bert', /^WordPiece, normalised by BertNormalizer/, { cls: 2, sep: 3, pad: 0, unk: 1, mask: 4 }],
  ])('%s', (name, description, special) => {
    const tok = new TokenizerJsonTokenizer(JSON.parse(readFileSync(join(fixtures, name, 'tokenizer.json'), 'utf8')));
    expect(tok.description).toMatch(description);
    expect(tok.special).toEqual(special);
  });
});

// Python (tokenizers 0.23.2), on bpe-bytelevel/tokenizer.json as it is ("plain") and with <mask> given
// lstrip=True ("lstrip"): t.encode(text) → ids, tokens, offsets (UTF-16 here; all BMP).
const addedCases: Record<'plain' | 'lstrip', [string, number[], string[], number[][]][]> = {
  plain: [
    ['Hello <mask> world', [0, 44, 294, 353, 225, 4, 336, 80, 72, 2], ['<s>', 'H', 'el', 'lo', 'Ġ', '<mask>', 'Ġwor', 'l', 'd', '</s>'], [[0, 0], [0, 1], [1, 3], [3, 5], [6, 6], [6, 12], [13, 16], [16, 17], [17, 18], [0, 0]]],
    ['a<mask>b', [0, 69, 4, 70, 2], ['<s>', 'a', '<mask>', 'b', '</s>'], [[0, 0], [0, 1], [1, 7], [7, 8], [0, 0]]],
    ['<s>Hi</s>', [0, 0, 44, 77, 2, 2], ['<s>', '<s>', 'H', 'i', '</s>', '</s>'], [[0, 0], [0, 3], [3, 4], [4, 5], [5, 9], [0, 0]]],
    [' <pad>  x', [0, 225, 1, 225, 225, 92, 2], ['<s>', 'Ġ', '<pad>', 'Ġ', 'Ġ', 'x', '</s>'], [[0, 0], [1, 1], [1, 6], [7, 7], [8, 8], [8, 9], [0, 0]]],
    ['Hello  <mask>', [0, 44, 294, 353, 225, 225, 4, 2], ['<s>', 'H', 'el', 'lo', 'Ġ', 'Ġ', '<mask>', '</s>'], [[0, 0], [0, 1], [1, 3], [3, 5], [6, 6], [7, 7], [7, 13], [0, 0]]],
  ],
  lstrip: [
    ['Hello <mask> world', [0, 44, 294, 353, 4, 336, 80, 72, 2], ['<s>', 'H', 'el', 'lo', ' <mask>', 'Ġwor', 'l', 'd', '</s>'], [[0, 0], [0, 1], [1, 3], [3, 5], [6, 12], [13, 16], [16, 17], [17, 18], [0, 0]]],
    ['a<mask>b', [0, 69, 4, 70, 2], ['<s>', 'a', '<mask>', 'b', '</s>'], [[0, 0], [0, 1], [1, 7], [7, 8], [0, 0]]],
    ['Hello  <mask>', [0, 44, 294, 353, 4, 2], ['<s>', 'H', 'el', 'lo', '  <mask>', '</s>'], [[0, 0], [0, 1], [1, 3], [3, 5], [7, 13], [0, 0]]],
  ],
};

describe('added tokens typed in the text (tokenizers 0.23.2)', () => {
  const base = JSON.parse(readFileSync(join(fixtures, 'bpe-bytelevel', 'tokenizer.json'), 'utf8'));
  const lstrip = JSON.parse(JSON.stringify(base));
  for (const a of lstrip.added_tokens) if (a.content === '<mask>') a.lstrip = true;
  const toks = { plain: new TokenizerJsonTokenizer(base), lstrip: new TokenizerJsonTokenizer(lstrip) };

  it.each((['plain', 'lstrip'] as const).flatMap((v) => addedCases[v].map((c) => [v, ...c] as const)))('%s %j', (variant, text, ids, tokens, offsets) => {
    const got = asReference(toks[variant].encode(text));
    expect({ ids: got.ids, tokens: got.tokens, offsets: got.offsets }).toEqual({ ids, tokens, offsets });
    // A special token typed in the text is text (it has a span), not one the tokenizer added.
    expect(got.special.filter((s) => s === 1)).toHaveLength(2);
  });
});

/**
 * A Llama-style tokenizer.json, the same as this Python made:
 *   vocab = {'<unk>': 0, '<s>': 1, '</s>': 2} + {'<0x00>'…'<0xFF>'} + the pieces below
 *   t = Tokenizer(models.BPE(vocab, merges, unk_token='<unk>', fuse_unk=True, byte_fallback=True))
 *   t.add_special_tokens(['<unk>', '<s>', '</s>'])
 *   t.normalizer = normalizers.Sequence([normalizers.Prepend('▁'), normalizers.Replace(' ', '▁')])
 *   t.post_processor = processors.TemplateProcessing(single='<s> $A', special_tokens=[('<s>', 1)])
 */
function llamaStyle(): Record<string, unknown> {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = Object.keys(vocab).length;
  for (const p of ['▁', 'H', 'e', 'l', 'o', 'w', 'r', 'd', '東', '京', 'c', 'a', 'f', 'é', '▁H', 'He', 'll', '▁w', 'or', '▁c', 'af', 'afé']) vocab[p] ??= Object.keys(vocab).length;
  const added = ['<unk>', '<s>', '</s>'].map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: null,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: [['▁', 'H'], ['l', 'l'], ['▁', 'w'], ['o', 'r'], ['▁', 'c'], ['a', 'f'], ['af', 'é']],
    },
  };
}

// t.encode(text) → ids, tokens, offsets (UTF-16 units) from tokenizers 0.23.2.
const llamaCases: [string, number[], string[], number[][]][] = [
  ['Hello world', [1, 273, 261, 275, 263, 276, 277, 262, 266], ['<s>', '▁H', 'e', 'll', 'o', '▁w', 'or', 'l', 'd'], [[0, 0], [0, 1], [1, 2], [2, 4], [4, 5], [5, 7], [7, 9], [9, 10], [10, 11]]],
  ['café 東京', [1, 278, 280, 259, 267, 268], ['<s>', '▁c', 'afé', '▁', '東', '京'], [[0, 0], [0, 1], [1, 4], [4, 5], [5, 6], [6, 7]]],
  ['  Hello', [1, 259, 259, 273, 261, 275, 263], ['<s>', '▁', '▁', '▁H', 'e', 'll', 'o'], [[0, 0], [0, 1], [0, 1], [1, 3], [3, 4], [4, 6], [6, 7]]],
  ['x😀y', [1, 259, 123, 243, 162, 155, 131, 124], ['<s>', '▁', '<0x78>', '<0xF0>', '<0x9F>', '<0x98>', '<0x80>', '<0x79>'], [[0, 0], [0, 1], [0, 1], [1, 3], [1, 3], [1, 3], [1, 3], [3, 4]]],
  ['', [1], ['<s>'], [[0, 0]]],
  ['Hello</s> world', [1, 273, 261, 275, 263, 2, 259, 276, 277, 262, 266], ['<s>', '▁H', 'e', 'll', 'o', '</s>', '▁', '▁w', 'or', 'l', 'd'], [[0, 0], [0, 1], [1, 2], [2, 4], [4, 5], [5, 9], [9, 10], [9, 11], [11, 13], [13, 14], [14, 15]]],
];

describe('a Llama-style tokenizer: Prepend ▁ normaliser, BPE with byte fallback (tokenizers 0.23.2)', () => {
  const tok = new TokenizerJsonTokenizer(llamaStyle());
  it.each(llamaCases)('%j', (text, ids, tokens, offsets) => {
    const got = asReference(tok.encode(text));
    expect({ ids: got.ids, tokens: got.tokens, offsets: got.offsets }).toEqual({ ids, tokens, offsets });
  });
  it('has <s> before the text and nothing after it', () => {
    expect(tok.special).toMatchObject({ cls: 1, sep: null, unk: 0 });
  });
});

describe('truncation keeps the template specials', () => {
  const tok = new TokenizerJsonTokenizer(JSON.parse(readFileSync(join(fixtures, 'unigram-metaspace', 'tokenizer.json'), 'utf8')));
  it('head and head+tail over the Unigram fixture', () => {
    // "東京都の天気は晴れです。" → ▁ 東 京 都 の 天 気 は 晴 れ で す 。 (13 text tokens, see the fixture)
    const text = '東京都の天気は晴れです。';
    const head = tok.encode(text, { maxLength: 6 });
    expect(head.tokens.map((t) => t.text)).toEqual(['<s>', '▁', '東', '京', '都', '</s>']);
    expect(head.truncated).toBe(9);
    // budget 8 → the first ⌊8/4⌋ = 2 (▁ 東) and the last 6 (は 晴 れ で す 。).
    const ht = tok.encode(text, { maxLength: 10, truncation: 'head+tail' });
    expect(ht.tokens.map((t) => t.text)).toEqual(['<s>', '▁', '東', 'は', '晴', 'れ', 'で', 'す', '。', '</s>']);
    expect(ht.tokens.map((t) => t.start)).toEqual([0, 0, 0, 6, 7, 8, 9, 10, 11, 12]);
    expect(ht.truncated).toBe(5);
  });
});

describe('what the JavaScript library cannot do is said, not hidden', () => {
  it('warns about the approximated SentencePiece precompiled normaliser', () => {
    const json = JSON.parse(readFileSync(join(fixtures, 'unigram-metaspace', 'tokenizer.json'), 'utf8'));
    json.normalizer = { type: 'Precompiled', precompiled_charsmap: '' };
    expect(new TokenizerJsonTokenizer(json).warnings.join('\n')).toMatch(/precompiled_charsmap/);
  });

  it('uses the model type’s specials when tokenizer.json has no post-processor', () => {
    const json = JSON.parse(readFileSync(join(fixtures, 'bpe-bytelevel', 'tokenizer.json'), 'utf8'));
    json.post_processor = null;
    expect(new TokenizerJsonTokenizer(json).encode('Hi').tokens.map((t) => t.text)).toEqual(['H', 'i']);
    const tok = new TokenizerJsonTokenizer(json, { fallbackSpecials: { prefix: ['<s>'], suffix: ['</s>'] } });
    expect(tok.encode('Hi').tokens.map((t) => [t.text, t.special])).toEqual([
      ['<s>', true],
      ['H', false],
      ['i', false],
      ['</s>', true],
    ]);
    expect(tok.warnings.join('\n')).toMatch(/adds no special tokens/);
  });
});
