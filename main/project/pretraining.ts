// Domain pretraining runs in the project: the run record, its curve points (idempotent: a resumed
// run re-emits the same steps), where its checkpoint stands, and masked-LM loss comparisons. The
// model itself is a Hugging Face folder outside the project (it may be gigabytes); its path and
// hash are kept here.
import type Database from 'better-sqlite3';
import type { HeldOutLossInfo, MlmEvaluation, MlmModelScore, PretrainConfig, PretrainPoint, PretrainRunInfo, TrainRunStatus } from '../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../common/errors';

export type NewPretrainRun = Pick<PretrainRunInfo, 'corpusId' | 'name' | 'config' | 'base' | 'dataHash' | 'documents' | 'versions'>;

interface RunRow {
  id: number;
  corpus_id: number;
  corpus_name: string;
  name: string;
  status: TrainRunStatus;
  config: string;
  base: string | null;
  output: string | null;
  data_hash: string;
  documents: string;
  sequences: string | null;
  backend: string | null;
  versions: string;
  created_at: string;
  finished_at: string | null;
  seconds: number | null;
  initial_loss: string | null;
  final_loss: string | null;
  checkpoint_step: number | null;
  checkpoint_saved_at: string | null;
  error: string | null;
}

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const select = 'SELECT r.*, c.name AS corpus_name FROM pretrain_runs r JOIN corpora c ON c.id = r.corpus_id';

function toInfo(r: RunRow): PretrainRunInfo {
  return {
    id: r.id,
    corpusId: r.corpus_id,
    corpusName: r.corpus_name,
    name: r.name,
    status: r.status,
    config: JSON.parse(r.config) as PretrainConfig,
    base: parse<PretrainRunInfo['base']>(r.base),
    output: parse<PretrainRunInfo['output']>(r.output),
    dataHash: r.data_hash,
    documents: JSON.parse(r.documents) as PretrainRunInfo['documents'],
    sequences: parse<PretrainRunInfo['sequences']>(r.sequences) ?? { train: 0, heldOut: 0 },
    backend: r.backend,
    versions: JSON.parse(r.versions) as Record<string, string>,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seconds: r.seconds,
    initialLoss: parse<HeldOutLossInfo>(r.initial_loss),
    finalLoss: parse<HeldOutLossInfo>(r.final_loss),
    checkpoint: r.checkpoint_step === null ? null : { step: r.checkpoint_step, savedAt: r.checkpoint_saved_at! },
    error: parse<ErrorInfo>(r.error),
  };
}

export interface FinishedPretrainRun {
  backend: string;
  seconds: number;
  output: NonNullable<PretrainRunInfo['output']>;
  sequences: PretrainRunInfo['sequences'];
  initialLoss: HeldOutLossInfo;
  finalLoss: HeldOutLossInfo;
  points: readonly PretrainPoint[];
}

export function pretrainingRepository(db: () => Database.Database) {
  const get = (id: number): PretrainRunInfo => {
    const row = db().prepare(`${select} WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new ShirabeError('pretrainRunNotFound', { id });
    return toInfo(row);
  };
  const addPoints = (id: number, points: readonly PretrainPoint[]) => {
    const put = db().prepare('INSERT OR REPLACE INTO pretrain_points (run_id, kind, step, point) VALUES (?, ?, ?, ?)');
    db().transaction(() => {
      for (const p of points) put.run(id, p.kind, p.step, JSON.stringify(p));
    })();
  };
  return {
    create(run: NewPretrainRun): number {
      const info = db()
        .prepare(`INSERT INTO pretrain_runs (corpus_id, name, status, config, base, data_hash, documents, versions) VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`)
        .run(run.corpusId, run.name, JSON.stringify(run.config), run.base ? JSON.stringify(run.base) : null, run.dataHash, JSON.stringify(run.documents), JSON.stringify(run.versions));
      return Number(info.lastInsertRowid);
    },
    get,
    list(corpusId: number | null): PretrainRunInfo[] {
      const rows = (corpusId === null ? db().prepare(`${select} ORDER BY r.id DESC`).all() : db().prepare(`${select} WHERE r.corpus_id = ? ORDER BY r.id DESC`).all(corpusId)) as RunRow[];
      return rows.map(toInfo);
    },
    points(id: number): PretrainPoint[] {
      const rows = db().prepare('SELECT point FROM pretrain_points WHERE run_id = ? ORDER BY step, kind DESC').all(id) as { point: string }[];
      return rows.map((r) => JSON.parse(r.point) as PretrainPoint);
    },
    addPoints,
    /** The worker wrote a checkpoint after `step` steps: the points up to it and the step, in one transaction. */
    checkpointed(id: number, step: number, points: readonly PretrainPoint[], backend: string): void {
      db().transaction(() => {
        addPoints(id, points);
        db().prepare(`UPDATE pretrain_runs SET checkpoint_step = ?, checkpoint_saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), backend = ? WHERE id = ?`).run(step, backend, id);
      })();
    },
    finish(id: number, r: FinishedPretrainRun): void {
      db().transaction(() => {
        addPoints(id, r.points);
        db()
          .prepare(
            `UPDATE pretrain_runs SET status = 'done', backend = ?, seconds = ?, output = ?, sequences = ?, initial_loss = ?, final_loss = ?, error = NULL,
               checkpoint_step = NULL, checkpoint_saved_at = NULL, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
          )
          .run(r.backend, r.seconds, JSON.stringify(r.output), JSON.stringify(r.sequences), JSON.stringify(r.initialLoss), JSON.stringify(r.finalLoss), id);
      })();
    },
    setStatus(id: number, status: TrainRunStatus, error: ErrorInfo | null = null): void {
      db()
        .prepare(`UPDATE pretrain_runs SET status = ?, error = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END WHERE id = ?`)
        .run(status, error ? JSON.stringify(error) : null, status, id);
    },
    delete(id: number): void {
      get(id);
      db().prepare('DELETE FROM pretrain_runs WHERE id = ?').run(id);
    },
    addEvaluation(e: Omit<MlmEvaluation, 'id' | 'corpusName' | 'createdAt'>): number {
      const info = db()
        .prepare('INSERT INTO mlm_evaluations (corpus_id, split, max_length, seeds, documents, models) VALUES (?, ?, ?, ?, ?, ?)')
        .run(e.corpusId, e.split, e.maxLength, e.seeds, e.documents, JSON.stringify(e.models));
      return Number(info.lastInsertRowid);
    },
    evaluations(corpusId: number | null): MlmEvaluation[] {
      const sql = `SELECT e.*, c.name AS corpus_name FROM mlm_evaluations e JOIN corpora c ON c.id = e.corpus_id ${corpusId === null ? '' : 'WHERE e.corpus_id = ?'} ORDER BY e.id DESC`;
      const rows = (corpusId === null ? db().prepare(sql).all() : db().prepare(sql).all(corpusId)) as {
        id: number; corpus_id: number; corpus_name: string; split: MlmEvaluation['split']; max_length: number; seeds: number; documents: number; models: string; created_at: string;
      }[];
      return rows.map((r) => ({ id: r.id, corpusId: r.corpus_id, corpusName: r.corpus_name, split: r.split, maxLength: r.max_length, seeds: r.seeds, documents: r.documents, createdAt: r.created_at, models: JSON.parse(r.models) as MlmModelScore[] }));
    },
  };
}

export type PretrainingRepository = ReturnType<typeof pretrainingRepository>;

/** Runs left 'running' by a process that ended without finishing them. */
export function markPretrainInterrupted(db: Database.Database): void {
  db.prepare(`UPDATE pretrain_runs SET status = 'interrupted' WHERE status = 'running'`).run();
}
