// Full-text search over the documents: the trigram index (FTS5, detail=none) narrows the
// candidates, instr() confirms the exact substring. termFilters is shared with the document
// listing (documents.ts); the KWIC concordance lives here.
import type Database from 'better-sqlite3';
import type { KwicLine, KwicSort } from '../../../../common/contract';
import { ShirabeError } from '../../../../common/errors';
import type { CorporaRepository } from './corpora';
import { compareKwic, countCodePoints, findAll, kwicContext, lowerAscii, toKwicEntry, type KwicEntry } from './text';

/**
 * An FTS5 query matching documents that contain every trigram of term (detail=none keeps no
 * positions, so this finds candidates; instr() then confirms the exact substring).
 */
export function trigramQuery(term: string): string {
  const cps = Array.from(term);
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) grams.add(cps.slice(i, i + 3).join(''));
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * Adds WHERE conditions (on documents aliased d) so every term occurs in the text (and, with
 * withTitle, or the title).
 */
export function termFilters(terms: string[], where: string[], params: (string | number)[], withTitle: boolean): void {
  const long = terms.filter((t) => countCodePoints(t) >= 3);
  if (long.length > 0) {
    where.push('d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)');
    params.push(long.map(trigramQuery).join(' AND '));
  }
  // SQLite's lower() folds ASCII only, like lowerAscii: the index narrows, instr() decides.
  for (const term of terms) {
    const folded = lowerAscii(term);
    if (withTitle) {
      where.push("(instr(lower(d.text), ?) > 0 OR instr(lower(coalesce(d.title, '')), ?) > 0)");
      params.push(folded, folded);
    } else {
      where.push('instr(lower(d.text), ?) > 0');
      params.push(folded);
    }
  }
}

/** Search of one connection (ProjectStore.search). */
export function searchRepository(db: () => Database.Database, corpora: CorporaRepository) {
  return {
    /**
     * Keyword in context: every non-overlapping occurrence of word (ASCII case-insensitive) in the
     * text of every document of the corpus (null: all corpora), `width` characters of context each
     * side. total counts all occurrences; lines holds the first `limit` after sorting (see
     * compareKwic: code-point order, 'left' reads the left context from the keyword outwards).
     */
    kwic(corpusId: number | null, word: string, width: number, sort: KwicSort, limit: number): { total: number; lines: KwicLine[] } {
      if (word.trim() === '') throw new ShirabeError('queryEmpty');
      const d = db();
      const where: string[] = [];
      const params: (string | number | null)[] = [];
      if (corpusId !== null) {
        corpora.require(corpusId);
        where.push('d.corpus_id = ?');
        params.push(corpusId);
      } else if (corpora.pendingId() !== null) {
        where.push('d.corpus_id IS NOT ?');
        params.push(corpora.pendingId());
      }
      const termParams: (string | number)[] = [];
      termFilters([word], where, termParams, false);
      params.push(...termParams);
      const stmt = d.prepare(
        `SELECT d.id, d.title, d.label, d.text FROM documents d
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.corpus_id, d.ordinal`,
      );
      const folded = lowerAscii(word);
      // folding only changes A–Z: a word without them matches the raw text at the same places
      const fold = /[A-Za-z]/.test(word) ? lowerAscii : (t: string) => t;
      const max = Math.max(0, Math.floor(limit));
      const compare = compareKwic(sort);
      let kept: KwicEntry[] = [];
      // after a trim, the worst line kept: anything that sorts after it can never make the cut
      let cutoff: KwicEntry | null = null;
      let total = 0;
      let order = 0;
      for (const row of stmt.iterate(...params) as IterableIterator<{ id: number; title: string | null; label: string | null; text: string }>) {
        const hits = findAll(fold(row.text), folded);
        total += hits.length;
        if (sort === 'document' && kept.length >= max) continue;
        for (const start of hits) {
          if (sort === 'document' && kept.length >= max) break;
          const ctx = kwicContext(row.text, start, start + folded.length, width);
          const entry = toKwicEntry({ documentId: row.id, title: row.title, label: row.label, start, ...ctx }, order, sort !== 'document');
          if (cutoff && compare(entry, cutoff) > 0) continue;
          kept.push(entry);
        }
        order++;
        // keep memory bounded: trim to the best `limit` whenever twice that many have piled up
        if (sort !== 'document' && kept.length > Math.max(2 * max, 10_000)) {
          kept.sort(compare);
          kept = kept.slice(0, max);
          cutoff = kept.length === max ? kept[max - 1] : null;
        }
      }
      kept.sort(compare);
      return { total, lines: kept.slice(0, max).map((e) => e.line) };
    },
  };
}

export type SearchRepository = ReturnType<typeof searchRepository>;
