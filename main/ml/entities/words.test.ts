import { describe, expect, it } from 'vitest';
import type { Encoded, Tokenizer, TokenizerKind } from '../tokenizers/types';
import { tableTargets } from './tableFiller';
import { encodeWords, wordBatch } from './words';

/** A tokenizer that cuts a text into 2-character pieces (ids from a growing vocabulary) and records what it was given. */
function fakeTokenizer(kind: TokenizerKind): Tokenizer & { seen: string[] } {
  const vocab = new Map<string, number>();
  const seen: string[] = [];
  return {
    kind,
    description: 'fake',
    vocabSize: 1000,
    special: { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 },
    modelMaxLength: null,
    seen,
    encode(text: string): Encoded {
      seen.push(text);
      const pieces = text.match(/.{1,2}/gu) ?? [];
      const ids = pieces.map((p) => vocab.get(p) ?? (vocab.set(p, 10 + vocab.size), 9 + vocab.size));
      return { ids, tokens: [], attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0), truncated: 0 };
    },
    idToToken: () => undefined,
    tokenToId: () => undefined,
  };
}

describe('encodeWords', () => {
  it('wraps each word’s subwords in [CLS] … [SEP] and keeps each subword’s word', () => {
    const t = fakeTokenizer('wordpiece');
    const e = encodeWords(t, ['abc', 'd', 'efgh']);
    expect(t.seen).toEqual(['abc', 'd', 'efgh']);
    expect(e.ids.length).toBe(7);
    expect(e.ids[0]).toBe(2);
    expect(e.ids[6]).toBe(3);
    expect(e.wordOf).toEqual([-1, 0, 0, 1, 2, 2, -1]);
    expect(e.wordsKept).toBe(3);
  });

  it('gives a tokenizer.json model the space a word has in running text', () => {
    const t = fakeTokenizer('tokenizer.json');
    encodeWords(t, ['Tokyo', 'is', 'big']);
    expect(t.seen).toEqual(['Tokyo', ' is', ' big']);
  });

  it('keeps only whole words within maxLength and says how many', () => {
    const e = encodeWords(fakeTokenizer('wordpiece'), ['abcd', 'ef', 'ghij', 'k'], 6);
    expect(e.wordsKept).toBe(2); // [CLS] ab cd ef [SEP] — "ghij" (2 more) would make 7
    expect(e.numWords).toBe(4);
    expect(e.ids.length).toBe(5);
    expect(e.wordOf).toEqual([-1, 0, 0, 1, -1]);
  });

  it('gives an empty word [UNK] so every kept word has a subword', () => {
    const e = encodeWords(fakeTokenizer('wordpiece'), ['a', '', 'b']);
    expect(e.ids).toEqual([2, expect.any(Number), 1, expect.any(Number), 3]);
    expect(e.wordOf).toEqual([-1, 0, 1, 2, -1]);
  });
});

describe('wordBatch and tableTargets', () => {
  it('points each word at its subwords (padding at the −∞ row) and masks padding words', () => {
    const t = fakeTokenizer('wordpiece');
    const b = wordBatch([encodeWords(t, ['abc', 'd']), encodeWords(t, ['e'])], 0);
    const T = 5; // [CLS] ab c d [SEP]
    expect(b.encoder.length).toBe(T);
    expect(b.maxWords).toBe(2);
    expect(b.maxSubwords).toBe(2);
    const pad = 2 * T;
    expect([...b.subwordIndex]).toEqual([1, 2, 3, pad, T + 1, pad, pad, pad]);
    expect([...b.wordMask]).toEqual([1, 1, 1, 0]);
    expect([...b.encoder.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('scores real words and upper-triangle cells only, and not the words truncation cut', () => {
    const labels = [
      { entity: Int32Array.from([1, 0, 2]), relation: Int32Array.from([-1, 0, 1, -1, -1, 2, -1, -1, -1]) },
      { entity: Int32Array.from([3]), relation: Int32Array.from([-1]) },
    ];
    const t = tableTargets(labels, [2, 1], 2, 4, 3); // the batch kept 2 words of the first sentence
    const wider = tableTargets(labels, [2, 1], 3, 4, 3); // … and the cut word stays unscored in a wider table
    expect([wider.entityCount, wider.relationCount]).toEqual([3, 1]);
    expect(t.entityCount).toBe(3);
    expect(t.relationCount).toBe(1);
    expect([...t.entity]).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(t.relation[(0 * 2 + 1) * 3 + 0]).toBe(1);
    expect(t.relation.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
