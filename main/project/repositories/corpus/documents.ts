// Documents: one page of a corpus (filtered by label, split and search terms, with snippets), one
// document in full, and a corpus's texts as the jobs read them. The documents of an import still
// open are invisible (CorporaRepository.pendingId).
import type Database from 'better-sqlite3';
import type { CorpusFacet, CorpusFacets, DocumentDetail, DocumentQuery, DocumentRow, SplitName } from '../../../../common/contract';
import { ShirabeError } from '../../../../common/errors';
import type { CorporaRepository } from './corpora';
import { parseJson } from '../json';
import { termFilters } from './search';
import { findHits, makeSnippet, splitTerms } from './text';

interface DocumentDbRow {
  id: number;
  corpus_id: number;
  ordinal: number;
  title: string | null;
  label: string | null;
  split: SplitName;
  chars: number;
  duplicate_of: number | null;
  text: string;
}

type DetailRow = Omit<DocumentDbRow, 'chars'> & { metadata: string };

function toRow(r: DocumentDbRow, terms: string[]): DocumentRow {
  return {
    id: r.id,
    corpusId: r.corpus_id,
    ordinal: r.ordinal,
    title: r.title,
    label: r.label,
    split: r.split,
    chars: r.chars,
    duplicateOf: r.duplicate_of,
    snippet: makeSnippet(r.text, terms.length > 0 ? findHits(r.text, terms) : []),
  };
}

function toDetail(row: DetailRow): DocumentDetail {
  return {
    id: row.id,
    corpusId: row.corpus_id,
    ordinal: row.ordinal,
    title: row.title,
    label: row.label,
    split: row.split,
    text: row.text,
    metadata: parseJson(row.metadata, {}) as Record<string, string>,
    duplicateOf: row.duplicate_of,
  };
}

/** Code-point order (not UTF-16 units'), so values beyond the BMP sort as SQLite and Python sort them. */
function compareStrings(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

/** The documents of one connection (ProjectStore.documents). */
export function documentsRepository(db: () => Database.Database, corpora: CorporaRepository) {
  return {
    /**
     * One page of a corpus's documents in ordinal order. The query is split on whitespace; every
     * term must occur (ASCII case-insensitive) in the text or the title. Terms of 3+ characters are
     * looked up in the trigram index first; shorter ones (e.g. 映画) are matched with instr().
     */
    page(q: DocumentQuery): { total: number; rows: DocumentRow[] } {
      const d = db();
      corpora.require(q.corpusId);
      const terms = splitTerms(q.query);
      const where = ['d.corpus_id = ?'];
      const params: (string | number)[] = [q.corpusId];
      if (q.label !== null) {
        where.push('d.label = ?');
        params.push(q.label);
      }
      if (q.split !== null) {
        where.push('d.split = ?');
        params.push(q.split);
      }
      termFilters(terms, where, params, true);
      // A prediction run's labels beside each row (prediction_documents, migration 10): joined, filtered and sorted here.
      const p = q.prediction ?? null;
      let join = '';
      const joinParams: number[] = [];
      if (p) {
        join = 'LEFT JOIN prediction_documents p ON p.run_id = ? AND p.document_id = d.id';
        joinParams.push(p.runId);
        if (p.label !== null) {
          where.push('p.document_id IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(p.predicted) WHERE value = ?)');
          params.push(p.label);
        }
      }
      const order = p?.sort === 'confidence-desc' ? 'p.confidence IS NULL, p.confidence DESC, d.ordinal' : p?.sort === 'confidence-asc' ? 'p.confidence IS NULL, p.confidence ASC, d.ordinal' : 'd.ordinal';
      const clause = where.join(' AND ');
      const total = (d.prepare(`SELECT count(*) AS n FROM documents d ${join} WHERE ${clause}`).get(...joinParams, ...params) as { n: number }).n;
      const rows = d
        .prepare(
          `SELECT d.id, d.corpus_id, d.ordinal, d.title, d.label, d.split, d.chars, d.duplicate_of, d.text${p ? ', p.predicted AS predicted, p.confidence AS confidence' : ''}
           FROM documents d ${join} WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
        )
        .all(...joinParams, ...params, Math.max(0, Math.floor(q.limit)), Math.max(0, Math.floor(q.offset))) as (DocumentDbRow & { predicted?: string | null; confidence?: number | null })[];
      return {
        total,
        rows: rows.map((r) => {
          const row = toRow(r, terms);
          if (!p) return row;
          return { ...row, prediction: r.predicted == null || r.confidence == null ? null : { labels: JSON.parse(r.predicted) as string[], confidence: r.confidence } };
        }),
      };
    },

    get(id: number): DocumentDetail {
      const row = db()
        .prepare('SELECT id, corpus_id, ordinal, title, label, split, text, metadata, duplicate_of FROM documents WHERE id = ?')
        .get(id) as DetailRow | undefined;
      if (!row || row.corpus_id === corpora.pendingId()) throw new ShirabeError('documentNotFound', { id });
      return toDetail(row);
    },

    /** documentNotFound unless the document exists (and its import has ended). */
    require(documentId: number): void {
      const row = db().prepare('SELECT corpus_id FROM documents WHERE id = ?').get(documentId) as { corpus_id: number } | undefined;
      if (!row || row.corpus_id === corpora.pendingId()) throw new ShirabeError('documentNotFound', { id: documentId });
    },

    /** The ids of the corpus's documents that match a search (the terms of page()), in ordinal order. */
    matchingIds(corpusId: number, query: string): Int32Array {
      corpora.require(corpusId);
      const terms = splitTerms(query);
      if (terms.length === 0) throw new ShirabeError('queryEmpty');
      const where = ['d.corpus_id = ?'];
      const params: (string | number)[] = [corpusId];
      termFilters(terms, where, params, true);
      const rows = db().prepare(`SELECT d.id FROM documents d WHERE ${where.join(' AND ')} ORDER BY d.ordinal`).pluck().all(...params) as number[];
      return Int32Array.from(rows);
    },

    /**
     * Every document's gold label, split and metadata fields as codes into each field's values
     * (most frequent first). The label is left out when no document has one; the splits are always there.
     */
    facets(corpusId: number): CorpusFacets {
      corpora.require(corpusId);
      const rows = db().prepare('SELECT id, label, split, metadata FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as {
        id: number;
        label: string | null;
        split: SplitName;
        metadata: string;
      }[];
      const n = rows.length;
      const columns = new Map<string, { kind: CorpusFacet['kind']; raw: (string | null)[] }>();
      const column = (name: string, kind: CorpusFacet['kind']) => {
        const key = `${kind}:${name}`;
        let c = columns.get(key);
        if (!c) columns.set(key, (c = { kind, raw: new Array<string | null>(n).fill(null) }));
        return c;
      };
      const label = column('label', 'label');
      const split = column('split', 'split');
      rows.forEach((r, i) => {
        label.raw[i] = r.label;
        split.raw[i] = r.split;
        const metadata = parseJson(r.metadata, {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(metadata)) {
          if (value === null || value === undefined || value === '') continue;
          column(name, 'metadata').raw[i] = typeof value === 'string' ? value : JSON.stringify(value);
        }
      });
      const fields: CorpusFacet[] = [];
      for (const [key, c] of columns) {
        if (c.kind === 'label' && c.raw.every((v) => v === null)) continue;
        const counts = new Map<string, number>();
        for (const v of c.raw) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
        const values = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || compareStrings(a, b));
        const code = new Map(values.map((v, j) => [v, j]));
        fields.push({ name: key.slice(key.indexOf(':') + 1), kind: c.kind, values, codes: Int32Array.from(c.raw, (v) => (v === null ? -1 : code.get(v)!)) });
      }
      return { documentIds: Int32Array.from(rows, (r) => r.id), fields };
    },

    /** Every document of a corpus with text, in ordinal order (empty documents are never stored). */
    texts(corpusId: number): { id: number; text: string }[] {
      corpora.require(corpusId);
      return db().prepare('SELECT id, text FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as { id: number; text: string }[];
    },

    /** Every document of a corpus with what fine-tuning needs (ordinal order). */
    labelled(corpusId: number): { id: number; text: string; label: string | null; split: SplitName; textHash: string }[] {
      corpora.require(corpusId);
      return db().prepare('SELECT id, text, label, split, text_hash AS textHash FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as {
        id: number;
        text: string;
        label: string | null;
        split: SplitName;
        textHash: string;
      }[];
    },
  };
}

export type DocumentsRepository = ReturnType<typeof documentsRepository>;
