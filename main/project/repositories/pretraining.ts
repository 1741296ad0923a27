// Domain pretraining runs in the project: the shared run record (repositories/runs.ts) with this
// kind's detail row (base and written model, sequences, held-out losses), its curve points
// (run_points: series 'step' and 'eval'; idempotent, a resumed run re-emits the same steps), where
// its checkpoint stands, and masked-LM loss comparisons. The model itself is a Hugging Face folder
// outside the project (it may be gigabytes), and so is its checkpoint; their paths and hashes are kept here.
import type Database from 'better-sqlite3';
import type { HeldOutLossInfo, MlmEvaluation, MlmModelScore, PretrainConfig, PretrainPoint, PretrainRunInfo, RunMemory, RunStatus } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { kindRecords, parseJson, runBase, runsRepository, type RunPoint, type RunRow } from './runs';

export type NewPretrainRun = Pick<PretrainRunInfo, 'corpusId' | 'name' | 'config' | 'base' | 'dataHash' | 'documents' | 'versions'>;

interface PretrainRow extends RunRow {
  base: string | null;
  output: string | null;
  sequences: string | null;
  initial_loss: string | null;
  final_loss: string | null;
}

function toInfo(r: PretrainRow): PretrainRunInfo {
  return {
    ...runBase<PretrainConfig, PretrainRunInfo['documents'], NonNullable<PretrainRunInfo['checkpoint']>>(r),
    kind: 'pretrain',
    base: parseJson<PretrainRunInfo['base']>(r.base),
    output: parseJson<PretrainRunInfo['output']>(r.output),
    sequences: parseJson<PretrainRunInfo['sequences']>(r.sequences) ?? { train: 0, heldOut: 0 },
    initialLoss: parseJson<HeldOutLossInfo>(r.initial_loss),
    finalLoss: parseJson<HeldOutLossInfo>(r.final_loss),
  };
}

const asPoints = (points: readonly PretrainPoint[]): RunPoint[] => points.map((p) => ({ series: p.kind, group: 0, position: p.step, point: p }));

export interface FinishedPretrainRun {
  backend: string;
  seconds: number;
  output: NonNullable<PretrainRunInfo['output']>;
  sequences: PretrainRunInfo['sequences'];
  initialLoss: HeldOutLossInfo;
  finalLoss: HeldOutLossInfo;
  points: readonly PretrainPoint[];
  /** What the run measured (peak tensor bytes, process RSS), kept in its provenance JSON. */
  memory?: RunMemory | null;
}

export function pretrainingRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const { get, list } = kindRecords(db, 'pretraining_details', toInfo);
  const addPoints = (id: number, points: readonly PretrainPoint[]) => runs.addPoints(id, asPoints(points));
  return {
    create(run: NewPretrainRun): number {
      return runs.create('pretrain', run, (id) =>
        db().prepare('INSERT INTO pretraining_details (run_id, base) VALUES (?, ?)').run(id, run.base ? JSON.stringify(run.base) : null),
      );
    },
    /** As training's relinkBase: the runs continued from base model `from` (recorded with `hash`) point at `to`. */
    relinkBase(from: string, to: string, hash: string): number {
      return db().transaction(() => {
        const which = `SELECT run_id FROM pretraining_details WHERE json_extract(base, '$.path') = ? AND json_extract(base, '$.hash') = ?`;
        db().prepare(`UPDATE runs SET config = json_set(config, '$.modelPath', ?) WHERE id IN (${which})`).run(to, from, hash);
        return db().prepare(`UPDATE pretraining_details SET base = json_set(base, '$.path', ?) WHERE run_id IN (${which})`).run(to, from, hash).changes;
      })();
    },
    get,
    list,
    /** In step order; at one step the training point before the evaluation. */
    points(id: number): PretrainPoint[] {
      const points = runs.points(id).map((r) => JSON.parse(r.point) as PretrainPoint);
      return points.sort((a, b) => a.step - b.step || (a.kind === b.kind ? 0 : a.kind === 'step' ? -1 : 1));
    },
    addPoints,
    /** The worker wrote a checkpoint after `step` steps: the points up to it and the step, in one transaction. */
    checkpointed(id: number, step: number, points: readonly PretrainPoint[], backend: string): void {
      runs.checkpointed(id, { step }, asPoints(points), backend);
    },
    finish(id: number, r: FinishedPretrainRun): void {
      db().transaction(() => {
        addPoints(id, r.points);
        db()
          .prepare('UPDATE pretraining_details SET output = ?, sequences = ?, initial_loss = ?, final_loss = ? WHERE run_id = ?')
          .run(JSON.stringify(r.output), JSON.stringify(r.sequences), JSON.stringify(r.initialLoss), JSON.stringify(r.finalLoss), id);
        runs.finished(id, r.backend, r.seconds, r.memory);
      })();
    },
    setStatus: (id: number, status: RunStatus, error: ErrorInfo | null = null) => runs.setStatus(id, status, error),
    delete(id: number): void {
      get(id);
      runs.delete(id);
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
