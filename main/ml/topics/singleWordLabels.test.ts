// Single-word labels on hand-made vectors, worked by hand; and the same ranking as the study's
// method when the "single-word" vectors are the study's own word vectors.
import { describe, expect, it } from 'vitest';
import { topicsFixture as fx } from '../../../test/topicsFixture';
import { singleWordLabels } from './singleWordLabels';
import { studyLabels } from './studyLabels';
import { fitTfidf } from './tfidf';
import { documentScales, StudyWordEmbeddings } from './vectors';

describe('singleWordLabels', () => {
  // Two clusters in 2-D and a noise document. With unit-length documents the centroids are
  // (0.5, 0.5) for cluster 0 ((4, 0) and (0, 1)) and (0, 1) for cluster 1 ((0, 2) and (0, 5)).
  const documents = { embeddings: Float32Array.from([4, 0, 0, 1, 0, 2, 0, 5, -1, -1]), dim: 2, assignments: Int32Array.from([0, 0, 1, 1, -1]) };
  const vocabulary = ['a', 'b', 'c', 'd', 'z'];
  //                                a: (1, 0)  b: (1, 1)  c: (0, 3)  d: (-1, 0)  z: (0, 0)
  const wordEmbeddings = Float32Array.from([1, 0, 1, 1, 0, 3, -1, 0, 0, 0]);
  const input = { ...documents, wordEmbeddings, vocabulary };

  it('ranks the words by cosine with each centroid, worked by hand', () => {
    const labels = singleWordLabels(input, { topN: 5 });
    // Noise (-1) has no centroid to label.
    expect(labels.map((l) => l.cluster)).toEqual([0, 1]);
    const [c0, c1] = labels;
    // Cluster 0, centroid (0.5, 0.5): b 1, a and c 1/√2 (a first, the lower index), z 0, d −1/√2.
    expect(c0.words.map((w) => w.term)).toEqual(['b', 'a', 'c', 'z', 'd']);
    [1, Math.SQRT1_2, Math.SQRT1_2, 0, -Math.SQRT1_2].forEach((x, i) => expect(c0.words[i].score).toBeCloseTo(x, 12));
    // Cluster 1, centroid (0, 1): c 1, b 1/√2, then a, d and the zero vector z all 0, by index.
    expect(c1.words.map((w) => w.term)).toEqual(['c', 'b', 'a', 'd', 'z']);
    [1, Math.SQRT1_2, 0, 0, 0].forEach((x, i) => expect(c1.words[i].score).toBeCloseTo(x, 12));
    expect(c1.words.map((w) => w.index)).toEqual([2, 1, 0, 3, 4]);
  });

  it('keeps topN words, and without normalising takes the raw mean as the centroid', () => {
    expect(singleWordLabels(input, { topN: 2 }).map((l) => l.words.map((w) => w.term))).toEqual([['b', 'a'], ['c', 'b']]);
    // Raw centroid of cluster 0: (2, 0.5). a: 2 / √4.25 = 0.9701; b: 2.5 / (√2 · √4.25) = 0.8575.
    const raw = singleWordLabels(input, { topN: 2, normaliseDocuments: false });
    expect(raw[0].words.map((w) => w.term)).toEqual(['a', 'b']);
    expect(raw[0].words[0].score).toBeCloseTo(2 / Math.sqrt(4.25), 12);
    expect(raw[0].words[1].score).toBeCloseTo(2.5 / (Math.SQRT2 * Math.sqrt(4.25)), 12);
  });

  it('refuses word embeddings of the wrong shape', () => {
    expect(() => singleWordLabels({ ...input, wordEmbeddings: new Float32Array(8) })).toThrow('word embeddings hold 8 values, expected 5 words × 2');
    expect(() => singleWordLabels({ ...input, vocabulary: ['a'] })).toThrow(RangeError);
  });

  it('given the study’s own word vectors, ranks exactly as studyLabels', () => {
    const model = fitTfidf(fx.documents, { minDf: 2 });
    const docs = { embeddings: Float32Array.from(fx.study.embeddings), dim: fx.study.dim, assignments: Int32Array.from(fx.assignments) };
    const words = new StudyWordEmbeddings(model.tfidf, docs, documentScales(docs, true));
    const vectors = Float32Array.from(words.vectors(model.vocabulary.map((_, t) => t)));
    const single = singleWordLabels({ ...docs, wordEmbeddings: vectors, vocabulary: model.vocabulary }, { topN: fx.study.topN });
    const study = studyLabels({ ...docs, tfidf: model.tfidf, vocabulary: model.vocabulary }, { topN: fx.study.topN });
    expect(single.map((l) => l.words.map((w) => w.term))).toEqual(study.map((l) => l.words.map((w) => w.term)));
    single.forEach((l, k) => l.words.forEach((w, i) => expect(w.score).toBeCloseTo(study[k].words[i].score, 5)));
  });
});
