// The project file (.shirabe): one SQLite database holding corpora, documents, a trigram
// full-text index, the morphology cache and the job history. One process at a time: the
// connection keeps SQLite's exclusive lock for as long as the project is open, and the OS drops
// that lock when the process ends, so a crash never leaves a stale lock behind.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';
import type {
  BadRow,
  ConcreteFormat,
  CorpusStats,
  CorpusSummary,
  DocumentDetail,
  EmbeddingRunInfo,
  DocumentQuery,
  DocumentRow,
  Encoding,
  JobKind,
  JobRecord,
  JobStatus,
  RunRef,
  KwicLine,
  KwicSort,
  Morpheme,
  ProjectInfo,
  SplitName,
} from '../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../common/errors';
import type { DocumentInput } from '../corpus/types';
import { embeddingVectors, listEmbeddingRuns, saveEmbeddingRun, type NewEmbeddingRun } from './embeddings';
import { latestSchemaVersion, migrate } from './migrations';
import { markPretrainInterrupted, pretrainingRepository, type PretrainingRepository } from './pretraining';
import { markInterrupted, trainingRepository, type TrainingRepository } from './training';
import { assignSplits, validateSeed, validateSplit } from '../corpus/splits';
import {
  compareKwic,
  countCodePoints,
  findAll,
  findHits,
  histogram,
  kwicContext,
  lowerAscii,
  makeSnippet,
  splitTerms,
  summarize,
  toKwicEntry,
  type KwicEntry,
} from './text';

/** PRAGMA application_id of every Shirabe project: 'SHIB'. */
export const APPLICATION_ID = 0x53484942;
/** The schema version this build writes and reads up to. */
export const SCHEMA_VERSION = latestSchemaVersion;
/** How long an open waits for another process's lock before reporting projectLocked. */
export const BUSY_TIMEOUT_MS = 200;
/** Bad rows kept per corpus for the report (the total is always counted). */
export const BAD_ROW_LIMIT = 1000;
/** Job history entries kept. */
export const JOB_HISTORY_LIMIT = 500;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface ImportMeta {
  name: string;
  /** Where the documents came from (file or folder path), as shown to the user. */
  source: string;
  format: ConcreteFormat;
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


export interface UnanalysedDocument {
  id: number;
  text: string;
}

// ---------------------------------------------------------------- SQLite error mapping

function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Turns an SQLite failure while opening or creating a project into the error a researcher sees. */
function openError(err: unknown, path: string): ShirabeError {
  if (err instanceof ShirabeError) return err;
  const code = sqliteCode(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new ShirabeError('projectLocked', { path }, { cause: err });
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return new ShirabeError('projectCorrupt', { path, detail: errMessage(err) }, { cause: err });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
    return new ShirabeError('projectReadOnly', { path }, { cause: err });
  return new ShirabeError('internal', { detail: errMessage(err) }, { cause: err });
}

function fsCode(err: unknown): string {
  return sqliteCode(err);
}

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

function emptySplits(): Record<SplitName, number> {
  return { train: 0, dev: 0, test: 0 };
}

function parseJson(text: string | null, fallback: unknown): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

function compareLabels(a: { label: string; count: number }, b: { label: string; count: number }): number {
  if (a.count !== b.count) return b.count - a.count;
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

// ---------------------------------------------------------------- opening

/**
 * Projects open in this process, by device and inode. POSIX drops all of a process's locks on a
 * file when it closes any descriptor of that file, so this process must not even read the header
 * of a project it already has open: that would silently release the lock another process tests.
 */
// Holding the store here also keeps its connection from being garbage-collected (which would
// close it and drop the lock): a project stays locked until close() or the process ends.
const openInThisProcess = new Map<string, ProjectStore>();

function fileKey(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/** Reads the 100-byte SQLite header; not there or not SQLite → projectNotFound / projectNotShirabe. */
function checkHeader(path: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (err) {
    if (fsCode(err) === 'ENOENT' || fsCode(err) === 'ENOTDIR') throw new ShirabeError('projectNotFound', { path });
    throw new ShirabeError('fileUnreadable', { path, detail: errMessage(err) }, { cause: err });
  }
  if (!stat.isFile()) throw new ShirabeError('projectNotShirabe', { path });
  if (openInThisProcess.has(fileKey(stat))) throw new ShirabeError('projectLocked', { path });
  const header = Buffer.alloc(100);
  let read = 0;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      read = fs.readSync(fd, header, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw new ShirabeError('fileUnreadable', { path, detail: errMessage(err) }, { cause: err });
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) throw new ShirabeError('projectNotShirabe', { path });
  return header;
}

/**
 * Looks at application_id and user_version through a read-only connection, so a project from a
 * newer Shirabe (or anything that is not ours) is refused without a single byte written to it.
 */
function inspect(path: string, header: Buffer): { applicationId: number; version: number } {
  // Without a -wal file the header is the whole truth (offsets from the SQLite file format
  // spec); reading it leaves no -shm behind. With one, only SQLite can tell (or see a lock).
  if (!fs.existsSync(`${path}-wal`)) return { applicationId: header.readUInt32BE(68), version: header.readInt32BE(60) };
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    return { applicationId: applicationId >>> 0, version };
  } catch (err) {
    throw openError(err, path);
  } finally {
    db?.close();
  }
}

function assertWritable(path: string): void {
  try {
    fs.accessSync(path, fs.constants.R_OK | fs.constants.W_OK);
    // WAL needs to create path-wal next to the file
    fs.accessSync(nodePath.dirname(path), fs.constants.W_OK);
  } catch (err) {
    throw new ShirabeError('projectReadOnly', { path }, { cause: err });
  }
}

/**
 * Opens the read-write connection and takes the single-writer lock: locking_mode=EXCLUSIVE before
 * the first WAL access (so the WAL index lives in heap memory, not in a shared -shm file), then
 * an immediate write transaction, after which SQLite keeps the exclusive lock until close().
 */
function openLocked(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new ShirabeError('projectReadOnly', { path });
    db.exec('BEGIN IMMEDIATE');
    db.exec('COMMIT');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db?.close();
    throw openError(err, path);
  }
}

function checkIntegrity(db: Database.Database, path: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  } catch (err) {
    throw openError(err, path);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    let detail = problems.slice(0, 3).join('; ');
    if (detail.length > 300) detail = `${detail.slice(0, 300)}…`;
    throw new ShirabeError('projectCorrupt', { path, detail });
  }
}

function removeQuietly(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      fs.rmSync(p, { force: true });
    } catch {
      // best effort
    }
  }
}

// ---------------------------------------------------------------- the store

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

interface GroupRow {
  corpus_id: number;
  label: string | null;
  split: SplitName;
  n: number;
}

export class ProjectStore {
  readonly path: string;
  private connection: Database.Database | null;
  private writer: CorpusWriter | null = null;
  /** Job records that arrived while an import transaction was open; written after it ends. */
  private pendingJobs = new Map<string, JobRecord>();

  private readonly key: string;
  /** Fine-tuning runs (main/project/training.ts). */
  readonly training: TrainingRepository = trainingRepository(() => this.db);
  /** Domain pretraining runs and masked-LM comparisons (main/project/pretraining.ts). */
  readonly pretraining: PretrainingRepository = pretrainingRepository(() => this.db);

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.connection = db;
    // Only this process can have the project open (the lock): a run still marked running was cut off.
    markInterrupted(db);
    markPretrainInterrupted(db);
    this.key = fileKey(fs.statSync(path));
    openInThisProcess.set(this.key, this);
  }

  /** Creates a new, empty project; refuses to touch an existing file. */
  static create(path: string): ProjectStore {
    const abs = nodePath.resolve(path);
    let fd: number;
    try {
      fd = fs.openSync(abs, 'wx');
    } catch (err) {
      const code = fsCode(err);
      if (code === 'EEXIST') throw new ShirabeError('projectExists', { path: abs });
      if (code === 'ENOENT' || code === 'ENOTDIR')
        throw new ShirabeError('fileNotFound', { path: nodePath.dirname(abs) }, { cause: err });
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
        throw new ShirabeError('projectReadOnly', { path: abs }, { cause: err });
      throw new ShirabeError('internal', { detail: errMessage(err) }, { cause: err });
    }
    fs.closeSync(fd);
    let db: Database.Database | undefined;
    try {
      db = openLocked(abs);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      migrate(db);
      return new ProjectStore(abs, db);
    } catch (err) {
      db?.close();
      removeQuietly(abs);
      throw openError(err, abs);
    }
  }

  /**
   * Opens an existing project: checks it is ours and not from a newer Shirabe (read-only, nothing
   * written), takes the lock, runs the integrity check, then migrates an older schema forward.
   */
  static open(path: string): ProjectStore {
    const abs = nodePath.resolve(path);
    const { applicationId, version } = inspect(abs, checkHeader(abs));
    if (applicationId !== APPLICATION_ID) throw new ShirabeError('projectNotShirabe', { path: abs });
    if (version > latestSchemaVersion) {
      throw new ShirabeError('projectNewerSchema', { path: abs, found: version, supported: latestSchemaVersion });
    }
    assertWritable(abs);
    const db = openLocked(abs);
    try {
      // re-read under the lock: another process may have changed it since the read-only look
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now > latestSchemaVersion) {
        throw new ShirabeError('projectNewerSchema', { path: abs, found: now, supported: latestSchemaVersion });
      }
      checkIntegrity(db, abs);
      migrate(db);
      return new ProjectStore(abs, db);
    } catch (err) {
      db.close();
      throw openError(err, abs);
    }
  }

  private get db(): Database.Database {
    if (!this.connection) throw new ShirabeError('noProject');
    return this.connection;
  }

  get isOpen(): boolean {
    return this.connection !== null;
  }

  /** Rolls back an unfinished import, writes queued job records, releases the lock. Idempotent. */
  close(): void {
    if (!this.connection) return;
    if (this.writer) this.writer.rollback();
    this.connection.close();
    this.connection = null;
    openInThisProcess.delete(this.key);
  }

  info(): ProjectInfo {
    const db = this.db;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return {
      path: this.path,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      corpora: (db.prepare('SELECT count(*) AS n FROM corpora WHERE id IS NOT ?').get(this.pendingCorpusId()) as { n: number }).n,
      sizeBytes: pageCount * pageSize,
    };
  }

  /** A compacted, consistent copy of the project (VACUUM INTO); refuses an existing target. */
  saveCopy(target: string): { path: string; sizeBytes: number } {
    const abs = nodePath.resolve(target);
    const db = this.db;
    if (fs.existsSync(abs)) throw new ShirabeError('copyTargetExists', { path: abs });
    this.assertNoImport();
    try {
      db.prepare('VACUUM INTO ?').run(abs);
    } catch (err) {
      removeQuietly(abs); // it did not exist before: whatever is there is a partial copy
      const code = sqliteCode(err);
      if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM'))
        throw new ShirabeError('projectReadOnly', { path: abs }, { cause: err });
      throw new ShirabeError('internal', { detail: errMessage(err) }, { cause: err });
    }
    return { path: abs, sizeBytes: fs.statSync(abs).size };
  }

  // ---------------------------------------------------------------- import

  /** Starts an import: opens a write transaction and inserts the corpus row. */
  beginImport(meta: ImportMeta): CorpusWriter {
    const db = this.db;
    this.assertNoImport();
    const name = meta.name.trim();
    if (name === '') throw new ShirabeError('corpusNameRequired');
    validateSeed(meta.seed);
    validateSplit(meta.split);
    db.exec('BEGIN IMMEDIATE');
    try {
      if (db.prepare('SELECT 1 FROM corpora WHERE name = ?').get(name)) {
        throw new ShirabeError('corpusNameTaken', { name });
      }
      const info = db
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
      this.writer = new CorpusWriter(db, Number(info.lastInsertRowid), name, meta, () => this.endImport());
      return this.writer;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  private endImport(): void {
    this.writer = null;
    if (this.pendingJobs.size > 0) {
      const jobs = [...this.pendingJobs.values()];
      this.pendingJobs.clear();
      for (const job of jobs) this.recordJob(job);
    }
  }

  private assertNoImport(): void {
    if (this.writer) throw new ShirabeError('importRunning');
  }

  private pendingCorpusId(): number | null {
    return this.writer ? this.writer.corpusId : null;
  }

  /** Deletes a corpus with its documents, index entries and morphology. */
  deleteCorpus(corpusId: number): void {
    this.requireCorpus(corpusId);
    this.assertNoImport();
    this.db.transaction(() => this.db.prepare('DELETE FROM corpora WHERE id = ?').run(corpusId))();
  }

  // ---------------------------------------------------------------- queries

  private requireCorpus(corpusId: number): CorpusRow {
    const row = this.db.prepare('SELECT * FROM corpora WHERE id = ?').get(corpusId) as CorpusRow | undefined;
    if (!row || corpusId === this.pendingCorpusId()) throw new ShirabeError('corpusNotFound', { id: corpusId });
    return row;
  }

  private groups(corpusId: number | null): GroupRow[] {
    const sql = `SELECT corpus_id, label, split, count(*) AS n FROM documents
      ${corpusId === null ? '' : 'WHERE corpus_id = ?'} GROUP BY corpus_id, label, split`;
    const stmt = this.db.prepare(sql);
    return (corpusId === null ? stmt.all() : stmt.all(corpusId)) as GroupRow[];
  }

  private static tally(groups: GroupRow[]): {
    documents: number;
    labels: { label: string; count: number }[];
    splits: Record<SplitName, number>;
  } {
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

  listCorpora(): CorpusSummary[] {
    const rows = this.db.prepare('SELECT * FROM corpora WHERE id IS NOT ? ORDER BY id').all(this.pendingCorpusId()) as CorpusRow[];
    const byCorpus = new Map<number, GroupRow[]>();
    for (const g of this.groups(null)) {
      let list = byCorpus.get(g.corpus_id);
      if (!list) byCorpus.set(g.corpus_id, (list = []));
      list.push(g);
    }
    return rows.map((c) => {
      const t = ProjectStore.tally(byCorpus.get(c.id) ?? []);
      return {
        id: c.id,
        name: c.name,
        documents: t.documents,
        createdAt: c.created_at,
        source: c.source,
        format: c.format as ConcreteFormat,
        encoding: c.encoding as Encoding,
        seed: c.seed,
        split: [c.split_train, c.split_dev, c.split_test],
        labels: t.labels,
        splits: t.splits,
        emptySkipped: c.empty_skipped,
        duplicates: c.duplicates,
        badRows: c.bad_rows,
      };
    });
  }

  /** The bad rows kept for a corpus's import report (at most BAD_ROW_LIMIT) and their total. */
  badRows(corpusId: number): { rows: BadRow[]; total: number } {
    const c = this.requireCorpus(corpusId);
    const row = this.db.prepare('SELECT bad_row_list FROM corpora WHERE id = ?').get(corpusId) as { bad_row_list: string };
    return { rows: parseJson(row.bad_row_list, []) as BadRow[], total: c.bad_rows };
  }

  /**
   * One page of a corpus's documents in ordinal order. The query is split on whitespace; every
   * term must occur (ASCII case-insensitive) in the text or the title. Terms of 3+ characters are
   * looked up in the trigram index first; shorter ones (e.g. 映画) are matched with instr().
   */
  documents(q: DocumentQuery): { total: number; rows: DocumentRow[] } {
    const db = this.db;
    this.requireCorpus(q.corpusId);
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
    this.addTermFilters(terms, where, params, true);
    const clause = where.join(' AND ');
    const total = (db.prepare(`SELECT count(*) AS n FROM documents d WHERE ${clause}`).get(...params) as { n: number }).n;
    const rows = db
      .prepare(
        `SELECT d.id, d.corpus_id, d.ordinal, d.title, d.label, d.split, d.chars, d.duplicate_of, d.text
         FROM documents d WHERE ${clause} ORDER BY d.ordinal LIMIT ? OFFSET ?`,
      )
      .all(...params, Math.max(0, Math.floor(q.limit)), Math.max(0, Math.floor(q.offset))) as DocumentDbRow[];
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        corpusId: r.corpus_id,
        ordinal: r.ordinal,
        title: r.title,
        label: r.label,
        split: r.split,
        chars: r.chars,
        duplicateOf: r.duplicate_of,
        snippet: makeSnippet(r.text, terms.length > 0 ? findHits(r.text, terms) : []),
      })),
    };
  }

  /** Adds WHERE conditions so every term occurs in the text (and, with withTitle, or the title). */
  private addTermFilters(terms: string[], where: string[], params: (string | number)[], withTitle: boolean): void {
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

  document(id: number): DocumentDetail {
    const row = this.db
      .prepare('SELECT id, corpus_id, ordinal, title, label, split, text, metadata, duplicate_of FROM documents WHERE id = ?')
      .get(id) as (Omit<DocumentDbRow, 'chars'> & { metadata: string }) | undefined;
    if (!row || row.corpus_id === this.pendingCorpusId()) throw new ShirabeError('documentNotFound', { id });
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

  /**
   * Keyword in context: every non-overlapping occurrence of word (ASCII case-insensitive) in the
   * text of every document of the corpus (null: all corpora), `width` characters of context each
   * side. total counts all occurrences; lines holds the first `limit` after sorting (see
   * compareKwic: code-point order, 'left' reads the left context from the keyword outwards).
   */
  kwic(corpusId: number | null, word: string, width: number, sort: KwicSort, limit: number): { total: number; lines: KwicLine[] } {
    if (word.trim() === '') throw new ShirabeError('queryEmpty');
    const db = this.db;
    const where: string[] = [];
    const params: (string | number | null)[] = [];
    if (corpusId !== null) {
      this.requireCorpus(corpusId);
      where.push('d.corpus_id = ?');
      params.push(corpusId);
    } else if (this.pendingCorpusId() !== null) {
      where.push('d.corpus_id IS NOT ?');
      params.push(this.pendingCorpusId());
    }
    const termParams: (string | number)[] = [];
    this.addTermFilters([word], where, termParams, false);
    params.push(...termParams);
    const stmt = db.prepare(
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
  }

  /**
   * Length statistics of a corpus's documents in characters (code points) or morphemes (only the
   * documents analysed so far; `analysed` says how many).
   */
  stats(corpusId: number, unit: 'chars' | 'morphemes', bins: number): CorpusStats {
    const corpus = this.requireCorpus(corpusId);
    const t = ProjectStore.tally(this.groups(corpusId));
    const column = unit === 'chars' ? 'chars' : 'morphemes';
    const values = (
      this.db.prepare(`SELECT ${column} AS v FROM documents WHERE corpus_id = ? AND ${column} IS NOT NULL`).raw().all(corpusId) as [number][]
    ).map((r) => r[0]);
    const analysed = (
      this.db.prepare('SELECT count(*) AS n FROM documents WHERE corpus_id = ? AND morphemes IS NOT NULL').get(corpusId) as { n: number }
    ).n;
    return {
      corpusId,
      documents: t.documents,
      labels: t.labels,
      splits: t.splits,
      unit,
      histogram: histogram(values, bins),
      ...summarize(values),
      emptySkipped: corpus.empty_skipped,
      duplicates: corpus.duplicates,
      analysed,
    };
  }

  // ---------------------------------------------------------------- morphology cache

  private requireDocument(documentId: number): void {
    const row = this.db.prepare('SELECT corpus_id FROM documents WHERE id = ?').get(documentId) as { corpus_id: number } | undefined;
    if (!row || row.corpus_id === this.pendingCorpusId()) throw new ShirabeError('documentNotFound', { id: documentId });
  }

  /** The cached analysis of a document, or null when it has not been analysed yet. */
  getMorphology(documentId: number): Morpheme[] | null {
    this.requireDocument(documentId);
    const row = this.db.prepare('SELECT json FROM morphology WHERE document_id = ?').get(documentId) as { json: string } | undefined;
    return row ? (parseJson(row.json, null) as Morpheme[] | null) : null;
  }

  /**
   * Caches a document's analysis and its morpheme count. Note: while an import is open, this
   * becomes part of the import's transaction (and is undone with it; it is only a cache).
   */
  putMorphology(documentId: number, morphemes: Morpheme[]): void {
    this.putMorphologyBatch([{ documentId, morphemes }]);
  }

  /** putMorphology for many documents in one transaction. */
  putMorphologyBatch(items: readonly { documentId: number; morphemes: Morpheme[] }[]): void {
    const db = this.db;
    const put = db.prepare('INSERT OR REPLACE INTO morphology (document_id, json) VALUES (?, ?)');
    const count = db.prepare('UPDATE documents SET morphemes = ? WHERE id = ?');
    db.transaction(() => {
      for (const { documentId, morphemes } of items) {
        this.requireDocument(documentId);
        put.run(documentId, JSON.stringify(morphemes));
        count.run(morphemes.length, documentId);
      }
    })();
  }

  /** How many documents of a corpus still need analysing. */
  countUnanalysed(corpusId: number): number {
    this.requireCorpus(corpusId);
    return (
      this.db.prepare('SELECT count(*) AS n FROM documents WHERE corpus_id = ? AND morphemes IS NULL').get(corpusId) as { n: number }
    ).n;
  }

  /** The documents of a corpus not analysed yet, in ordinal order, all at once. */
  unanalysed(corpusId: number): UnanalysedDocument[] {
    this.requireCorpus(corpusId);
    return this.db
      .prepare('SELECT id, text FROM documents WHERE corpus_id = ? AND morphemes IS NULL ORDER BY ordinal')
      .all(corpusId) as UnanalysedDocument[];
  }

  /**
   * unanalysed() fetched in batches (less memory for big corpora); the caller may putMorphology()
   * between items, as no statement stays open across yields.
   */
  iterateUnanalysed(corpusId: number, batchSize = 256): IterableIterator<UnanalysedDocument> {
    this.requireCorpus(corpusId);
    const db = this.db;
    const stmt = db.prepare(
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
  }

  /** Every document of a corpus with text, in ordinal order (empty documents are never stored). */
  corpusTexts(corpusId: number): { id: number; text: string }[] {
    this.requireCorpus(corpusId);
    return this.db.prepare('SELECT id, text FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as { id: number; text: string }[];
  }

  /** Every document of a corpus with what fine-tuning needs (ordinal order). */
  labelledDocuments(corpusId: number): { id: number; text: string; label: string | null; split: SplitName; textHash: string }[] {
    this.requireCorpus(corpusId);
    return this.db.prepare('SELECT id, text, label, split, text_hash AS textHash FROM documents WHERE corpus_id = ? ORDER BY ordinal').all(corpusId) as {
      id: number;
      text: string;
      label: string | null;
      split: SplitName;
      textHash: string;
    }[];
  }

  corpusName(corpusId: number): string {
    return this.requireCorpus(corpusId).name;
  }

  // ---------------------------------------------------------------- embeddings

  saveEmbeddingRun(run: NewEmbeddingRun, documentIds: readonly number[], vectors: Float32Array): number {
    this.requireCorpus(run.corpusId);
    return saveEmbeddingRun(this.db, run, documentIds, vectors);
  }

  listEmbeddingRuns(corpusId: number | null): EmbeddingRunInfo[] {
    return listEmbeddingRuns(this.db, corpusId);
  }

  embeddingVectors(runId: number): { run: EmbeddingRunInfo; documentIds: number[]; vectors: Float32Array } {
    return embeddingVectors(this.db, runId);
  }

  // ---------------------------------------------------------------- jobs history

  /**
   * Inserts or updates a job in the history (the newest JOB_HISTORY_LIMIT are kept). While an
   * import transaction is open the record is held back and written after it ends, so a rollback
   * never loses the history of the job that rolled back.
   */
  recordJob(job: JobRecord): void {
    const db = this.db;
    if (this.writer) {
      this.pendingJobs.set(job.id, job);
      return;
    }
    db.transaction(() => {
      db.prepare(
        `INSERT INTO jobs (id, kind, title, status, config, result, error, started_at, finished_at, run)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, title = excluded.title, status = excluded.status,
           config = excluded.config, result = excluded.result, error = excluded.error,
           started_at = excluded.started_at, finished_at = excluded.finished_at, run = excluded.run`,
      ).run(
        job.id,
        job.kind,
        job.title,
        job.status,
        JSON.stringify(job.config ?? null),
        JSON.stringify(job.result ?? null),
        JSON.stringify(job.error ?? null),
        job.startedAt,
        job.finishedAt,
        job.run ? JSON.stringify(job.run) : null,
      );
      db.prepare('DELETE FROM jobs WHERE rowid NOT IN (SELECT rowid FROM jobs ORDER BY rowid DESC LIMIT ?)').run(JOB_HISTORY_LIMIT);
    })();
  }

  /** The job history, newest first. */
  listJobs(): JobRecord[] {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY rowid DESC').all() as {
      id: string;
      kind: JobKind;
      title: string;
      status: JobStatus;
      config: string;
      result: string;
      error: string;
      started_at: number | null;
      finished_at: number | null;
      run: string | null;
    }[];
    const stored = rows.map(
      (r) =>
        // The result was written by recordJob from a job of this kind: it is that kind's result.
        ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        status: r.status,
        config: parseJson(r.config, null),
        result: parseJson(r.result, null),
        error: parseJson(r.error, null) as ErrorInfo | null,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        run: parseJson(r.run, null) as RunRef | null,
      }) as JobRecord,
    );
    if (this.pendingJobs.size === 0) return stored;
    const pending = [...this.pendingJobs.values()].reverse();
    return [...pending, ...stored.filter((j) => !this.pendingJobs.has(j.id))];
  }
}

// ---------------------------------------------------------------- the import writer

/**
 * Writes one corpus inside one transaction (BEGIN IMMEDIATE … COMMIT/ROLLBACK), which may span the
 * caller's awaits. Made by ProjectStore.beginImport.
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
  /** For each document: index (in ids) of the earlier document with the same text, or -1. */
  private duplicateIndex: number[] = [];
  /** text hash → indices (in ids) of distinct texts with that hash. */
  private byHash = new Map<string, number[]>();
  private duplicateCount = 0;
  private emptyCount = 0;
  private badRowList: BadRow[] = [];
  private badRowTotal = 0;

  /** @internal use ProjectStore.beginImport */
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
      const split = new Array<SplitName>(this.ids.length);
      unique.forEach((i, k) => (split[i] = assigned[k]));
      for (let i = 0; i < this.ids.length; i++) if (this.duplicateIndex[i] >= 0) split[i] = split[this.duplicateIndex[i]];
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
    this.duplicateIndex = [];
    this.byHash.clear();
    this.onEnd();
  }
}
