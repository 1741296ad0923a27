// Corpus statistics: documents by label and split, and the length distribution in characters or
// morphemes (the pure histogram and summary are in text.ts).
import type Database from 'better-sqlite3';
import type { CorpusStats } from '../../../../common/contract';
import type { CorporaRepository } from './corpora';
import { histogram, summarize } from './text';

/** The statistics of one connection (ProjectStore.stats). */
export function statsRepository(db: () => Database.Database, corpora: CorporaRepository) {
  return {
    /**
     * Length statistics of a corpus's documents in characters (code points) or morphemes (only the
     * documents analysed so far; `analysed` says how many).
     */
    get(corpusId: number, unit: 'chars' | 'morphemes', bins: number): CorpusStats {
      const corpus = corpora.require(corpusId);
      const t = corpora.composition(corpusId);
      const column = unit === 'chars' ? 'chars' : 'morphemes';
      const values = (
        db().prepare(`SELECT ${column} AS v FROM documents WHERE corpus_id = ? AND ${column} IS NOT NULL`).raw().all(corpusId) as [number][]
      ).map((r) => r[0]);
      const analysed = (
        db().prepare('SELECT count(*) AS n FROM documents WHERE corpus_id = ? AND morphemes IS NOT NULL').get(corpusId) as { n: number }
      ).n;
      return {
        corpusId,
        documents: t.documents,
        labels: t.labels,
        splits: t.splits,
        unit,
        histogram: histogram(values, bins),
        ...summarize(values),
        emptySkipped: corpus.emptySkipped,
        duplicates: corpus.duplicates,
        analysed,
      };
    },
  };
}

export type StatsRepository = ReturnType<typeof statsRepository>;
