// Expected numbers: BERTopic's c-TF-IDF (_ctfidf.py) and MMR (_mmr.py) formulas written out in
// numpy by scripts/fixtures/make_topics_fixtures.py (test/fixtures/sklearn/topics.json).
import { describe, expect, it } from 'vitest';
import { expectDense, topicsFixture } from '../../../test/topicsFixture';
import { classTfidf, ctfidfLabels, maximalMarginalRelevance, topClassWords } from './ctfidf';
import { fitTfidf } from './tfidf';

const fx = topicsFixture;
const model = fitTfidf(fx.documents, { minDf: 2 });
const assignments = Int32Array.from(fx.assignments);
const embeddings = Float32Array.from(fx.study.embeddings);

describe('classTfidf against BERTopic’s formula', () => {
  it('uses the same vocabulary as the fixture', () => {
    expect(model.vocabulary).toEqual(fx.ctfidf.vocabulary);
  });

  for (const c of fx.ctfidf.cases) {
    it(`${c.name}: A truncated, f_t, idf and the c-TF-IDF matrix`, () => {
      const m = classTfidf(model.counts, assignments, { bm25Weighting: c.bm25Weighting, reduceFrequentWords: c.reduceFrequentWords });
      expect(Array.from(m.classes)).toEqual(fx.ctfidf.classes);
      // 13.5 words per class on average: BERTopic's int() makes A = 13.
      expect(c.meanWords).not.toBe(c.averageWords);
      expect(m.averageWords).toBe(c.averageWords);
      expect(Array.from(m.termFrequency)).toEqual(c.termFrequency);
      m.idf.forEach((x, i) => expect(Math.abs(x - c.idf[i]), `idf[${i}]`).toBeLessThanOrEqual(1e-15 * Math.abs(c.idf[i]) + 1e-16));
      expectDense(m.ctfidf, c.ctfidf, 2e-7 * Math.max(...c.ctfidf.flat()), `${c.name} c-TF-IDF`);
    });
  }

  it('ranks a class’s words by c-TF-IDF and leaves zero scores out', () => {
    const m = classTfidf(model.counts, assignments);
    const dense = fx.ctfidf.cases[0].ctfidf;
    fx.ctfidf.classes.forEach((cls, k) => {
      const words = topClassWords(m, model.vocabulary, cls, 100);
      const nonzero = dense[k].filter((x) => x > 0).length;
      expect(words).toHaveLength(nonzero);
      for (let i = 1; i < words.length; i++) expect(words[i].score).toBeLessThanOrEqual(words[i - 1].score);
      words.forEach((w) => expect(Math.abs(w.score - dense[k][w.index])).toBeLessThan(1e-7));
    });
  });
});

describe('MMR against BERTopic’s mmr', () => {
  for (const c of fx.mmr) {
    it(`diversity ${c.diversity}: the words picked, in c-TF-IDF order`, () => {
      const { labels } = ctfidfLabels(
        { counts: model.counts, vocabulary: model.vocabulary, assignments, mmr: { diversity: c.diversity, tfidf: model.tfidf, embeddings, dim: fx.study.dim } },
        { topN: c.topN },
      );
      expect(labels.map((l) => ({ cluster: l.cluster, terms: l.words.map((w) => w.term) }))).toEqual(c.labels.map((l) => ({ cluster: l.cluster, terms: l.terms })));
    });
  }

  it('keeps the order it picked in, the first being the nearest the topic', () => {
    // Three 2-D words: a on the topic, b beside a, c further off but unlike a.
    const words = Float64Array.from([1, 0, 0.99, 0.14, 0.6, -0.8]); // [3, 2]
    expect(maximalMarginalRelevance(words, [1, 0], 2, 0, 3)).toEqual([0, 1, 2]);
    expect(maximalMarginalRelevance(words, [1, 0], 2, 0.7, 2)).toEqual([0, 2]);
    expect(maximalMarginalRelevance(words, [1, 0], 2, 0.5, 10)).toHaveLength(3);
  });

  it('refuses a diversity outside [0, 1]', () => {
    expect(() =>
      ctfidfLabels({ counts: model.counts, vocabulary: model.vocabulary, assignments, mmr: { diversity: 1.5, tfidf: model.tfidf, embeddings, dim: fx.study.dim } }),
    ).toThrow(RangeError);
  });
});
