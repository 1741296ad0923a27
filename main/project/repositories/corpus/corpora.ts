// Corpora: the corpus records, what each holds by label and split, deletion, and the import that
// writes one corpus inside one transaction (CorpusWriter). While an import is open its corpus is
// invisible to every reader: pendingId() tells the other repositories which corpus to hide.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { BadRow, CorpusFormat, CorpusSummary, Encoding, SplitName } from '../../../../common/contract';
import { ShirabeError } from '../../../../common/errors';
import { assignSplits, validateSeed, validateSplit } from '../../../corpus/splits';
import type { DocumentInput } from '../../../corpus/types';
import { parseJson } from '../json';
import { countCodePoints } from './text';

/** Bad rows kept per corpus for the report (the total is always counted). */
export const BAD_ROW_LIMIT = 1000;

export interface ImportMeta {
  name: string;
  /** Where the documents came from (file or folder path), as shown to the user. */
  source: string;
  format: CorpusFormat;
  encoding: Encoding;
  /** The import options as chosen; stored as JSON for provenance. */
  options: unknown;
  seed: number;
  split: [number, number, number];
}

export interface ImportSummary {
  corpusId: number;
  name: string;
  documents: number;
  duplicates: number;
  emptySkipped: number;
  badRowCount: number;
  splits: Record<SplitName, number>;
}

/** A corpus record as the other repositories read it (CorporaRepository.require). */
export interface StoredCorpus {
  id: number;
  name: string;
  emptySkipped: number;
  duplicates: number;
  badRows: number;
}

/** A corpus's documents counted by label (most frequent first) and by split. */
export interface Composition {
  documents: number;
  labels: { label: string; count: number }[];
  splits: Record<SplitName, number>;
}

interface CorpusRow {
  id: number;
  name: string;
  created_at: string;
  source: string;
  format: string;
  encoding: string;
  seed: number;
  split_train: number;
  split_dev: number;
  split_test: number;
  empty_skipped: number;
  duplicates: number;
  bad_rows: number;
}

interface GroupRow {
  corpus_id: number;
  label: string | null;
  split: SplitName;
  n: number;
}

function emptySplits(): Record<SplitName, number> {
  return { train: 0, dev: 0, test: 0 };
}

function compareLabels(a: { label: string; count: number }, b: { label: string; count: number }): number {
  if (a.count !== b.count) return b.count - a.count;
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

function tally(groups: GroupRow[]): Composition {
  const labels = new Map<string, number>();
  const splits = emptySplits();
  let documents = 0;
  for (const g of groups) {
    documents += g.n;
    splits[g.split] += g.n;
    if (g.label !== null) labels.set(g.label, (labels.get(g.label) ?? 0) + g.n);
  }
  return {
    documents,
    labels: [...labels].map(([label, count]) => ({ label, count })).sort(compareLabels),
    splits,
  };
}

function toSummary(c: CorpusRow, t: Composition): CorpusSummary {
  return {
    id: c.id,
    name: c.name,
    documents: t.documents,
    createdAt: c.created_at,
    source: c.source,
    format: c.format as CorpusFormat,
    encoding: c.encoding as Encoding,
    seed: c.seed,
    split: [c.split_train, c.split_dev, c.split_test],
    labels: t.labels,
    splits: t.splits,
    emptySkipped: c.empty_skipped,
    duplicates: c.duplicates,
    badRows: c.bad_rows,
  };
}

function toStored(c: CorpusRow): StoredCorpus {
  return { id: c.id, name: c.name, emptySkipped: c.empty_skipped, duplicates: c.duplicates, badRows: c.bad_rows };
}

/**
 * The corpora of one connection (ProjectStore.corpora). onImportEnd runs each time an import
 * commits or rolls back, after its corpus has become visible (or gone).
 */
export function corporaRepository(db: () => Database.Database, onImportEnd: () => void = () => {}) {
  let writer: CorpusWriter | null = null;

  /** The corpus an open import is writing (hidden from every reader), or null. */
  const pendingId = (): number | null => (writer ? writer.corpusId : null);

  const assertNoImport = (): void => {
    if (writer) throw new ShirabeError('importRunning');
  };

  const requireRow = (corpusId: number): CorpusRow => {
    const row = db().prepare('SELECT * FROM corpora WHERE id = ?').get(corpusId) as CorpusRow | undefined;
    if (!row || corpusId === pendingId()) throw new ShirabeError('corpusNotFound', { id: corpusId });
    return row;
  };

  const groups = (corpusId: number | null): GroupRow[] => {
    const sql = `SELECT corpus_id, label, split, count(*) AS n FROM documents
      ${corpusId === null ? '' : 'WHERE corpus_id = ?'} GROUP BY corpus_id, label, split`;
    const stmt = db().prepare(sql);
    return (corpusId === null ? stmt.all() : stmt.all(corpusId)) as GroupRow[];
  };

  return {
    pendingId,
    assertNoImport,
    /** Whether an import transaction is open. */
    importOpen: (): boolean => writer !== null,

    /** The corpus record; corpusNotFound when there is none (or its import is still open). */
    require: (corpusId: number): StoredCorpus => toStored(requireRow(corpusId)),

    name: (corpusId: number): string => requireRow(corpusId).name,

    /** How many corpora there are (an open import's not counted). */
    count: (): number => (db().prepare('SELECT count(*) AS n FROM corpora WHERE id IS NOT ?').get(pendingId()) as { n: number }).n,

    /** The corpus's documents by label and split (the corpus is not checked). */
    composition: (corpusId: number): Composition => tally(groups(corpusId)),

    list(): CorpusSummary[] {
      const rows = db().prepare('SELECT * FROM corpora WHERE id IS NOT ? ORDER BY id').all(pendingId()) as CorpusRow[];
      const byCorpus = new Map<number, GroupRow[]>();
      for (const g of groups(null)) {
        let list = byCorpus.get(g.corpus_id);
        if (!list) byCorpus.set(g.corpus_id, (list = []));
        list.push(g);
      }
      return rows.map((c) => toSummary(c, tally(byCorpus.get(c.id) ?? [])));
    },

    /** The bad rows kept for a corpus's import report (at most BAD_ROW_LIMIT) and their total. */
    badRows(corpusId: number): { rows: BadRow[]; total: number } {
      const c = requireRow(corpusId);
      const row = db().prepare('SELECT bad_row_list FROM corpora WHERE id = ?').get(corpusId) as { bad_row_list: string };
      return { rows: parseJson(row.bad_row_list, []) as BadRow[], total: c.bad_rows };
    },

    /** Deletes a corpus with its documents, index entries and morphology. */
    delete(corpusId: number): void {
      requireRow(corpusId);
      assertNoImport();
      db().transaction(() => db().prepare('DELETE FROM corpora WHERE id = ?').run(corpusId))();
    },

    /** Starts an import: opens a write transaction and inserts the corpus row. */
    beginImport(meta: ImportMeta): CorpusWriter {
      const d = db();
      assertNoImport();
      const name = meta.name.trim();
      if (name === '') throw new ShirabeError('corpusNameRequired');
      validateSeed(meta.seed);
      validateSplit(meta.split);
      d.exec('BEGIN IMMEDIATE');
      try {
        if (d.prepare('SELECT 1 FROM corpora WHERE name = ?').get(name)) {
          throw new ShirabeError('corpusNameTaken', { name });
        }
        const info = d
          .prepare(
            `INSERT INTO corpora (name, created_at, source, format, encoding, options, seed, split_train, split_dev, split_test)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            name,
            new Date().toISOString(),
            meta.source,
            meta.format,
            meta.encoding,
            JSON.stringify(meta.options ?? null) ?? 'null',
            meta.seed,
            meta.split[0],
            meta.split[1],
            meta.split[2],
          );
        writer = new CorpusWriter(d, Number(info.lastInsertRowid), name, meta, () => {
          writer = null;
          onImportEnd();
        });
        return writer;
      } catch (err) {
        if (d.inTransaction) d.exec('ROLLBACK');
        throw err;
      }
    },

    /** Rolls back an unfinished import (ProjectStore.close); nothing when none is open. */
    abortImport(): void {
      if (writer) writer.rollback();
    },
  };
}

export type CorporaRepository = ReturnType<typeof corporaRepository>;

// ---------------------------------------------------------------- the import writer

/**
 * Writes one corpus inside one transaction (BEGIN IMMEDIATE … COMMIT/ROLLBACK), which may span the
 * caller's awaits. Made by CorporaRepository.beginImport.
 */
export class CorpusWriter {
  readonly corpusId: number;
  readonly name: string;
  private readonly db: Database.Database;
  private readonly meta: ImportMeta;
  private readonly onEnd: () => void;
  private state: 'open' | 'committed' | 'rolledBack' = 'open';
  private readonly insert: Database.Statement;
  private readonly textOf: Database.Statement;
  private ids: number[] = [];
  private labels: (string | null)[] = [];
  /** The splits the source gave, by document (undefined where it gave none). */
  private given: (SplitName | undefined)[] = [];
  /** For each document: index (in ids) of the earlier document with the same text, or -1. */
  private duplicateIndex: number[] = [];
  /** text hash → indices (in ids) of distinct texts with that hash. */
  private byHash = new Map<string, number[]>();
  private duplicateCount = 0;
  private emptyCount = 0;
  private badRowList: BadRow[] = [];
  private badRowTotal = 0;

  /** @internal use CorporaRepository.beginImport */
  constructor(db: Database.Database, corpusId: number, name: string, meta: ImportMeta, onEnd: () => void) {
    this.db = db;
    this.corpusId = corpusId;
    this.name = name;
    this.meta = meta;
    this.onEnd = onEnd;
    this.insert = db.prepare(
      `INSERT INTO documents (corpus_id, ordinal, text, title, label, metadata, chars, text_hash, duplicate_of, line, source_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.textOf = db.prepare('SELECT text FROM documents WHERE id = ?').pluck();
  }

  get documents(): number {
    return this.ids.length;
  }

  get duplicates(): number {
    return this.duplicateCount;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new ShirabeError('internal', { detail: `the import of "${this.name}" has already ended` });
  }

  /** Stores one document. An exact repeat of an earlier text in this corpus is kept but marked duplicate_of. */
  add(doc: DocumentInput): number {
    this.assertOpen();
    const text = doc.text;
    const hash = createHash('sha1').update(text).digest('base64');
    let dup = -1;
    const same = this.byHash.get(hash);
    if (same) {
      for (const index of same) {
        if (this.textOf.get(this.ids[index]) === text) {
          dup = index;
          break;
        }
      }
    }
    const index = this.ids.length;
    const info = this.insert.run(
      this.corpusId,
      index + 1,
      text,
      doc.title,
      doc.label,
      JSON.stringify(doc.metadata ?? {}),
      countCodePoints(text),
      hash,
      dup >= 0 ? this.ids[dup] : null,
      doc.line,
      doc.sourceName ?? null,
    );
    const id = Number(info.lastInsertRowid);
    this.ids.push(id);
    this.labels.push(doc.label);
    this.given.push(doc.split);
    this.duplicateIndex.push(dup);
    if (dup >= 0) this.duplicateCount++;
    else if (same) same.push(index);
    else this.byHash.set(hash, [index]);
    return id;
  }

  /** Counts rows skipped because their text was empty. */
  countEmpty(n = 1): void {
    this.assertOpen();
    this.emptyCount += n;
  }

  /** The rows that could not be read: the first BAD_ROW_LIMIT are kept, `total` is the full count. */
  setBadRows(list: readonly BadRow[], total: number): void {
    this.assertOpen();
    this.badRowList = list.slice(0, BAD_ROW_LIMIT);
    this.badRowTotal = total;
  }

  /**
   * Assigns train/dev/test (assignSplits over the distinct texts, stratified by label; an exact
   * duplicate goes wherever its first copy went, so no text is in two splits) and commits.
   */
  commit(): ImportSummary {
    this.assertOpen();
    const db = this.db;
    try {
      const unique: number[] = [];
      for (let i = 0; i < this.ids.length; i++) if (this.duplicateIndex[i] < 0) unique.push(i);
      const assigned = assignSplits(
        unique.map((i) => this.labels[i]),
        this.meta.split,
        this.meta.seed,
      );
      let split = new Array<SplitName>(this.ids.length);
      unique.forEach((i, k) => (split[i] = assigned[k]));
      for (let i = 0; i < this.ids.length; i++) if (this.duplicateIndex[i] >= 0) split[i] = split[this.duplicateIndex[i]];
      // A source that gives its own splits (annotated train/dev/test files) keeps them, as published.
      if (this.given.some((g) => g !== undefined)) split = this.given.map((g) => g ?? 'train');
      const splits = emptySplits();
      const update = db.prepare('UPDATE documents SET split = ? WHERE id = ?');
      for (let i = 0; i < this.ids.length; i++) {
        splits[split[i]]++;
        if (split[i] !== 'train') update.run(split[i], this.ids[i]);
      }
      db.prepare('UPDATE corpora SET empty_skipped = ?, duplicates = ?, bad_rows = ?, bad_row_list = ? WHERE id = ?').run(
        this.emptyCount,
        this.duplicateCount,
        this.badRowTotal,
        JSON.stringify(this.badRowList),
        this.corpusId,
      );
      const summary: ImportSummary = {
        corpusId: this.corpusId,
        name: this.name,
        documents: this.ids.length,
        duplicates: this.duplicateCount,
        emptySkipped: this.emptyCount,
        badRowCount: this.badRowTotal,
        splits,
      };
      db.exec('COMMIT');
      this.finish('committed');
      return summary;
    } catch (err) {
      if (this.state === 'open') this.rollback();
      throw err;
    }
  }

  /** Undoes everything this import wrote. A no-op once the import has ended. */
  rollback(): void {
    if (this.state !== 'open') return;
    try {
      if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.finish('rolledBack');
    }
  }

  private finish(state: 'committed' | 'rolledBack'): void {
    this.state = state;
    this.ids = [];
    this.labels = [];
    this.given = [];
    this.duplicateIndex = [];
    this.byHash.clear();
    this.onEnd();
  }
}
