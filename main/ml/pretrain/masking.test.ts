// Packing worked by hand; masking measured over many seeded draws against what BERT's recipe
// promises: round(15% of the sequence) tokens chosen, whole words only, specials never, and the
// chosen tokens split 80/10/10 between [MASK], a random non-special token and themselves. Every
// tolerance is several standard deviations of the binomial count it bounds.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../common/random';
import { maskSequence, notPredicted, packDocuments, roundHalfEven, type PackedSequence } from './masking';

const CLS = 2;
const SEP = 3;
const MASK = 4;

describe('packDocuments', () => {
  it('runs documents on with [SEP] between them, [CLS] … [SEP] around each sequence, words renumbered', () => {
    const docs = [
      { ids: [10, 11, 12], words: [0, 0, 1] }, // two words: 10 11 | 12
      { ids: [20, 21], words: [5, 6] },
      { ids: [], words: [] }, // empty: skipped
      { ids: [30, 31, 32, 33, 34], words: [0, 1, 1, 1, 2] },
    ];
    // Stream: 10 11 12 [SEP] 20 21 [SEP] 30 31 32 33 34; 4 tokens between [CLS] and [SEP] (length 6).
    const packed = packDocuments(docs, { length: 6, cls: CLS, sep: SEP }).map((s) => [Array.from(s.ids), Array.from(s.words)]);
    expect(packed).toEqual([
      // The [SEP] after document 1 fills the first sequence: it is dropped, not doubled.
      [[CLS, 10, 11, 12, SEP], [-1, 0, 0, 1, -1]],
      [[CLS, 20, 21, SEP, 30, SEP], [-1, 2, 3, -1, 4, -1]],
      [[CLS, 31, 32, 33, 34, SEP], [-1, 5, 5, 5, 6, -1]],
    ]);
  });

  it('refuses a length with no room for text', () => {
    expect(() => packDocuments([], { length: 2, cls: CLS, sep: SEP })).toThrow(/no room/);
  });
});

describe('roundHalfEven', () => {
  it('is Python round(): halves to even', () => {
    expect([0.5, 1.5, 2.5, 3.49, 3.51, 19.2].map(roundHalfEven)).toEqual([0, 2, 2, 3, 4, 19]);
  });
});

/** A 128-token sequence of words 1–4 tokens long (seeded), [CLS] and [SEP] at the ends. */
function sequence(seed: number): PackedSequence {
  const r = mulberry32(seed);
  const ids = [CLS];
  const words = [-1];
  let w = 0;
  while (ids.length < 127) {
    const len = Math.min(1 + Math.floor(r() * 4), 127 - ids.length);
    for (let k = 0; k < len; k++) {
      ids.push(100 + Math.floor(r() * 900));
      words.push(w);
    }
    w++;
  }
  ids.push(SEP);
  words.push(-1);
  return { ids: Int32Array.from(ids), words: Int32Array.from(words) };
}

const replacementIds = Array.from({ length: 995 }, (_, i) => i + 5); // 5…999: everything but the specials 0–4

describe('maskSequence over 4,000 sequences of 128 tokens', () => {
  const draws = 4000;
  const stats = (wholeWord: boolean) => {
    const random = mulberry32(wholeWord ? 11 : 12);
    let chosen = 0;
    let masked = 0;
    let replaced = 0;
    let kept = 0;
    let partialWords = 0;
    let specialsChosen = 0;
    let badReplacement = 0;
    let changedUnchosen = 0;
    let wrongLabels = 0;
    let maxChosen = 0;
    let minChosen = Infinity;
    const byPosition = new Float64Array(128);
    for (let d = 0; d < draws; d++) {
      const seq = sequence(d);
      const m = maskSequence(seq, { probability: 0.15, wholeWord, maskId: MASK, replacementIds }, random);
      let c = 0;
      const wordState = new Map<number, Set<boolean>>();
      for (let i = 0; i < 128; i++) {
        const isChosen = m.labels[i] !== notPredicted;
        if (seq.words[i] >= 0) wordState.set(seq.words[i], (wordState.get(seq.words[i]) ?? new Set()).add(isChosen));
        if (!isChosen) {
          if (m.ids[i] !== seq.ids[i]) changedUnchosen++;
          continue;
        }
        c++;
        byPosition[i]++;
        if (m.labels[i] !== seq.ids[i]) wrongLabels++;
        if (seq.words[i] < 0) specialsChosen++;
        if (m.ids[i] === MASK) masked++;
        else if (m.ids[i] === seq.ids[i]) kept++;
        else {
          replaced++;
          if (m.ids[i] < 5) badReplacement++;
        }
      }
      for (const s of wordState.values()) if (s.size === 2) partialWords++;
      chosen += c;
      maxChosen = Math.max(maxChosen, c);
      minChosen = Math.min(minChosen, c);
    }
    // Unchosen positions keep their token; chosen ones are labelled with the original.
    expect([changedUnchosen, wrongLabels]).toEqual([0, 0]);
    return { chosen, masked, replaced, kept, partialWords, specialsChosen, badReplacement, maxChosen, minChosen, byPosition };
  };

  // round(128 × 0.15) = round(19.2) = 19 tokens per sequence, the specials counted in the length as BERT counts them.
  it('token masking: exactly 19 tokens a sequence, never [CLS] or [SEP], 80/10/10', () => {
    const s = stats(false);
    expect([s.minChosen, s.maxChosen]).toEqual([19, 19]);
    expect(s.specialsChosen).toBe(0);
    const n = s.chosen; // 76,000; binomial sd of a 10% share ≈ 0.11%, of 80% ≈ 0.15%
    expect(Math.abs(s.masked / n - 0.8)).toBeLessThan(0.006);
    expect(Math.abs(s.replaced / n - 0.1)).toBeLessThan(0.005);
    // A random replacement equal to the original (1 in 995) counts as kept here.
    expect(Math.abs(s.kept / n - (0.1 + 0.1 / 995))).toBeLessThan(0.005);
    expect(s.badReplacement).toBe(0);
    // Every text position equally likely: 4,000 × 19/126 ≈ 603 each, sd ≈ 23.
    const texts = Array.from(s.byPosition.slice(1, 127));
    expect(Math.min(...texts)).toBeGreaterThan(603 - 5 * 23);
    expect(Math.max(...texts)).toBeLessThan(603 + 5 * 23);
    expect([s.byPosition[0], s.byPosition[127]]).toEqual([0, 0]);
  });

  it('whole-word masking: whole words only, at most 19 tokens and close to it, 80/10/10', () => {
    const s = stats(true);
    expect(s.partialWords).toBe(0);
    expect(s.specialsChosen).toBe(0);
    expect(s.maxChosen).toBe(19);
    // Skipping words that would overshoot leaves a sequence at 19 nearly always (a 1-token word is usually left to fill).
    expect(s.chosen / draws).toBeGreaterThan(18.9);
    expect(s.minChosen).toBeGreaterThanOrEqual(16);
    const n = s.chosen;
    expect(Math.abs(s.masked / n - 0.8)).toBeLessThan(0.006);
    expect(Math.abs(s.replaced / n - 0.1)).toBeLessThan(0.005);
    expect(s.badReplacement).toBe(0);
  });

  it('is deterministic for a seed, and a sequence of specials only is left alone', () => {
    const seq = sequence(1);
    const o = { probability: 0.15, wholeWord: true, maskId: MASK, replacementIds };
    expect(maskSequence(seq, o, mulberry32(5))).toEqual(maskSequence(seq, o, mulberry32(5)));
    expect(maskSequence(seq, o, mulberry32(5))).not.toEqual(maskSequence(seq, o, mulberry32(6)));
    const empty = maskSequence({ ids: Int32Array.from([CLS, SEP]), words: Int32Array.from([-1, -1]) }, o, mulberry32(1));
    expect(Array.from(empty.labels)).toEqual([notPredicted, notPredicted]);
  });
});
