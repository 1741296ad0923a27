// WordPiece vocabulary learning against references that are not the code under test: merges
// worked out by hand below, and a naive trainer in this file that recounts every pair before
// every merge (Sennrich et al.'s loop) instead of updating counts incrementally.
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import { mulberry32 } from '../../../common/random';
import { WordPieceTokenizer, wordPieces } from '../tokenizers/wordpiece';
import { bertSpecialTokens, learnWordPiece, WordCounter } from './vocab';
import { newTokenizerFiles } from './newTokenizer';

/*
 * Hand-worked example: Sennrich et al.'s corpus, low ×5, lower ×2, newest ×6, widest ×3.
 *
 * Vocabulary before any merge:
 *   0–4    [PAD] [UNK] [CLS] [SEP] [MASK]                     special tokens, in the given order
 *   5–14   d e i l n o r s t w                                the alphabet, in code-point order
 *   15–22  ##e ##w ##s ##t ##o ##i ##d ##r                    continuations, by first appearance with
 *                                                             words taken by count: newest, low, widest, lower
 * Words as ids:
 *   newest ×6  n ##e ##w ##e ##s ##t      low ×5    l ##o ##w
 *   widest ×3  w ##i ##d ##e ##s ##t      lower ×2  l ##o ##w ##e ##r
 * Pair counts (each pair counted once per occurrence, times the word's count):
 *   (##e,##s) 6+3 = 9   (##s,##t) 9   (##w,##e) 6+2 = 8   (l,##o) 7   (##o,##w) 7   (n,##e) 6
 *   (##e,##w) 6   (w,##i) 3   (##i,##d) 3   (##d,##e) 3   (##e,##r) 2
 *
 * Merges: the highest count wins; a tie goes to the pair with the smaller first id, then the
 * smaller second id (tokenizers' `Ord for Merge`). A merge's token is left + right without
 * right's "##".
 *   23 ##es     (##e,##s) 9      tie with (##s,##t) 9: (15,17) < (17,18)
 *               newest → n ##e ##w ##es ##t; widest → w ##i ##d ##es ##t;
 *               (##w,##e) 8 → 2, (##s,##t) 9 → 0, (##d,##e) 3 → 0; new (##w,##es) 6, (##es,##t) 9, (##d,##es) 3
 *   24 ##est    (##es,##t) 9     newest → n ##e ##w ##est; widest → w ##i ##d ##est;
 *               new (##w,##est) 6, (##d,##est) 3
 *   25 lo       (l,##o) 7        tie with (##o,##w) 7: (8,19) < (19,16); new (lo,##w) 7
 *   26 low      (lo,##w) 7       low → low; lower → low ##e ##r; (##w,##e) 2 → 0, new (low,##e) 2
 *   27 ne       (n,##e) 6        three-way tie with (##e,##w)=(15,16) and (##w,##est)=(16,24): (9,15) is smallest;
 *               newest → ne ##w ##est; (##e,##w) 6 → 0, new (ne,##w) 6
 *   28 ##west   (##w,##est) 6    tie with (ne,##w)=(27,16): (16,24) < (27,16); newest → ne ##west
 *   29 newest   (ne,##west) 6
 *   30 wi       (w,##i) 3        three-way tie with (##i,##d)=(20,21) and (##d,##est)=(21,24): (14,20) is smallest;
 *               widest → wi ##d ##est
 *   31 ##dest   (##d,##est) 3    tie with (wi,##d)=(30,21): (21,24) < (30,21); widest → wi ##dest
 *   32 widest   (wi,##dest) 3
 *   33 ##er     (##e,##r) 2      tie with (low,##e)=(26,15): (15,22) < (26,15); lower → low ##er
 *   34 lower    (low,##er) 2
 * No pair is left: 35 tokens.
 */
const sennrich = new Map([
  ['low', 5],
  ['lower', 2],
  ['newest', 6],
  ['widest', 3],
]);
const sennrichVocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
  'd', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w',
  '##e', '##w', '##s', '##t', '##o', '##i', '##d', '##r',
  '##es', '##est', 'lo', 'low', 'ne', '##west', 'newest', 'wi', '##dest', 'widest', '##er', 'lower',
];

/*
 * Hand-worked Japanese example (morphemes as a MeCab tokenizer would give them): 東京 ×4,
 * 京都 ×3, 東京都 ×2, 𠮷野 ×1, （ ×1.
 *   alphabet in code-point order: 京 U+4EAC, 東 U+6771, 都 U+90FD, 野 U+91CE, （ U+FF08, 𠮷 U+20BB7
 *   (UTF-16 order would put 𠮷, a surrogate pair, before （); ids 5–10
 *   continuations: ##京 11 (東京), ##都 12 (京都), ##野 13 (𠮷野)
 *   pairs: (東,##京) 4+2 = 6, (京,##都) 3, (##京,##都) 2, (𠮷,##野) 1
 *   14 東京    (東,##京) 6    東京都 → 東京 ##都: (##京,##都) 2 → 0, new (東京,##都) 2
 *   15 京都    (京,##都) 3
 *   16 東京都  (東京,##都) 2
 *   (𠮷,##野) 1 is below the default minFrequency 2: 17 tokens.
 */
const tokyo = new Map([
  ['東京', 4],
  ['京都', 3],
  ['東京都', 2],
  ['𠮷野', 1],
  ['（', 1],
]);
const tokyoVocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '京', '東', '都', '野', '（', '𠮷', '##京', '##都', '##野', '東京', '京都', '東京都'];

const vocabSets = new WeakMap<readonly string[], Set<string>>();

/** The greedy longest-match WordPiece segmentation of `word` under `vocab`, or null for [UNK]. */
function pieces(vocab: readonly string[], word: string): string[] | null {
  let set = vocabSets.get(vocab);
  if (!set) vocabSets.set(vocab, (set = new Set(vocab)));
  return wordPieces([...word], (p) => set.has(p))?.map((p) => p.piece) ?? null;
}

/**
 * The reference: the same starting vocabulary, then before every merge a full recount of
 * every pair in every word, the best pair by (count desc, first id, second id), merged
 * everywhere. No queue, no incremental counts.
 */
function naiveWordPiece(counts: ReadonlyMap<string, number>, vocabSize: number, minFrequency: number): string[] {
  const tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const id = (t: string): number => {
    const i = tokens.indexOf(t);
    return i >= 0 ? i : tokens.push(t) - 1;
  };
  const entries = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const chars = [...new Set(entries.flatMap(([w]) => [...w]))].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!);
  chars.forEach(id);
  const words = entries.map(([w]) => [...w].map((ch, i) => id(i === 0 ? ch : `##${ch}`)));
  while (tokens.length < vocabSize) {
    const pairs = new Map<string, { a: number; b: number; n: number }>();
    words.forEach((w, iw) => {
      for (let j = 0; j + 1 < w.length; j++) {
        const k = `${w[j]},${w[j + 1]}`;
        const p = pairs.get(k) ?? { a: w[j], b: w[j + 1], n: 0 };
        p.n += entries[iw][1];
        pairs.set(k, p);
      }
    });
    let best: { a: number; b: number; n: number } | null = null;
    for (const p of pairs.values()) {
      if (!best || p.n > best.n || (p.n === best.n && (p.a < best.a || (p.a === best.a && p.b < best.b)))) best = p;
    }
    if (!best || best.n < Math.max(1, minFrequency)) break;
    const m = id(tokens[best.a] + tokens[best.b].replace(/^##/, ''));
    for (const w of words) {
      for (let i = 0; i + 1 < w.length; i++) if (w[i] === best.a && w[i + 1] === best.b) w.splice(i, 2, m);
    }
  }
  return tokens;
}

describe('learnWordPiece: hand-worked examples', () => {
  it('learns low/lower/newest/widest merge by merge, ties to the smaller pair of ids', () => {
    expect(learnWordPiece(sennrich, { vocabSize: 1000 })).toEqual(sennrichVocab);
  });

  it('orders a Japanese alphabet by code point and stops below minFrequency', () => {
    expect(learnWordPiece(tokyo, { vocabSize: 1000 })).toEqual(tokyoVocab);
    expect(learnWordPiece(tokyo, { vocabSize: 1000, minFrequency: 1 })).toEqual([...tokyoVocab, '𠮷野']);
  });

  it('agrees with the naive reference on both', () => {
    expect(naiveWordPiece(sennrich, 1000, 2)).toEqual(sennrichVocab);
    expect(naiveWordPiece(tokyo, 1000, 2)).toEqual(tokyoVocab);
  });
});

describe('learnWordPiece: options', () => {
  it('puts special tokens first, in the given order, and never learns them from words', () => {
    const counts = new Map([...sennrich, ['[MASK]', 100], ['[CLS]', 50]]);
    const vocab = learnWordPiece(counts, { vocabSize: 1000 });
    expect(vocab).toEqual(sennrichVocab);
    expect(vocab.filter((t) => t.includes('[') || t.includes('M'))).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    const custom = learnWordPiece(sennrich, { vocabSize: 1000, specialTokens: ['<pad>', '<unk>'] });
    expect(custom).toEqual(['<pad>', '<unk>', ...sennrichVocab.slice(5)]);
  });

  it('stops at vocabSize: each smaller size is a prefix of the full vocabulary', () => {
    for (const size of [23, 24, 30, 34, 35]) {
      expect(learnWordPiece(sennrich, { vocabSize: size })).toEqual(sennrichVocab.slice(0, size));
    }
    // As in tokenizers, the base vocabulary is never cut: 23 tokens for a size of 10.
    expect(learnWordPiece(sennrich, { vocabSize: 10 })).toEqual(sennrichVocab.slice(0, 23));
  });

  it('stops when the best pair occurs fewer than minFrequency times', () => {
    // Merge counts in order: 9 9 7 7 6 6 6 3 3 3 2 2.
    expect(learnWordPiece(sennrich, { vocabSize: 1000, minFrequency: 3 })).toEqual(sennrichVocab.slice(0, 33));
    expect(learnWordPiece(sennrich, { vocabSize: 1000, minFrequency: 7 })).toEqual(sennrichVocab.slice(0, 27));
    expect(learnWordPiece(sennrich, { vocabSize: 1000, minFrequency: 10 })).toEqual(sennrichVocab.slice(0, 23));
    expect(learnWordPiece(sennrich, { vocabSize: 1000, minFrequency: 0 })).toEqual(sennrichVocab);
  });

  it('limitAlphabet keeps the most frequent characters; words lose the rest', () => {
    // Character counts: e 17, w 16, s 9, t 9, l 7, o 7, n 6, i 3, d 3, r 2: nine keep all but r.
    // lower becomes l ##o ##w ##e and the same merges follow, then (low,##e) 2 gives "lowe",
    // joined across the dropped r as tokenizers does.
    expect(learnWordPiece(sennrich, { vocabSize: 1000, limitAlphabet: 9 })).toEqual([
      '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
      'd', 'e', 'i', 'l', 'n', 'o', 's', 't', 'w',
      '##e', '##w', '##s', '##t', '##o', '##i', '##d',
      '##es', '##est', 'lo', 'low', 'ne', '##west', 'newest', 'wi', '##dest', 'widest', 'lowe',
    ]);
    // 京 9, 東 6, 都 5 stay; 野, （ and 𠮷 (1 each) go, 𠮷野 and （ become empty words.
    const three = learnWordPiece(tokyo, { vocabSize: 1000, limitAlphabet: 3 });
    expect(three).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '京', '東', '都', '##京', '##都', '東京', '京都', '東京都']);
    expect(pieces(three, '𠮷野')).toBeNull();
    // A tie at the cut (three characters of count 1, one place): the lowest code point, 野, stays.
    expect(learnWordPiece(tokyo, { vocabSize: 1000, limitAlphabet: 4 }).slice(5, 9)).toEqual(['京', '東', '都', '野']);
  });

  it('is deterministic and independent of the order the words were counted in', () => {
    const rand = mulberry32(7);
    const counts = new Map<string, number>();
    while (counts.size < 300) counts.set(randomWord(rand, 'abcdefghij', 8), 1 + Math.floor(rand() * 9));
    const forward = learnWordPiece(counts, { vocabSize: 200 });
    expect(learnWordPiece(counts, { vocabSize: 200 })).toEqual(forward);
    expect(learnWordPiece(new Map([...counts].reverse()), { vocabSize: 200 })).toEqual(forward);
  });

  it('reports progress and can be cancelled', () => {
    const seen: [number, number][] = [];
    learnWordPiece(sennrich, { vocabSize: 1000, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen[0]).toEqual([23, 1000]);
    expect(seen[seen.length - 1]).toEqual([35, 1000]);
    let calls = 0;
    const cancel = () => learnWordPiece(sennrich, { vocabSize: 1000, shouldStop: () => ++calls > 3 });
    expect(cancel).toThrow(ShirabeError);
    expect(cancel).toThrow(/cancelled/);
  });
});

describe('learnWordPiece: against the naive reference', () => {
  // With no character repeated inside a word, a merge never overlaps itself and no token is
  // spelled by two different merges, so tokenizers' bookkeeping and a full recount must agree
  // merge for merge.
  for (const seed of [1, 2, 3]) {
    it(`matches a full recount before every merge (seed ${seed})`, () => {
      const rand = mulberry32(seed);
      const counts = new Map<string, number>();
      while (counts.size < 400) counts.set(randomWord(rand, 'abcdefghijklmnop', 7, true), 1 + Math.floor(1 / (rand() + 0.05)));
      for (const minFrequency of [1, 2, 5]) {
        expect(learnWordPiece(counts, { vocabSize: 600, minFrequency })).toEqual(naiveWordPiece(counts, 600, minFrequency));
      }
    });
  }
});

describe('learnWordPiece: the vocabulary in the project WordPiece tokenizer', () => {
  it('segments the training words into the expected pieces', () => {
    // The full vocabulary holds every word whole; at 30 tokens "##er", "wi" and "##dest" are not learned yet.
    for (const word of sennrich.keys()) expect(pieces(sennrichVocab, word)).toEqual([word]);
    const small = learnWordPiece(sennrich, { vocabSize: 30 });
    expect(pieces(small, 'low')).toEqual(['low']);
    expect(pieces(small, 'lower')).toEqual(['low', '##e', '##r']);
    expect(pieces(small, 'newest')).toEqual(['newest']);
    expect(pieces(small, 'widest')).toEqual(['w', '##i', '##d', '##est']);
    expect(pieces(tokyoVocab, '東京都')).toEqual(['東京都']);
    expect(pieces(tokyoVocab, '𠮷野')).toEqual(['𠮷', '##野']);
  });

  it('loads as a BERT vocab.txt with the special ids 0–4', () => {
    const tok = WordPieceTokenizer.fromVocabText(learnWordPiece(sennrich, { vocabSize: 30 }).join('\n') + '\n', { lowercase: false });
    expect(tok.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(tok.encode('lower widest lowest').tokens.map((t) => t.text)).toEqual(['[CLS]', 'low', '##e', '##r', 'w', '##i', '##d', '##est', 'low', '##est', '[SEP]']);
  });
});

describe('learnWordPiece: scale', () => {
  it('learns 8,000 tokens from 20,000 distinct words', { timeout: 60_000 }, () => {
    const rand = mulberry32(20_000);
    const kana = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼ';
    const counter = new WordCounter();
    while (counter.size < 20_000) {
      const word = randomWord(rand, kana, 6);
      // Zipf-like counts: most words rare, a few very frequent.
      counter.add(Array.from({ length: 1 + Math.floor(1 / (rand() + 0.01)) }, () => word));
    }
    const vocab = learnWordPiece(counter.counts, { vocabSize: 8_000 });
    expect(vocab).toHaveLength(8_000);
    expect(new Set(vocab).size).toBe(8_000);
    for (const word of counter.counts.keys()) {
      const p = pieces(vocab, word);
      expect(p?.map((x) => x.replace(/^##/, '')).join('')).toBe(word);
    }
  });
});

describe('WordCounter', () => {
  it('counts words across documents and skips empty strings', () => {
    const counter = new WordCounter();
    counter.add(['low', 'low', '']);
    counter.add(new Set(['low', 'lower']));
    expect([...counter.counts]).toEqual([
      ['low', 3],
      ['lower', 1],
    ]);
    expect(counter.size).toBe(2);
  });
});

/** A word of 1…maxLength characters drawn from `chars`, skewed towards the first ones; optionally without repeats. */
function randomWord(rand: () => number, chars: string, maxLength: number, distinct = false): string {
  const pool = [...chars];
  const length = 1 + Math.floor(rand() * maxLength);
  let word = '';
  for (let i = 0; i < length && pool.length > 0; i++) {
    const at = Math.floor(rand() ** 2 * pool.length);
    word += pool[at];
    if (distinct) pool.splice(at, 1);
  }
  return word;
}

describe('newTokenizerFiles', () => {
  it('refuses a vocabulary entry that would break vocab.txt into extra lines', () => {
    const o = { wordSplitter: 'basic' as const, lowercase: false, maxLength: 128 };
    expect(() => newTokenizerFiles([...bertSpecialTokens, 'a', '\n'], o)).toThrow(/vocab.txt line/);
    expect((newTokenizerFiles([...bertSpecialTokens, 'a'], o).get('vocab.txt') as string).split('\n')).toHaveLength(7);
  });
});
