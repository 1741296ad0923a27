// The morphology cache: each document's analysis (MeCab-IPADIC morphemes, as JSON) and its
// morpheme count on the document, so statistics can count morphemes without parsing the JSON.
import type Database from 'better-sqlite3';
import type { Morpheme } from '../../../../common/contract';
import type { CorporaRepository } from './corpora';
import type { DocumentsRepository } from './documents';
import { parseJson } from '../json';

export interface UnanalysedDocument {
  id: number;
  text: string;
}

/** The morphology cache of one connection (ProjectStore.morphology). */
export function morphologyRepository(db: () => Database.Database, corpora: CorporaRepository, documents: DocumentsRepository) {
  /** put() for many documents in one transaction. */
  const putBatch = (items: readonly { documentId: number; morphemes: Morpheme[] }[]): void => {
    const d = db();
    const put = d.prepare('INSERT OR REPLACE INTO morphology (document_id, json) VALUES (?, ?)');
    const count = d.prepare('UPDATE documents SET morphemes = ? WHERE id = ?');
    d.transaction(() => {
      for (const { documentId, morphemes } of items) {
        documents.require(documentId);
        put.run(documentId, JSON.stringify(morphemes));
        count.run(morphemes.length, documentId);
      }
    })();
  };

  return {
    /** The cached analysis of a document, or null when it has not been analysed yet. */
    get(documentId: number): Morpheme[] | null {
      documents.require(documentId);
      const row = db().prepare('SELECT json FROM morphology WHERE document_id = ?').get(documentId) as { json: string } | undefined;
      return row ? (parseJson(row.json, null) as Morpheme[] | null) : null;
    },

    /**
     * Caches a document's analysis and its morpheme count. Note: while an import is open, this
     * becomes part of the import's transaction (and is undone with it; it is only a cache).
     */
    put(documentId: number, morphemes: Morpheme[]): void {
      putBatch([{ documentId, morphemes }]);
    },

    putBatch,

    /** How many documents of a corpus still need analysing. */
    countUnanalysed(corpusId: number): number {
      corpora.require(corpusId);
      return (db().prepare('SELECT count(*) AS n FROM documents WHERE corpus_id = ? AND morphemes IS NULL').get(corpusId) as { n: number }).n;
    },

    /** The ids of a corpus's documents and whether each has been analysed, in ordinal order. */
    analysis(corpusId: number): { id: number; analysed: boolean }[] {
      corpora.require(corpusId);
      return (db().prepare('SELECT id, morphemes IS NOT NULL AS analysed FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as { id: number; analysed: number }[]).map((r) => ({
        id: r.id,
        analysed: r.analysed === 1,
      }));
    },

    /** The cached analyses of a corpus's documents, in ordinal order, one row at a time (the JSON parsed as it is read). */
    *iterateAnalysed(corpusId: number): IterableIterator<{ id: number; morphemes: Morpheme[] }> {
      corpora.require(corpusId);
      const rows = db()
        .prepare('SELECT d.id, m.json FROM documents d JOIN morphology m ON m.document_id = d.id WHERE d.corpus_id = ? ORDER BY d.ordinal')
        .iterate(corpusId) as IterableIterator<{ id: number; json: string }>;
      for (const r of rows) yield { id: r.id, morphemes: (parseJson(r.json, []) as Morpheme[] | null) ?? [] };
    },

    /** The documents of a corpus not analysed yet, in ordinal order, all at once. */
    unanalysed(corpusId: number): UnanalysedDocument[] {
      corpora.require(corpusId);
      return db().prepare('SELECT id, text FROM documents WHERE corpus_id = ? AND morphemes IS NULL ORDER BY ordinal').all(corpusId) as UnanalysedDocument[];
    },

    /**
     * unanalysed() fetched in batches (less memory for big corpora); the caller may put() between
     * items, as no statement stays open across yields.
     */
    iterateUnanalysed(corpusId: number, batchSize = 256): IterableIterator<UnanalysedDocument> {
      corpora.require(corpusId);
      const stmt = db().prepare(
        'SELECT id, text, ordinal FROM documents WHERE corpus_id = ? AND ordinal > ? AND morphemes IS NULL ORDER BY ordinal LIMIT ?',
      );
      function* iterate(): IterableIterator<UnanalysedDocument> {
        let after = -Infinity;
        for (;;) {
          const batch = stmt.all(corpusId, after, batchSize) as { id: number; text: string; ordinal: number }[];
          for (const row of batch) yield { id: row.id, text: row.text };
          if (batch.length < batchSize) return;
          after = batch[batch.length - 1].ordinal;
        }
      }
      return iterate();
    },
  };
}

export type MorphologyRepository = ReturnType<typeof morphologyRepository>;
