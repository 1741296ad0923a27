// Alignment through transformations; every expected span is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { identity, prepend, spanOf, strip, transform, type Aligned } from './align';

const pairs = (al: Aligned) => al.start.map((s, i) => [s, al.end[i]]);

describe('transform', () => {
  it('keeps surrogate pairs together', () => {
    // 😀 is units 0–1; both units point at [0, 2).
    expect(pairs(identity('😀a', 5))).toEqual([
      [5, 7],
      [5, 7],
      [7, 8],
    ]);
  });

  it('per cluster when that reproduces the whole result (NFKC)', () => {
    // Ｆ → F (unit 0); ﬁ → f i (both from unit 1); ｶﾞ → ガ (from units 2–3).
    const al = transform(identity('Ｆﬁｶﾞ'), (s) => s.normalize('NFKC'));
    expect(al.text).toBe('Ffiガ');
    expect(pairs(al)).toEqual([
      [0, 1],
      [1, 2],
      [1, 2],
      [2, 4],
    ]);
  });

  it('by growing prefixes when clusters interact (collapsing spaces)', () => {
    // "a   b" → "a b": per cluster each space stays a space, so the whole differs. Prefixes: "a" → "a";
    // "a " → "a " (the space from unit 1); "a  " and "a   " add nothing; "a   b" → "a b": b from unit 4.
    const al = transform(identity('a   b'), (s) => s.replace(/ +/g, ' '));
    expect(al.text).toBe('a b');
    expect(pairs(al)).toEqual([
      [0, 1],
      [1, 2],
      [4, 5],
    ]);
  });

  it('by growing prefixes for context-dependent casing (final sigma)', () => {
    // JavaScript lower-cases a final Σ to ς only at the end of a word, so per-cluster σ ≠ whole ς.
    const al = transform(identity('ΟΣ'), (s) => s.toLowerCase());
    expect(al.text).toBe('ος');
    expect(pairs(al)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});

describe('prepend, strip, spanOf', () => {
  it('prepends aligned with the first unit; nothing for empty text', () => {
    // As tokenizers' Prepend: the added ▁ points at the first character.
    expect(pairs(prepend(identity('ab', 3), '▁'))).toEqual([
      [3, 4],
      [3, 4],
      [4, 5],
    ]);
    expect(prepend(identity(''), '▁').text).toBe('');
  });

  it('strips whitespace and keeps where the rest came from', () => {
    const al = strip(identity('  ab '), true, true);
    expect(al.text).toBe('ab');
    expect(pairs(al)).toEqual([
      [2, 3],
      [3, 4],
    ]);
  });

  it('spans ranges and empty ranges', () => {
    const al = identity('abc', 10);
    expect(spanOf(al, 0, 3)).toEqual([10, 13]);
    expect(spanOf(al, 1, 1)).toEqual([11, 11]);
    expect(spanOf(al, 3, 3)).toEqual([13, 13]);
    expect(spanOf(identity('', 4), 0, 0)).toEqual([4, 4]);
  });
});
