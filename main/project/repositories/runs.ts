// What every kind of run has in the project, in one table (`runs`): kind, corpus, name, status,
// config, the data it used, provenance, where its last checkpoint stands, error and timestamps.
// A kind's own fields live in its detail table (repositories/training.ts, pretraining.ts); its
// curves are run_points (series, group, position: idempotent, so a resumed run that re-emits a
// point replaces it) and a checkpoint's state, when the project keeps it, is a run_checkpoints blob.
import type Database from 'better-sqlite3';
import type { RunCommon, RunKind, RunMemory, RunStatus } from '../../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../../common/errors';

/** The columns of `runs` as every kind reads them (with the corpus's name). */
export interface RunRow {
  id: number;
  kind: RunKind;
  corpus_id: number;
  corpus_name: string;
  name: string;
  status: RunStatus;
  config: string;
  data_hash: string;
  documents: string;
  backend: string | null;
  versions: string;
  checkpoint: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  seconds: number | null;
}

/** The shared fields of a run record (all but its kind), from its row. */
export type RunBase<Config, Documents, Checkpoint> = Omit<RunCommon<RunKind, Config, Documents, Checkpoint>, 'kind'>;

export const parseJson = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

/** The provenance JSON: the software versions, and (key "memory") what the finished run measured. */
function provenanceOf(json: string): { versions: Record<string, string>; memory: RunMemory | null } {
  const { memory, ...versions } = JSON.parse(json) as Record<string, string> & { memory?: RunMemory };
  return { versions, memory: memory && typeof memory === 'object' ? memory : null };
}

export function runBase<Config, Documents, Checkpoint>(r: RunRow): RunBase<Config, Documents, Checkpoint> {
  return {
    id: r.id,
    corpusId: r.corpus_id,
    corpusName: r.corpus_name,
    name: r.name,
    status: r.status,
    config: JSON.parse(r.config) as Config,
    dataHash: r.data_hash,
    documents: JSON.parse(r.documents) as Documents,
    backend: r.backend,
    ...provenanceOf(r.versions),
    checkpoint: parseJson<Checkpoint>(r.checkpoint),
    error: parseJson<ErrorInfo>(r.error),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seconds: r.seconds,
  };
}

export interface NewRun {
  corpusId: number;
  name: string;
  config: unknown;
  dataHash: string;
  documents: unknown;
  versions: Record<string, string>;
}

/** One curve point: a series ('step', 'epoch', 'eval'…), a group (e.g. the learning rate's index) and a position in it. */
export interface RunPoint {
  series: string;
  group: number;
  position: number;
  point: unknown;
}

const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * How a kind's repository reads its records: the run, its corpus's name and the kind's detail
 * columns (`d.*`, joined on run_id; the detail table is the kind's own, named in code), so an id of
 * another kind is not found.
 */
export function kindRecords<Row extends RunRow, Info>(db: () => Database.Database, details: string, toInfo: (row: Row) => Info) {
  const select = `SELECT r.*, c.name AS corpus_name, d.* FROM runs r JOIN corpora c ON c.id = r.corpus_id JOIN ${details} d ON d.run_id = r.id`;
  return {
    get(id: number): Info {
      const row = db().prepare(`${select} WHERE r.id = ?`).get(id) as Row | undefined;
      if (!row) throw new ShirabeError('runNotFound', { id });
      return toInfo(row);
    },
    /** Newest first, in one corpus or every corpus (null). */
    list(corpusId: number | null): Info[] {
      const rows = (corpusId === null ? db().prepare(`${select} ORDER BY r.id DESC`).all() : db().prepare(`${select} WHERE r.corpus_id = ? ORDER BY r.id DESC`).all(corpusId)) as Row[];
      return rows.map(toInfo);
    },
  };
}

export function runsRepository(db: () => Database.Database) {
  const addPoints = (id: number, points: readonly RunPoint[]) => {
    const put = db().prepare('INSERT OR REPLACE INTO run_points (run_id, series, group_index, position, point) VALUES (?, ?, ?, ?, ?)');
    db().transaction(() => {
      for (const p of points) put.run(id, p.series, p.group, p.position, JSON.stringify(p.point));
    })();
  };
  return {
    /** A new run, status running, with its kind's detail row written by `details` in the same transaction. */
    create(kind: RunKind, run: NewRun, details: (id: number) => void): number {
      return db().transaction(() => {
        const info = db()
          .prepare(`INSERT INTO runs (kind, corpus_id, name, status, config, data_hash, documents, versions) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`)
          .run(kind, run.corpusId, run.name, JSON.stringify(run.config), run.dataHash, JSON.stringify(run.documents), JSON.stringify(run.versions));
        const id = Number(info.lastInsertRowid);
        details(id);
        return id;
      })();
    },
    /** The kind and status of run `id`, or a runNotFound error. */
    head(id: number): { id: number; kind: RunKind; status: RunStatus } {
      const row = db().prepare('SELECT id, kind, status FROM runs WHERE id = ?').get(id) as { id: number; kind: RunKind; status: RunStatus } | undefined;
      if (!row) throw new ShirabeError('runNotFound', { id });
      return row;
    },
    addPoints,
    /** The points of one run, in series, group, position order; `series` narrows them to one. */
    points(id: number, series?: string): { series: string; point: string }[] {
      return (
        series === undefined
          ? db().prepare('SELECT series, point FROM run_points WHERE run_id = ? ORDER BY series, group_index, position').all(id)
          : db().prepare('SELECT series, point FROM run_points WHERE run_id = ? AND series = ? ORDER BY group_index, position').all(id, series)
      ) as { series: string; point: string }[];
    },
    /**
     * A checkpoint was written: the points up to it, where it stands and the backend that wrote it,
     * and (when the project keeps the state) the state, all in one transaction.
     */
    checkpointed(id: number, at: object, points: readonly RunPoint[], backend: string, state?: Uint8Array): void {
      db().transaction(() => {
        addPoints(id, points);
        if (state) db().prepare('INSERT OR REPLACE INTO run_checkpoints (run_id, state) VALUES (?, ?)').run(id, Buffer.from(state.buffer, state.byteOffset, state.byteLength));
        db().prepare(`UPDATE runs SET checkpoint = json_set(?, '$.savedAt', ${now}), backend = ? WHERE id = ?`).run(JSON.stringify(at), backend, id);
      })();
    },
    checkpointState(id: number): Uint8Array | null {
      const row = db().prepare('SELECT state FROM run_checkpoints WHERE run_id = ?').get(id) as { state: Buffer } | undefined;
      return row ? new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength) : null;
    },
    /** The run finished: done, its backend and time, no checkpoint any more. Call inside the kind's finishing transaction. */
    finished(id: number, backend: string, seconds: number, memory?: RunMemory | null): void {
      db().prepare('DELETE FROM run_checkpoints WHERE run_id = ?').run(id);
      db().prepare(`UPDATE runs SET status = 'done', backend = ?, seconds = ?, error = NULL, checkpoint = NULL, finished_at = ${now} WHERE id = ?`).run(backend, seconds, id);
      // The measured peak goes into the provenance JSON beside the versions (no column of its own).
      if (memory) db().prepare(`UPDATE runs SET versions = json_set(versions, '$.memory', json(?)) WHERE id = ?`).run(JSON.stringify(memory), id);
    },
    setStatus(id: number, status: RunStatus, error: ErrorInfo | null = null): void {
      db()
        .prepare(`UPDATE runs SET status = ?, error = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ${now} END WHERE id = ?`)
        .run(status, error ? JSON.stringify(error) : null, status, id);
    },
    /** Deletes a run with its points, checkpoint and details (cascade). */
    delete(id: number): void {
      const info = db().prepare('DELETE FROM runs WHERE id = ?').run(id);
      if (info.changes === 0) throw new ShirabeError('runNotFound', { id });
    },
  };
}

export type RunsRepository = ReturnType<typeof runsRepository>;

/** Runs of every kind left 'running' by a process that ended without finishing them. */
export function markRunsInterrupted(db: Database.Database): void {
  db.prepare(`UPDATE runs SET status = 'interrupted' WHERE status = 'running'`).run();
}
