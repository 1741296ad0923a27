// Expected numbers: scikit-learn 1.2.1's TfidfVectorizer (test/fixtures/sklearn/topics.json, from
// scripts/fixtures/make_topics_fixtures.py); the matrix helpers against dense products worked here.
import { describe, expect, it } from 'vitest';
import { expectDense, F32, topicsFixture } from '../../../test/topicsFixture';
import {
  buildVocabulary,
  compareCodePoints,
  csrMultiply,
  csrToDense,
  csrTranspose,
  csrTransposeMultiply,
  fitTfidf,
} from './tfidf';

describe('fitTfidf against scikit-learn TfidfVectorizer', () => {
  for (const c of topicsFixture.tfidf) {
    it(`${c.name}: vocabulary order, df, idf, counts and the l2-normalised matrix`, () => {
      const model = fitTfidf(topicsFixture.documents, { minDf: c.minDf, maxDf: c.maxDf });
      expect(model.vocabulary).toEqual(c.vocabulary);
      expect(Array.from(model.documentFrequency)).toEqual(c.documentFrequency);
      model.idf.forEach((x, i) => expect(Math.abs(x - c.idf[i]), `idf[${i}]`).toBeLessThanOrEqual(1e-15 * c.idf[i]));
      expectDense(model.counts, c.counts, 0, `${c.name} counts`);
      expectDense(model.tfidf, c.tfidf, F32, `${c.name} tfidf`);
    });
  }

  it('has the study’s min_df = 10 and scikit-learn’s max_df = 1.0 as defaults', () => {
    const docs = Array.from({ length: 12 }, (_, i) => (i < 10 ? ['十回', `一回${i}`] : ['九回']));
    expect(buildVocabulary(docs).vocabulary).toEqual(['十回']);
  });

  it('refuses bounds scikit-learn refuses, and returns an empty vocabulary when nothing survives', () => {
    const docs = [['a'], ['a', 'b']];
    expect(() => buildVocabulary(docs, { minDf: 0 })).toThrow(RangeError);
    expect(() => buildVocabulary(docs, { minDf: 1.5 })).toThrow(RangeError);
    expect(() => buildVocabulary(docs, { maxDf: { proportion: 1.2 } })).toThrow(RangeError);
    expect(() => buildVocabulary(docs, { minDf: 2, maxDf: 1 })).toThrow(/fewer documents/);
    expect(() => buildVocabulary(docs, { minDf: 3 })).toThrow(/fewer documents/); // 3 > max_df=1.0's 2 documents, as scikit-learn says
    const empty = fitTfidf([['a'], ['b']], { minDf: 2 });
    expect(empty.vocabulary).toEqual([]);
    expect([empty.tfidf.rows, empty.tfidf.cols]).toEqual([2, 0]);
  });
});

describe('compareCodePoints', () => {
  it('orders as Python does beyond the BMP, where UTF-16 order differs', () => {
    const words = ['𠮷野家', '～', 'ｱ', 'z', 'あ'];
    expect([...words].sort(compareCodePoints)).toEqual(['z', 'あ', '～', 'ｱ', '𠮷野家']);
    expect([...words].sort()).not.toEqual([...words].sort(compareCodePoints));
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });
});

describe('sparse helpers for the LSA baseline', () => {
  const m = fitTfidf(topicsFixture.documents, { minDf: 2 }).tfidf;
  const dense = csrToDense(m); // [n, V]
  const naive = (a: ArrayLike<number>, ar: number, ac: number, b: ArrayLike<number>, bc: number, transposeA: boolean): number[] => {
    // [ar, ac] (or its transpose) · [., bc]
    const rows = transposeA ? ac : ar;
    const inner = transposeA ? ar : ac;
    const out: number[] = new Array<number>(rows * bc).fill(0);
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < inner; k++) {
        const x = transposeA ? a[k * ac + i] : a[i * ac + k];
        for (let j = 0; j < bc; j++) out[i * bc + j] += x * b[k * bc + j];
      }
    return out;
  };

  it('multiplies M · B and Mᵀ · A like the dense products', () => {
    const k = 3;
    const b = Float64Array.from({ length: m.cols * k }, (_, i) => Math.sin(i + 1));
    const a = Float32Array.from({ length: m.rows * k }, (_, i) => Math.cos(i + 1));
    const mb = csrMultiply(m, b, k);
    naive(dense, m.rows, m.cols, b, k, false).forEach((x, i) => expect(mb[i]).toBeCloseTo(x, 12));
    const mta = csrTransposeMultiply(m, a, k);
    naive(dense, m.rows, m.cols, a, k, true).forEach((x, i) => expect(mta[i]).toBeCloseTo(x, 12));
    expect(() => csrMultiply(m, b.subarray(1), k)).toThrow(RangeError);
  });

  it('transposes to a CSR whose dense form is the transpose', () => {
    const t = csrTranspose(m);
    const td = csrToDense(t);
    for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) expect(td[c * m.rows + r]).toBe(dense[r * m.cols + c]);
    for (let r = 0; r < t.rows; r++) for (let p = t.indptr[r] + 1; p < t.indptr[r + 1]; p++) expect(t.indices[p]).toBeGreaterThan(t.indices[p - 1]);
  });
});
