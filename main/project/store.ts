// The project file (.shirabe): one SQLite database holding corpora, documents, a trigram
// full-text index, the morphology cache, runs and the job history. This file opens, locks,
// checks and migrates it, and holds the repositories (main/project/repositories/), one per
// domain, each bound to this connection. One process at a time: the connection keeps SQLite's
// exclusive lock for as long as the project is open, and the OS drops that lock when the process
// ends, so a crash never leaves a stale lock behind.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import nodePath from 'node:path';
import type { ProjectInfo } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { latestSchemaVersion, migrate } from './migrations';
import { corporaRepository, type CorporaRepository } from './repositories/corpus/corpora';
import { documentsRepository, type DocumentsRepository } from './repositories/corpus/documents';
import { embeddingsRepository, type EmbeddingsRepository } from './repositories/embeddings';
import { jobsRepository, type JobsRepository } from './repositories/jobs';
import { morphologyRepository, type MorphologyRepository } from './repositories/corpus/morphology';
import { pretrainingRepository, type PretrainingRepository } from './repositories/pretraining';
import { markRunsInterrupted, runsRepository, type RunsRepository } from './repositories/runs';
import { searchRepository, type SearchRepository } from './repositories/corpus/search';
import { statsRepository, type StatsRepository } from './repositories/corpus/stats';
import { topicsRepository, type TopicsRepository } from './repositories/topics';
import { attributionRepository, type AttributionRepository } from './repositories/attribution';
import { predictionRepository, type PredictionRepository } from './repositories/prediction';
import { trainingRepository, type TrainingRepository } from './repositories/training';
import { entitiesRepository, type EntitiesRepository } from './repositories/entities';

/** PRAGMA application_id of every Shirabe project: 'SHIB'. */
export const APPLICATION_ID = 0x53484942;
/** The schema version this build writes and reads up to. */
export const SCHEMA_VERSION = latestSchemaVersion;
/** How long an open waits for another process's lock before reporting projectLocked. */
export const BUSY_TIMEOUT_MS = 200;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

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

export class ProjectStore {
  readonly path: string;
  private connection: Database.Database | null;
  private readonly key: string;

  /** Corpora and the import that writes one (repositories/corpora.ts). */
  readonly corpora: CorporaRepository = corporaRepository(
    () => this.db,
    () => this.jobs.writeHeldBack(),
  );
  /** The job history; records that arrive during an import wait for its end (repositories/jobs.ts). */
  readonly jobs: JobsRepository = jobsRepository(
    () => this.db,
    () => this.corpora.importOpen(),
  );
  /** Document pages, single documents and corpus texts (repositories/documents.ts). */
  readonly documents: DocumentsRepository = documentsRepository(() => this.db, this.corpora);
  /** Full-text search and KWIC (repositories/search.ts). */
  readonly search: SearchRepository = searchRepository(() => this.db, this.corpora);
  /** Corpus statistics (repositories/stats.ts). */
  readonly stats: StatsRepository = statsRepository(() => this.db, this.corpora);
  /** The morphology cache (repositories/morphology.ts). */
  readonly morphology: MorphologyRepository = morphologyRepository(() => this.db, this.corpora, this.documents);
  /** Embedding runs and their vectors (repositories/embeddings.ts). */
  readonly embeddings: EmbeddingsRepository = embeddingsRepository(() => this.db, this.corpora);
  /** Runs of every kind: their shared record, points and checkpoints (repositories/runs.ts). */
  readonly runs: RunsRepository = runsRepository(() => this.db);
  /** Fine-tuning runs (repositories/training.ts). */
  readonly training: TrainingRepository = trainingRepository(() => this.db);
  /** Domain pretraining runs and masked-LM comparisons (repositories/pretraining.ts). */
  readonly pretraining: PretrainingRepository = pretrainingRepository(() => this.db);
  /** Clusterings with their topics, and 2-D maps (repositories/topics.ts). */
  readonly topics: TopicsRepository = topicsRepository(() => this.db);
  /** Attribution runs and their per-document token scores (repositories/attribution.ts). */
  readonly attribution: AttributionRepository = attributionRepository(() => this.db);
  /** Prediction runs: a classifier's labels and probabilities per document (repositories/prediction.ts). */
  readonly prediction: PredictionRepository = predictionRepository(() => this.db);
  /** Annotated sentences, table-filling runs and extractions (repositories/entities.ts). */
  readonly entities: EntitiesRepository = entitiesRepository(() => this.db);

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.connection = db;
    // Only this process can have the project open (the lock): a run still marked running was cut off.
    markRunsInterrupted(db);
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

  /** `work` in one transaction: the repositories' own transactions nest in it (as savepoints), so all of it or none is written. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
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
    this.corpora.abortImport();
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
      corpora: this.corpora.count(),
      sizeBytes: pageCount * pageSize,
    };
  }

  /** A compacted, consistent copy of the project (VACUUM INTO); refuses an existing target. */
  saveCopy(target: string): { path: string; sizeBytes: number } {
    const abs = nodePath.resolve(target);
    const db = this.db;
    if (fs.existsSync(abs)) throw new ShirabeError('copyTargetExists', { path: abs });
    this.corpora.assertNoImport();
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
}
