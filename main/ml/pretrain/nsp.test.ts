// Next-sentence pairs against BERT's create_instances_from_document, checked on documents whose
// token ids say where they came from (document × 100 + sentence × 10 + position): a "next" pair's
// B is the very next sentence(s) of A's document, a random one's comes from another document;
// about half are random; every pair fits, has both segments, the right token types, and words that
// never run across a [SEP]. Sentence splitting worked by hand.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../common/random';
import type { TokenizedDocument } from './masking';
import { sentencePairs, splitSentences } from './nsp';

describe('splitSentences', () => {
  it('cuts after Japanese and Western sentence ends (with closing quotes) and at line breaks', () => {
    expect(splitSentences('今日は晴れ。「明日は？」と聞いた。\nWhat now! Fine\n\n最後')).toEqual(['今日は晴れ。', '「明日は？」', 'と聞いた。', 'What now!', 'Fine', '最後']);
  });
});

const CLS = 2;
const SEP = 3;

/** 40 documents of 3–9 sentences of 2–6 tokens; id = 1000 + document·100 + sentence·10 + position. */
function corpus(seed: number): TokenizedDocument[][] {
  const r = mulberry32(seed);
  return Array.from({ length: 40 }, (_, d) =>
    Array.from({ length: 3 + Math.floor(r() * 7) }, (_, s) => {
      const n = 2 + Math.floor(r() * 5);
      const ids = Array.from({ length: n }, (_, p) => 1000 + d * 100 + s * 10 + p);
      return { ids, words: ids.map((_, p) => s * 10 + Math.floor(p / 2)) };
    }),
  );
}

const origin = (id: number) => ({ doc: Math.floor((id - 1000) / 100), sentence: Math.floor(((id - 1000) % 100) / 10) });

describe('sentencePairs', () => {
  const docs = corpus(1);
  const length = 24;
  const pairs = Array.from({ length: 30 }, (_, k) => sentencePairs(docs, { length, cls: CLS, sep: SEP, shortSequenceProbability: 0.1 }, mulberry32(100 + k))).flat();

  it('are [CLS] A [SEP] B [SEP] within the length, with token types 0…0 1…1 and words that stop at [SEP]', () => {
    expect(pairs.length).toBeGreaterThan(1000);
    for (const p of pairs) {
      const ids = Array.from(p.ids);
      expect(ids.length).toBeLessThanOrEqual(length);
      expect(ids[0]).toBe(CLS);
      expect(ids.at(-1)).toBe(SEP);
      const sep = ids.indexOf(SEP);
      expect(sep).toBeGreaterThan(1); // A is not empty
      expect(sep).toBeLessThan(ids.length - 2); // nor is B
      expect(Array.from(p.tokenTypes)).toEqual(ids.map((_, i) => (i <= sep ? 0 : 1)));
      expect([p.words[0], p.words[sep], p.words.at(-1)]).toEqual([-1, -1, -1]);
      const a = new Set(Array.from(p.words.slice(1, sep)));
      for (const w of p.words.slice(sep + 1, -1)) expect(a.has(w)).toBe(false);
    }
  });

  it('B continues A in its own document when labelled next, and comes from another document when random; about half are random', () => {
    let random = 0;
    for (const p of pairs) {
      const ids = Array.from(p.ids);
      const sep = ids.indexOf(SEP);
      const a = ids.slice(1, sep).map(origin);
      const b = ids.slice(sep + 1, -1).map(origin);
      if (p.nextLabel === 1) {
        random++;
        expect(b.every((o) => o.doc !== a[0].doc)).toBe(true);
      } else {
        // Same document, B after A (trimming may take tokens, even whole sentences, off A's end or B's start).
        expect(b.every((o) => o.doc === a[0].doc)).toBe(true);
        expect(b[0].sentence).toBeGreaterThan(a.at(-1)!.sentence);
      }
    }
    // BERT draws random for single-sentence chunks and for half of the others: a little over half.
    const share = random / pairs.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.7);
  });

  it('uses every document and is deterministic for a seed', () => {
    const o = { length, cls: CLS, sep: SEP, shortSequenceProbability: 0.1 };
    expect(sentencePairs(docs, o, mulberry32(5))).toEqual(sentencePairs(docs, o, mulberry32(5)));
    const seen = new Set(sentencePairs(docs, o, mulberry32(5)).flatMap((p) => Array.from(p.ids.slice(1, Array.from(p.ids).indexOf(SEP))).map((id) => origin(id).doc)));
    expect(seen.size).toBe(40);
  });
});
