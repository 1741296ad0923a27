// A selection's words (corpus.keywords) at the edges: a corpus too large to analyse on the spot and
// not analysed yet, and a small corpus selected nearly or wholly. A stand-in analyser cuts texts at
// spaces into nouns, so the terms are known without the MeCab dictionary.
import { describe, expect, it } from 'vitest';
import type { Morpheme } from '../../../common/contract';
import type { Morphology } from '../../corpus/morphology';
import { doc, importDocs, noun, useTempProjects } from '../../../test/projectStore';
import { analyseNowAtMost, keywordsCache, selectionKeywords } from './keywords';

const { create } = useTempProjects();
const analyse = (text: string): Morpheme[] => text.split(' ').map((w, i) => noun(w, i));
let analyserLoads = 0;
const morphology = async () => (analyserLoads++, { analyse } as unknown as Morphology);

const topics = [
  ['映画', '監督'],
  ['野球', '投手'],
  ['料理', '食材'],
  ['天気', '台風'],
];
/** Document i: its topic's two words and one shared by every document. */
const textOf = (i: number) => `${topics[i % 4][0]} ${topics[i % 4][1]} 話題`;

describe('selection keywords', () => {
  it('gives no words but the unanalysed counts, not an error, for a corpus too large to analyse on the spot, however much is selected', async () => {
    const s = create();
    const n = analyseNowAtMost + 20;
    const { ids, summary } = importDocs(s, 'large', Array.from({ length: n }, (_, i) => doc(textOf(i))));
    const cache = keywordsCache();
    const ask = (documentIds: number[]) => selectionKeywords(s, { corpusId: summary.corpusId, documentIds, limit: 10 }, morphology, cache);
    analyserLoads = 0;

    // Nearly all, all and one document: none analysed, so no words; the alert's counts say why (this threw
    // "maxDf corresponds to fewer documents than minDf": the vocabulary's bounds over no documents).
    expect(await ask(ids.slice(1))).toEqual({ words: [], selected: 0, unanalysed: { selected: n - 1, corpus: n } });
    expect(await ask(ids)).toEqual({ words: [], selected: 0, unanalysed: { selected: n, corpus: n } });
    expect(await ask(ids.slice(0, 1))).toEqual({ words: [], selected: 0, unanalysed: { selected: 1, corpus: n } });
    // Too many to analyse here: left to the analysis job.
    expect(analyserLoads).toBe(0);

    // Part analysed (the job under way): the analysed part of the selection has its words.
    s.morphology.putBatch(ids.slice(0, 10).map((documentId, i) => ({ documentId, morphemes: analyse(textOf(i)) })));
    const part = await ask(ids.slice(0, 100));
    expect(part.selected).toBe(10);
    expect(part.unanalysed).toEqual({ selected: 90, corpus: n - 10 });
    expect(analyserLoads).toBe(0);
    expect(new Set(part.words.map((w) => w.word))).toEqual(new Set([...topics.flat(), '話題']));

    // All analysed: the movie documents' words lead theirs, found in each of them and nowhere else.
    s.morphology.putBatch(ids.slice(10).map((documentId, k) => ({ documentId, morphemes: analyse(textOf(10 + k)) })));
    const movies = ids.filter((_, i) => i % 4 === 0);
    const words = await ask(movies);
    expect(words.selected).toBe(movies.length);
    expect(words.unanalysed).toEqual({ selected: 0, corpus: 0 });
    expect(words.words.slice(0, 2).map((w) => w.word).sort()).toEqual([...topics[0]].sort());
    for (const w of words.words.slice(0, 2)) expect(w.lift).toBeCloseTo(n / movies.length, 10);
  });

  it('gives the words of a small corpus selected nearly whole or whole', async () => {
    const s = create();
    const n = 12;
    const { ids, summary } = importDocs(s, 'small', Array.from({ length: n }, (_, i) => doc(textOf(i))));
    const cache = keywordsCache();
    const ask = (documentIds: number[]) => selectionKeywords(s, { corpusId: summary.corpusId, documentIds, limit: 20 }, morphology, cache);
    const every = new Set([...topics.flat(), '話題']);

    // All but one movie document: every word, each in its share of the selection; the movie words under-represented.
    const nearly = await ask(ids.slice(1));
    expect(nearly.selected).toBe(n - 1);
    expect(nearly.unanalysed).toEqual({ selected: 0, corpus: 0 });
    expect(new Set(nearly.words.map((w) => w.word))).toEqual(every);
    const byWord = new Map(nearly.words.map((w) => [w.word, w]));
    expect(byWord.get('話題')).toMatchObject({ documents: n - 1, count: n - 1 });
    expect(byWord.get('話題')!.lift).toBeCloseTo(1, 10);
    expect(byWord.get('映画')!.documents).toBe(2);
    expect(byWord.get('映画')!.lift).toBeCloseTo(2 / (n - 1) / (3 / n), 10);
    for (const w of nearly.words) expect(w.score).toBeGreaterThan(0);
    const scores = nearly.words.map((w) => w.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The whole corpus: no rest to set it against, so its words by frequency, the shared word first, every lift 1.
    const whole = await ask(ids);
    expect(whole.selected).toBe(n);
    expect(whole.words[0].word).toBe('話題');
    expect(new Set(whole.words.map((w) => w.word))).toEqual(every);
    for (const w of whole.words) expect(w.lift).toBeCloseTo(1, 10);
  });
});
