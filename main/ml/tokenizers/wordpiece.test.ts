// Against published behaviour of bert-base-uncased's BertTokenizer (ids from the vocabulary's
// README and the transformers documentation), never against this code's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/paths';
import { WordPieceTokenizer } from './wordpiece';

const vocabPath = `${sharedData}/bert-base-uncased/vocab.txt`;
if (!hasSharedData) console.warn(`bert-base-uncased tokenizer tests skipped: ${vocabPath} is absent`);

describe.skipIf(!hasSharedData)('WordPiece with the real bert-base-uncased vocabulary', () => {
  const tok = hasSharedData ? WordPieceTokenizer.fromVocabText(readFileSync(vocabPath, 'utf8')) : (null as never);
  const line = (t: string) => readFileSync(vocabPath, 'utf8').split('\n').indexOf(t); // id = 0-based line

  it('has the published special ids', () => {
    expect(tok.special).toEqual({ cls: 101, sep: 102, pad: 0, unk: 100, mask: 103 });
    expect(tok.idToToken).toHaveLength(30522);
  });

  it('encodes the published examples', () => {
    // The vocabulary README: "Hello, my dog is cute" (do_lower_case).
    expect(tok.encode('Hello, my dog is cute').ids).toEqual([101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
    // transformers' quick tour: tokenizer("Hello world")
    expect(tok.encode('Hello world').ids).toEqual([101, 7592, 2088, 102]);
    // transformers' tokenizer summary: "unaffable" -> una ##ffa ##ble (no "unaffable" or "##aff" in this vocab)
    expect(tok.tokenize('unaffable').map((t) => t.text)).toEqual(['una', '##ffa', '##ble']);
  });

  it('lower-cases and strips accents, splits punctuation and CJK ideographs', () => {
    expect(tok.tokenize('Café HÉLLO!').map((t) => t.text)).toEqual(['cafe', 'hello', '!']);
    expect(tok.tokenize('Café').map((t) => t.id)).toEqual([line('cafe')]);
    expect(tok.tokenize('日本語').map((t) => t.text)).toEqual(['日', '本', '語'].map((c) => (line(c) >= 0 ? c : '[UNK]')));
    expect(tok.tokenize('e-mail').map((t) => t.text)).toEqual(['e', '-', 'mail']);
    expect(tok.tokenize('[CLS] x [MASK]').map((t) => t.id)).toEqual([101, line('x'), 103]);
    expect(tok.tokenize('a\u0000b\ufffd c').map((t) => t.text)).toEqual(['ab', 'c']);
  });

  it('keeps every token’s span in the original text', () => {
    const text = 'Héllo,  unaffable 日本!';
    const tokens = tok.tokenize(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Héllo', ',', 'una', 'ffa', 'ble', '日', '本', '!']);
    // A combining accent (two code units) still maps back exactly.
    const combining = 'He\u0301llo';
    const [hello] = tok.tokenize(combining);
    expect(combining.slice(hello.start, hello.end)).toBe(combining);
  });

  it('truncates, pads and masks', () => {
    const e = tok.encode('Hello, my dog is cute', { maxLength: 5, padTo: 7 });
    expect(e.ids).toEqual([101, 7592, 1010, 2026, 102, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('turns a word with no matching pieces, or over 100 characters, into [UNK]', () => {
    expect(tok.tokenize('☃').map((t) => t.id)).toEqual([line('☃') >= 0 ? line('☃') : 100]);
    expect(tok.tokenize('a'.repeat(101)).map((t) => t.id)).toEqual([100]);
  });
});
