// test/fixtures/sklearn/topics.json (scripts/fixtures/make_topics_fixtures.py: scikit-learn 1.2.1,
// numpy, and BERTopic's c-TF-IDF and MMR formulas) for the tests of main/ml/topics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { csrToDense, type CsrMatrix, type DocumentFrequency } from '../main/ml/topics/tfidf';

export interface TfidfCase {
  name: string;
  minDf: DocumentFrequency;
  maxDf: DocumentFrequency;
  vocabulary: string[];
  documentFrequency: number[];
  idf: number[];
  counts: number[][];
  tfidf: number[][];
}
export interface TopicsFixture {
  versions: Record<string, string>;
  documents: string[][];
  tfidf: TfidfCase[];
  assignments: number[];
  ctfidf: {
    classes: number[];
    vocabulary: string[];
    cases: {
      name: string;
      bm25Weighting: boolean;
      reduceFrequentWords: boolean;
      averageWords: number;
      meanWords: number;
      termFrequency: number[];
      idf: number[];
      ctfidf: number[][];
    }[];
  };
  study: { dim: number; embeddings: number[]; topN: number; labels: { cluster: number; terms: string[]; scores: number[] }[] };
  mmr: { diversity: number; topN: number; labels: { cluster: number; picked: string[]; terms: string[] }[] }[];
}

export const topicsFixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/sklearn/topics.json'), 'utf8')) as TopicsFixture;

/** Float32 storage of a float64 reference: within a few float32 ulps of values in [0, 1]. */
export const F32 = 2e-7;

export function expectDense(m: CsrMatrix, expected: number[][], tol: number, what: string): void {
  expect([m.rows, m.cols], `${what}: shape`).toEqual([expected.length, expected[0]?.length ?? 0]);
  const dense = csrToDense(m);
  expected.forEach((row, r) =>
    row.forEach((x, c) => expect(Math.abs(dense[r * m.cols + c] - x), `${what}[${r}, ${c}]: ${dense[r * m.cols + c]} vs ${x}`).toBeLessThanOrEqual(tol)),
  );
  // CSR invariants: ascending columns within a row, no stored zeros from counting.
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r] + 1; p < m.indptr[r + 1]; p++) expect(m.indices[p]).toBeGreaterThan(m.indices[p - 1]);
  }
}
