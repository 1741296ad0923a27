// The job history: every job that ended (and its config, result or error, and the run it made),
// the newest JOB_HISTORY_LIMIT kept. A record that arrives while an import transaction is open is
// held back and written after the import ends, so a rollback never loses the history of the job
// that rolled back.
import type Database from 'better-sqlite3';
import type { JobKind, JobRecord, JobStatus, RunRef } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { parseJson } from './json';

/** Job history entries kept. */
export const JOB_HISTORY_LIMIT = 500;

interface JobRow {
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
}

function toRecord(r: JobRow): JobRecord {
  // The result was written by record() from a job of this kind: it is that kind's result.
  return {
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
  } as JobRecord;
}

/**
 * The job history of one connection (ProjectStore.jobs). holdBack says whether an import
 * transaction is open; writeHeldBack() is called when it ends.
 */
export function jobsRepository(db: () => Database.Database, holdBack: () => boolean) {
  /** Records that arrived while an import transaction was open, by job id. */
  const pending = new Map<string, JobRecord>();

  /** Inserts or updates a job in the history (the newest JOB_HISTORY_LIMIT are kept). */
  const record = (job: JobRecord): void => {
    const d = db();
    if (holdBack()) {
      pending.set(job.id, job);
      return;
    }
    d.transaction(() => {
      d.prepare(
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
      d.prepare('DELETE FROM jobs WHERE rowid NOT IN (SELECT rowid FROM jobs ORDER BY rowid DESC LIMIT ?)').run(JOB_HISTORY_LIMIT);
    })();
  };

  return {
    record,

    /** Writes the records held back while an import was open. */
    writeHeldBack(): void {
      if (pending.size > 0) {
        const jobs = [...pending.values()];
        pending.clear();
        for (const job of jobs) record(job);
      }
    },

    /** The job history, newest first (records held back included). */
    history(): JobRecord[] {
      const stored = (db().prepare('SELECT * FROM jobs ORDER BY rowid DESC').all() as JobRow[]).map(toRecord);
      if (pending.size === 0) return stored;
      const held = [...pending.values()].reverse();
      return [...held, ...stored.filter((j) => !pending.has(j.id))];
    },
  };
}

export type JobsRepository = ReturnType<typeof jobsRepository>;
