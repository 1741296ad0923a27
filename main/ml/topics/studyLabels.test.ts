// Expected numbers: the study's word vectors and cosines in numpy (test/fixtures/sklearn/topics.json,
// scripts/fixtures/make_topics_fixtures.py). Expected words: those planted in a synthetic corpus.
import { describe, expect, it } from 'vitest';
import { mulberry32, normals } from '../../../common/random';
import { topicsFixture } from '../../../test/topicsFixture';
import { ctfidfLabels } from './ctfidf';
import { frequentWordLabels, labelLift, lift, liftTable, meanLift } from './lift';
import { studyDefaults, studyLabels } from './studyLabels';
import { corpusTerms, type TermMorpheme } from './terms';
import { fitTfidf } from './tfidf';
import { representativeDocuments, type ClusterLabels } from './vectors';

const fx = topicsFixture;

describe('studyLabels against numpy', () => {
  it('gives the reference label words and cosines', () => {
    const model = fitTfidf(fx.documents, { minDf: 2 });
    const labels = studyLabels(
      { tfidf: model.tfidf, vocabulary: model.vocabulary, embeddings: Float32Array.from(fx.study.embeddings), dim: fx.study.dim, assignments: Int32Array.from(fx.assignments) },
      { topN: fx.study.topN },
    );
    // Noise (-1) has no centroid to label.
    expect(labels.map((l) => l.cluster)).toEqual(fx.study.labels.map((l) => l.cluster));
    labels.forEach((l, k) => {
      expect(l.words.map((w) => w.term)).toEqual(fx.study.labels[k].terms);
      l.words.forEach((w, i) => expect(Math.abs(w.score - fx.study.labels[k].scores[i])).toBeLessThan(1e-6));
    });
  });

  it('keeps the study’s defaults', () => {
    expect(studyDefaults).toEqual({ k: 20, topN: 20, minDf: 10 });
  });
});

// ---------------------------------------------------------------- a corpus with planted topics

const noun = (w: string): TermMorpheme => ({ surface: w, pos: '名詞', posDetail: ['一般'], baseForm: w });
const verb = (surface: string, base: string): TermMorpheme => ({ surface, pos: '動詞', posDetail: ['自立'], baseForm: base });
const latin = (w: string): TermMorpheme => ({ surface: w, pos: '名詞', posDetail: ['固有名詞', '組織'], baseForm: '' });
const particle = (w: string): TermMorpheme => ({ surface: w, pos: '助詞', posDetail: ['格助詞', '一般'], baseForm: w });
const punct: TermMorpheme = { surface: '。', pos: '記号', posDetail: ['句点'], baseForm: '。' };
// What the term rules must drop, in every document: a number, a pronoun, a formal noun, a suffix,
// an auxiliary verb, a stop verb.
const debris: TermMorpheme[] = [
  { surface: '3', pos: '名詞', posDetail: ['数'], baseForm: '' },
  { surface: '私', pos: '名詞', posDetail: ['代名詞', '一般'], baseForm: '私' },
  { surface: 'こと', pos: '名詞', posDetail: ['非自立', '一般'], baseForm: 'こと' },
  { surface: 'たち', pos: '名詞', posDetail: ['接尾', '一般'], baseForm: 'たち' },
  { surface: 'いる', pos: '動詞', posDetail: ['非自立'], baseForm: 'いる' },
  { surface: 'し', pos: '動詞', posDetail: ['自立'], baseForm: 'する' },
];

const topics: { name: string; morphemes: TermMorpheme[]; terms: string[] }[] = [
  {
    name: 'sports',
    morphemes: [noun('サッカー'), noun('選手'), noun('監督'), noun('ゴール'), noun('チーム'), noun('野球'), verb('走っ', '走る'), verb('勝っ', '勝つ')],
    terms: ['サッカー', '選手', '監督', 'ゴール', 'チーム', '野球', '走る', '勝つ'],
  },
  {
    name: 'food',
    morphemes: [noun('ラーメン'), noun('カレー'), noun('料理'), noun('スープ'), noun('寿司'), noun('味'), verb('食べ', '食べる'), verb('焼い', '焼く')],
    terms: ['ラーメン', 'カレー', '料理', 'スープ', '寿司', '味', '食べる', '焼く'],
  },
  {
    name: 'computers',
    morphemes: [latin('Python'), latin('GPU'), noun('プログラム'), noun('メモリ'), noun('データ'), noun('計算'), verb('書い', '書く'), verb('動かし', '動かす')],
    terms: ['python', 'gpu', 'プログラム', 'メモリ', 'データ', '計算', '書く', '動かす'],
  },
];
// Words common to every topic: in every document, so more frequent in each cluster than any one
// topic word (which is in half the cluster's documents).
const generic = [noun('人'), noun('情報')];

const PER_TOPIC = 30;
const DIM = 16;

function plantedCorpus(genericRepeats: number): { morphemes: TermMorpheme[][]; embeddings: Float32Array; assignments: Int32Array } {
  const uniform = mulberry32(17);
  const gauss = normals(uniform);
  const morphemes: TermMorpheme[][] = [];
  const embeddings = new Float32Array(topics.length * PER_TOPIC * DIM); // [n, d]
  const assignments = new Int32Array(topics.length * PER_TOPIC); // [n] the planted topic
  let n = 0;
  topics.forEach((topic, t) => {
    for (let j = 0; j < PER_TOPIC; j++) {
      // Four of the eight topic words, each in 15 of the topic's 30 documents (above min_df 10).
      const picks = [j, j + 1, j + 3, j + 5].map((x) => topic.morphemes[x % 8]);
      const doc: TermMorpheme[] = [];
      for (const w of picks) {
        const times = uniform() < 0.5 ? 1 : 2;
        for (let r = 0; r < times; r++) doc.push(w, particle('を'));
      }
      for (const g of generic) for (let r = 0; r < genericRepeats; r++) doc.push(g, particle('が'));
      doc.push(...debris, punct);
      morphemes.push(doc);
      // The topic's direction (axis t), plus noise in every dimension.
      for (let k = 0; k < DIM; k++) embeddings[n * DIM + k] = (k === t ? 3 : 0) + 0.5 * gauss();
      assignments[n] = t;
      n++;
    }
  });
  return { morphemes, embeddings, assignments };
}

const corpus = plantedCorpus(1);
const docTerms = corpusTerms(corpus.morphemes);
const model = fitTfidf(docTerms); // the study's min_df = 10
const TOP = 8;
const input = { tfidf: model.tfidf, vocabulary: model.vocabulary, embeddings: corpus.embeddings, dim: DIM, assignments: corpus.assignments };
const termsOf = (labels: ClusterLabels[]): string[][] => labels.map((l) => l.words.map((w) => w.term));

describe('both methods on planted topics', () => {
  it('cuts the documents into whole planted morphemes only', () => {
    const planted = new Set([...topics.flatMap((t) => t.terms), '人', '情報']);
    expect(new Set(docTerms.flat())).toEqual(planted);
    expect(model.vocabulary).toHaveLength(planted.size);
  });

  it('the study’s method returns each topic’s planted words', () => {
    const labels = studyLabels(input, { topN: TOP });
    termsOf(labels).forEach((words, t) => expect(new Set(words), topics[t].name).toEqual(new Set(topics[t].terms)));
  });

  it('by default ignores each document embedding’s length', () => {
    const scaled = Float32Array.from(corpus.embeddings, (x, i) => x * (1 + (Math.floor(i / DIM) % 7))); // row i × (1 + i mod 7)
    const a = studyLabels(input, { topN: TOP });
    const b = studyLabels({ ...input, embeddings: scaled }, { topN: TOP });
    b.forEach((l, k) => l.words.forEach((w, i) => expect(w.score).toBeCloseTo(a[k].words[i].score, 6)));
    const raw = studyLabels({ ...input, embeddings: scaled }, { topN: TOP, normaliseDocuments: false });
    expect(raw.some((l, k) => l.words.some((w, i) => Math.abs(w.score - a[k].words[i].score) > 1e-3))).toBe(true);
  });

  it('c-TF-IDF returns each topic’s planted words, with and without MMR', () => {
    const plain = ctfidfLabels({ counts: model.counts, vocabulary: model.vocabulary, assignments: corpus.assignments }, { topN: TOP });
    termsOf(plain.labels).forEach((words, t) => expect(new Set(words), topics[t].name).toEqual(new Set(topics[t].terms)));
    const diverse = ctfidfLabels(
      { counts: model.counts, vocabulary: model.vocabulary, assignments: corpus.assignments, mmr: { diversity: 0.3, tfidf: model.tfidf, embeddings: corpus.embeddings, dim: DIM } },
      { topN: 6 },
    );
    termsOf(diverse.labels).forEach((words, t) => {
      expect(words).toHaveLength(6);
      for (const w of words) expect(topics[t].terms, topics[t].name).toContain(w);
    });
  });

  it('with the shared words twice in every document, c-TF-IDF admits one, reduce_frequent_words and the study’s method do not', () => {
    // idf = ln(1 + A / f_t) never reaches 0, so a word frequent enough everywhere outranks topic
    // words (BERTopic's reduce_frequent_words and stop words are its remedies).
    const heavy = plantedCorpus(2);
    const m = fitTfidf(corpusTerms(heavy.morphemes));
    const c = ctfidfLabels({ counts: m.counts, vocabulary: m.vocabulary, assignments: heavy.assignments }, { topN: TOP });
    for (const words of termsOf(c.labels)) expect(words).toContain('人');
    const s = studyLabels({ tfidf: m.tfidf, vocabulary: m.vocabulary, embeddings: heavy.embeddings, dim: DIM, assignments: heavy.assignments }, { topN: TOP });
    termsOf(s).forEach((words, t) => expect(new Set(words), topics[t].name).toEqual(new Set(topics[t].terms)));
    const r = ctfidfLabels({ counts: m.counts, vocabulary: m.vocabulary, assignments: heavy.assignments }, { topN: TOP, reduceFrequentWords: true });
    termsOf(r.labels).forEach((words, t) => expect(new Set(words), topics[t].name).toEqual(new Set(topics[t].terms)));
  });

  it('the study’s labels are more cluster-specific (mean lift) than the clusters’ most frequent words', () => {
    const table = liftTable(model.counts, corpus.assignments);
    const study = labelLift(table, studyLabels(input, { topN: TOP }));
    const frequent = frequentWordLabels(model.counts, model.vocabulary, corpus.assignments, TOP);
    const baseline = labelLift(table, frequent);
    // The baseline's lists start with the words every cluster shares (lift 1).
    for (const l of frequent) expect(l.words.slice(0, 2).map((w) => w.term).sort()).toEqual(['人', '情報']);
    // A topic word is in half its cluster's documents and a sixth of all: lift 3, the most possible here.
    expect(study.mean).toBeCloseTo(3, 12);
    expect(baseline.mean).toBeCloseTo((2 * 1 + 6 * 3) / 8, 12);
    expect(study.mean).toBeGreaterThan(baseline.mean);
  });

  it('picks representative documents nearest the centroid, from the cluster', () => {
    const reps = representativeDocuments(input);
    expect(reps.map((r) => r.cluster)).toEqual([0, 1, 2]);
    for (const r of reps) {
      expect(r.documents).toHaveLength(3);
      for (const i of r.documents) expect(corpus.assignments[i]).toBe(r.cluster);
      for (let i = 1; i < r.scores.length; i++) expect(r.scores[i]).toBeLessThanOrEqual(r.scores[i - 1]);
    }
  });
});

describe('lift', () => {
  // Six documents, two clusters and a noise document; term 0 only in cluster 0, term 1 everywhere.
  const counts = fitTfidf([['a', 'b'], ['a', 'b'], ['b'], ['b', 'c'], ['b', 'c'], ['b']], { minDf: 1 }).counts;
  const table = liftTable(counts, Int32Array.from([0, 0, 0, 1, 1, -1]));

  it('is P(w | c) / P(w) over documents, worked by hand', () => {
    // a: P(a | 0) = 2/3, P(a) = 2/6: lift 2. b: in every document: lift 1. c in cluster 1: (2/2)/(2/6) = 3.
    expect(lift(table, 0, 0)).toBeCloseTo(2, 15);
    expect(lift(table, 0, 1)).toBeCloseTo(1, 15);
    expect(lift(table, 1, 2)).toBeCloseTo(3, 15);
    expect(lift(table, 0, 2)).toBe(0);
    expect(meanLift(table, 0, [0, 1])).toBeCloseTo(1.5, 15);
    expect(meanLift(table, 0, [])).toBeNaN();
    expect(lift(table, 7, 0)).toBe(0);
  });
});
