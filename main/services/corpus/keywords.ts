// The words of a selection of documents (a region of a map): BERTopic's class-based TF-IDF of the
// selection against the rest of its corpus, over the documents' cached MeCab morphemes cut into
// terms as the topic labels are (main/ml/topics: base forms of nouns, proper nouns and verbs, stop
// words out), with each word's lift. The corpus's term counts are kept between calls while its
// analyses do not change, so a new selection costs one pass over its count matrix.
import type { CorpusKeywords } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { buildVocabulary, classTfidf, countMatrix, defaultTermOptions, morphemeTerm, stopWordSet, topClassWords, type CsrMatrix } from '../../ml/topics/index';
import type { Morphology } from '../../corpus/morphology';
import type { ProjectStore } from '../../project/store';

/** Unanalysed documents analysed on the spot (a small corpus, or the few an import added); more are left to the analysis job. */
export const analyseNowAtMost = 500;
/** A word must be in this many of the corpus's documents (once the corpus has 50 or more), so one document's odd words do not lead. */
const minDocuments = 2;

interface CorpusTerms {
  /** Analysed documents when built: the entry is stale once more are analysed. */
  analysed: number;
  /** Document id → row of counts. */
  rows: Map<number, number>;
  vocabulary: string[];
  /** [V] documents of the corpus containing each word */
  documentFrequency: Int32Array;
  /** [n, V] each analysed document's word counts */
  counts: CsrMatrix;
}

/** Built terms by store and corpus, dropped with the store (another project opened). */
export type KeywordsCache = WeakMap<object, Map<number, CorpusTerms>>;

export function keywordsCache(): KeywordsCache {
  return new WeakMap();
}

function corpusTerms(store: ProjectStore, corpusId: number, analysed: number): CorpusTerms {
  const stop = stopWordSet(defaultTermOptions.stopWords);
  const docs: string[][] = [];
  const rows = new Map<number, number>();
  for (const { id, morphemes } of store.morphology.iterateAnalysed(corpusId)) {
    const terms: string[] = [];
    for (const m of morphemes) {
      const t = morphemeTerm(m, stop, defaultTermOptions);
      if (t !== null) terms.push(t);
    }
    rows.set(id, docs.length);
    docs.push(terms);
  }
  // No analysed document yet (a corpus of more than analyseNowAtMost documents before its analysis
  // job): no words, and no vocabulary to build, as an empty corpus's bounds cross (minDf 1 document
  // against maxDf, all of its 0); the caller reports the unanalysed documents instead.
  if (docs.length === 0) return { analysed, rows, vocabulary: [], documentFrequency: new Int32Array(0), counts: countMatrix([], []) };
  const { vocabulary, documentFrequency } = buildVocabulary(docs, { minDf: docs.length >= 50 ? minDocuments : 1 });
  return { analysed, rows, vocabulary, documentFrequency, counts: countMatrix(docs, vocabulary) };
}

export async function selectionKeywords(
  store: ProjectStore,
  input: { corpusId: number; documentIds: readonly number[]; limit: number },
  morphology: () => Promise<Morphology>,
  cache: KeywordsCache,
): Promise<CorpusKeywords> {
  const { corpusId, limit } = input;
  let analysis = store.morphology.analysis(corpusId);
  const inCorpus = new Set(analysis.map((d) => d.id));
  for (const id of input.documentIds) if (!inCorpus.has(id)) throw new ShirabeError('documentNotFound', { id });
  let missing = analysis.filter((d) => !d.analysed).length;
  if (missing > 0 && missing <= analyseNowAtMost) {
    const analyser = await morphology();
    store.morphology.putBatch(store.morphology.unanalysed(corpusId).map((d) => ({ documentId: d.id, morphemes: analyser.analyse(d.text) })));
    analysis = store.morphology.analysis(corpusId);
    missing = analysis.filter((d) => !d.analysed).length;
  }
  const analysed = analysis.length - missing;

  let byCorpus = cache.get(store);
  if (!byCorpus) cache.set(store, (byCorpus = new Map()));
  let terms = byCorpus.get(corpusId);
  if (!terms || terms.analysed !== analysed) byCorpus.set(corpusId, (terms = corpusTerms(store, corpusId, analysed)));

  const assignments = new Int32Array(terms.counts.rows);
  let selected = 0;
  let unanalysedSelected = 0;
  for (const id of new Set(input.documentIds)) {
    const r = terms.rows.get(id);
    if (r === undefined) unanalysedSelected++;
    else {
      assignments[r] = 1;
      selected++;
    }
  }
  const unanalysed = { selected: unanalysedSelected, corpus: missing };
  if (selected === 0 || terms.vocabulary.length === 0) return { words: [], selected, unanalysed };

  // The selection is class 1, the rest of the corpus class 0 (absent when everything is selected).
  const model = classTfidf(terms.counts, assignments);
  const top = topClassWords(model, terms.vocabulary, 1, limit);
  const k = model.classes.indexOf(1);
  const classCount = new Map<number, number>();
  for (let p = model.classCounts.indptr[k]; p < model.classCounts.indptr[k + 1]; p++) classCount.set(model.classCounts.indices[p], model.classCounts.data[p]);
  const wanted = new Map(top.map((w) => [w.index, 0]));
  const { indptr, indices } = terms.counts;
  for (let r = 0; r < assignments.length; r++) {
    if (assignments[r] !== 1) continue;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const n = wanted.get(indices[p]);
      if (n !== undefined) wanted.set(indices[p], n + 1);
    }
  }
  const total = terms.counts.rows;
  return {
    words: top.map((w) => {
      const documents = wanted.get(w.index) ?? 0;
      return { word: w.term, score: w.score, count: classCount.get(w.index) ?? 0, documents, lift: documents / selected / (terms.documentFrequency[w.index] / total) };
    }),
    selected,
    unanalysed,
  };
}
