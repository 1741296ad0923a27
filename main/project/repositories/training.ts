// Fine-tuning runs in the project: the shared run record (repositories/runs.ts) with this kind's
// detail row (labels, base model, results), its curves (run_points: series 'step' and 'epoch',
// grouped by learning rate), its last checkpoint, the kept weights and the per-document logits.
// The final write is one transaction.
import type Database from 'better-sqlite3';
import type { EpochPoint, LearningRateSummary, RunMemory, RunStatus, StepPoint, TestMetrics, TrainConfig, TrainCurves, TrainRunInfo } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { kindRecords, parseJson, runBase, runsRepository, type RunPoint, type RunRow } from './runs';

export type NewTrainRun = Pick<TrainRunInfo, 'corpusId' | 'name' | 'config' | 'labels' | 'model' | 'dataHash' | 'documents' | 'versions'>;

interface TrainRow extends RunRow {
  labels: string;
  model: string;
  best: string | null;
  per_learning_rate: string;
  test: string | null;
}

function toInfo(r: TrainRow): TrainRunInfo {
  return {
    ...runBase<TrainConfig, TrainRunInfo['documents'], NonNullable<TrainRunInfo['checkpoint']>>(r),
    kind: 'train',
    labels: JSON.parse(r.labels) as string[],
    model: JSON.parse(r.model) as TrainRunInfo['model'],
    best: parseJson<TrainRunInfo['best']>(r.best),
    perLearningRate: JSON.parse(r.per_learning_rate) as LearningRateSummary[],
    test: parseJson<TestMetrics>(r.test),
  };
}

/** Curve points as run_points: the learning rate's index is the group, the step or epoch the position. */
const curvePoints = (steps: readonly StepPoint[], epochs: readonly EpochPoint[]): RunPoint[] => [
  ...steps.map((p) => ({ series: 'step', group: p.learningRateIndex, position: p.step, point: p })),
  ...epochs.map((p) => ({ series: 'epoch', group: p.learningRateIndex, position: p.epoch, point: p })),
];

export interface FinishedRun {
  backend: string;
  seconds: number;
  best: NonNullable<TrainRunInfo['best']>;
  perLearningRate: LearningRateSummary[];
  test: TestMetrics;
  weights: { kind: 'lora' | 'full'; safetensors: Uint8Array };
  /** Logits per document (K float32 each). */
  predictions: { documentId: number; split: 'validation' | 'test'; logits: Float32Array }[];
  steps: readonly StepPoint[];
  epochs: readonly EpochPoint[];
  /** What the run measured (peak tensor bytes, process RSS), kept in its provenance JSON. */
  memory?: RunMemory | null;
}

export interface PredictionRecord {
  documentId: number;
  split: 'validation' | 'test';
  title: string | null;
  text: string;
  label: string | null;
  logits: Float32Array;
}

/** The repository bound to one connection (ProjectStore.training). */
export function trainingRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const { get, list } = kindRecords(db, 'training_details', toInfo);
  const addCurvePoints = (id: number, steps: readonly StepPoint[], epochs: readonly EpochPoint[]) => runs.addPoints(id, curvePoints(steps, epochs));
  return {
    create(run: NewTrainRun): number {
      return runs.create('train', run, (id) =>
        db().prepare('INSERT INTO training_details (run_id, labels, model) VALUES (?, ?, ?)').run(id, JSON.stringify(run.labels), JSON.stringify(run.model)),
      );
    },
    get,
    list,
    /**
     * Points the runs trained on base model `from` (recorded with `hash`) at the same model in `to`:
     * the config's modelPath and the model record's path, in one transaction; how many runs moved.
     * (A shared project opened where the model lives elsewhere, or was downloaded again.)
     */
    relinkBase(from: string, to: string, hash: string): number {
      return db().transaction(() => {
        const which = `SELECT run_id FROM training_details WHERE json_extract(model, '$.path') = ? AND json_extract(model, '$.hash') = ?`;
        db().prepare(`UPDATE runs SET config = json_set(config, '$.modelPath', ?) WHERE id IN (${which})`).run(to, from, hash);
        return db().prepare(`UPDATE training_details SET model = json_set(model, '$.path', ?) WHERE run_id IN (${which})`).run(to, from, hash).changes;
      })();
    },
    curves(id: number): TrainCurves {
      const rows = runs.points(id);
      return {
        steps: rows.filter((r) => r.series === 'step').map((r) => JSON.parse(r.point) as StepPoint),
        epochs: rows.filter((r) => r.series === 'epoch').map((r) => JSON.parse(r.point) as EpochPoint),
      };
    },
    /** Curve points (a resumed run re-emits the same positions: they replace, never duplicate). */
    addCurvePoints,
    /** The checkpoint replaces the previous one, with the curve points up to it, in one transaction. */
    saveCheckpoint(id: number, at: { learningRateIndex: number; step: number }, state: Uint8Array, steps: readonly StepPoint[], epochs: readonly EpochPoint[], backend: string): void {
      runs.checkpointed(id, { learningRateIndex: at.learningRateIndex, step: at.step }, curvePoints(steps, epochs), backend, state);
    },
    loadCheckpoint: (id: number) => runs.checkpointState(id),
    /** Everything a finished run keeps, in one transaction; the checkpoint is no longer needed. */
    finish(id: number, r: FinishedRun): void {
      db().transaction(() => {
        addCurvePoints(id, r.steps, r.epochs);
        const put = db().prepare('INSERT OR REPLACE INTO training_predictions (run_id, document_id, split, logits) VALUES (?, ?, ?, ?)');
        for (const p of r.predictions) put.run(id, p.documentId, p.split, Buffer.from(p.logits.buffer, p.logits.byteOffset, p.logits.byteLength));
        const w = r.weights.safetensors;
        db().prepare('INSERT OR REPLACE INTO training_weights (run_id, kind, safetensors) VALUES (?, ?, ?)').run(id, r.weights.kind, Buffer.from(w.buffer, w.byteOffset, w.byteLength));
        db().prepare('UPDATE training_details SET best = ?, per_learning_rate = ?, test = ? WHERE run_id = ?').run(JSON.stringify(r.best), JSON.stringify(r.perLearningRate), JSON.stringify(r.test), id);
        runs.finished(id, r.backend, r.seconds, r.memory);
      })();
    },
    setStatus: (id: number, status: RunStatus, error: ErrorInfo | null = null) => runs.setStatus(id, status, error),
    delete(id: number): void {
      get(id);
      runs.delete(id);
    },
    weights(id: number): { kind: 'lora' | 'full'; safetensors: Uint8Array } | null {
      const row = db().prepare('SELECT kind, safetensors FROM training_weights WHERE run_id = ?').get(id) as { kind: 'lora' | 'full'; safetensors: Buffer } | undefined;
      return row ? { kind: row.kind, safetensors: new Uint8Array(row.safetensors.buffer, row.safetensors.byteOffset, row.safetensors.byteLength) } : null;
    },
    predictions(id: number, split: 'validation' | 'test'): PredictionRecord[] {
      const rows = db()
        .prepare(
          `SELECT p.document_id, p.split, p.logits, d.title, d.text, d.label FROM training_predictions p JOIN documents d ON d.id = p.document_id
           WHERE p.run_id = ? AND p.split = ? ORDER BY d.ordinal`,
        )
        .all(id, split) as { document_id: number; split: 'validation' | 'test'; logits: Buffer; title: string | null; text: string; label: string | null }[];
      return rows.map((r) => ({
        documentId: r.document_id,
        split: r.split,
        title: r.title,
        text: r.text,
        label: r.label,
        logits: new Float32Array(r.logits.buffer.slice(r.logits.byteOffset, r.logits.byteOffset + r.logits.byteLength)),
      }));
    },
  };
}

export type TrainingRepository = ReturnType<typeof trainingRepository>;
