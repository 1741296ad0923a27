// Fine-tuning runs in the project: the run record, its curves (idempotent points), its last
// checkpoint, the kept weights and the per-document logits. The final write is one transaction.
import type Database from 'better-sqlite3';
import type { EpochPoint, LearningRateSummary, StepPoint, TestMetrics, TrainConfig, TrainCurves, TrainRunInfo, TrainRunStatus } from '../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../common/errors';

export type NewTrainRun = Pick<TrainRunInfo, 'corpusId' | 'name' | 'config' | 'labels' | 'model' | 'dataHash' | 'documents' | 'versions'>;

interface RunRow {
  id: number;
  corpus_id: number;
  corpus_name: string;
  name: string;
  status: TrainRunStatus;
  config: string;
  labels: string;
  model: string;
  data_hash: string;
  documents: string;
  backend: string | null;
  versions: string;
  created_at: string;
  finished_at: string | null;
  seconds: number | null;
  best: string | null;
  per_learning_rate: string;
  test: string | null;
  error: string | null;
  cp_lr: number | null;
  cp_step: number | null;
  cp_saved: string | null;
}

const select = `SELECT r.*, c.name AS corpus_name, k.lr_index AS cp_lr, k.step AS cp_step, k.saved_at AS cp_saved
  FROM training_runs r JOIN corpora c ON c.id = r.corpus_id LEFT JOIN training_checkpoints k ON k.run_id = r.id`;

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

function toInfo(r: RunRow): TrainRunInfo {
  return {
    id: r.id,
    corpusId: r.corpus_id,
    corpusName: r.corpus_name,
    name: r.name,
    status: r.status,
    config: JSON.parse(r.config) as TrainConfig,
    labels: JSON.parse(r.labels) as string[],
    model: JSON.parse(r.model) as TrainRunInfo['model'],
    dataHash: r.data_hash,
    documents: JSON.parse(r.documents) as TrainRunInfo['documents'],
    backend: r.backend,
    versions: JSON.parse(r.versions) as Record<string, string>,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seconds: r.seconds,
    best: parse<TrainRunInfo['best']>(r.best),
    perLearningRate: JSON.parse(r.per_learning_rate) as LearningRateSummary[],
    test: parse<TestMetrics>(r.test),
    checkpoint: r.cp_step === null ? null : { learningRateIndex: r.cp_lr!, step: r.cp_step, savedAt: r.cp_saved! },
    error: parse<ErrorInfo>(r.error),
  };
}

export function createTrainRun(db: Database.Database, run: NewTrainRun): number {
  const info = db
    .prepare(`INSERT INTO training_runs (corpus_id, name, status, config, labels, model, data_hash, documents, versions) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`)
    .run(run.corpusId, run.name, JSON.stringify(run.config), JSON.stringify(run.labels), JSON.stringify(run.model), run.dataHash, JSON.stringify(run.documents), JSON.stringify(run.versions));
  return Number(info.lastInsertRowid);
}

export function getTrainRun(db: Database.Database, id: number): TrainRunInfo {
  const row = db.prepare(`${select} WHERE r.id = ?`).get(id) as RunRow | undefined;
  if (!row) throw new ShirabeError('trainRunNotFound', { id });
  return toInfo(row);
}

export function listTrainRuns(db: Database.Database, corpusId: number | null): TrainRunInfo[] {
  const rows = (corpusId === null ? db.prepare(`${select} ORDER BY r.id DESC`).all() : db.prepare(`${select} WHERE r.corpus_id = ? ORDER BY r.id DESC`).all(corpusId)) as RunRow[];
  return rows.map(toInfo);
}

export function trainCurves(db: Database.Database, id: number): TrainCurves {
  const rows = db.prepare('SELECT kind, point FROM training_curves WHERE run_id = ? ORDER BY kind, lr_index, position').all(id) as { kind: 'step' | 'epoch'; point: string }[];
  return {
    steps: rows.filter((r) => r.kind === 'step').map((r) => JSON.parse(r.point) as StepPoint),
    epochs: rows.filter((r) => r.kind === 'epoch').map((r) => JSON.parse(r.point) as EpochPoint),
  };
}

/** Curve points (a resumed run re-emits the same positions: they replace, never duplicate). */
export function addCurvePoints(db: Database.Database, id: number, steps: readonly StepPoint[], epochs: readonly EpochPoint[]): void {
  const put = db.prepare('INSERT OR REPLACE INTO training_curves (run_id, kind, lr_index, position, point) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const p of steps) put.run(id, 'step', p.learningRateIndex, p.step, JSON.stringify(p));
    for (const p of epochs) put.run(id, 'epoch', p.learningRateIndex, p.epoch, JSON.stringify(p));
  })();
}

/** The checkpoint replaces the previous one, with the curve points up to it, in one transaction. */
export function saveCheckpoint(db: Database.Database, id: number, at: { learningRateIndex: number; step: number }, state: Uint8Array, steps: readonly StepPoint[], epochs: readonly EpochPoint[], backend: string): void {
  db.transaction(() => {
    addCurvePoints(db, id, steps, epochs);
    db.prepare('INSERT OR REPLACE INTO training_checkpoints (run_id, lr_index, step, state) VALUES (?, ?, ?, ?)').run(id, at.learningRateIndex, at.step, Buffer.from(state.buffer, state.byteOffset, state.byteLength));
    db.prepare('UPDATE training_runs SET backend = ? WHERE id = ?').run(backend, id);
  })();
}

export function loadCheckpoint(db: Database.Database, id: number): Uint8Array | null {
  const row = db.prepare('SELECT state FROM training_checkpoints WHERE run_id = ?').get(id) as { state: Buffer } | undefined;
  return row ? new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength) : null;
}

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
}

/** Everything a finished run keeps, in one transaction; the checkpoint is no longer needed. */
export function finishTrainRun(db: Database.Database, id: number, r: FinishedRun): void {
  db.transaction(() => {
    addCurvePoints(db, id, r.steps, r.epochs);
    const put = db.prepare('INSERT OR REPLACE INTO training_predictions (run_id, document_id, split, logits) VALUES (?, ?, ?, ?)');
    for (const p of r.predictions) put.run(id, p.documentId, p.split, Buffer.from(p.logits.buffer, p.logits.byteOffset, p.logits.byteLength));
    const w = r.weights.safetensors;
    db.prepare('INSERT OR REPLACE INTO training_weights (run_id, kind, safetensors) VALUES (?, ?, ?)').run(id, r.weights.kind, Buffer.from(w.buffer, w.byteOffset, w.byteLength));
    db.prepare('DELETE FROM training_checkpoints WHERE run_id = ?').run(id);
    db.prepare(
      `UPDATE training_runs SET status = 'done', backend = ?, seconds = ?, best = ?, per_learning_rate = ?, test = ?, error = NULL,
         finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
    ).run(r.backend, r.seconds, JSON.stringify(r.best), JSON.stringify(r.perLearningRate), JSON.stringify(r.test), id);
  })();
}

export function setTrainRunStatus(db: Database.Database, id: number, status: TrainRunStatus, error: ErrorInfo | null = null): void {
  db.prepare(`UPDATE training_runs SET status = ?, error = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END WHERE id = ?`).run(
    status,
    error ? JSON.stringify(error) : null,
    status,
    id,
  );
}

/** Runs left 'running' by a process that ended without finishing them. */
export function markInterrupted(db: Database.Database): void {
  db.prepare(`UPDATE training_runs SET status = 'interrupted' WHERE status = 'running'`).run();
}

export function deleteTrainRun(db: Database.Database, id: number): void {
  getTrainRun(db, id);
  db.prepare('DELETE FROM training_runs WHERE id = ?').run(id);
}

export function trainWeights(db: Database.Database, id: number): { kind: 'lora' | 'full'; safetensors: Uint8Array } | null {
  const row = db.prepare('SELECT kind, safetensors FROM training_weights WHERE run_id = ?').get(id) as { kind: 'lora' | 'full'; safetensors: Buffer } | undefined;
  return row ? { kind: row.kind, safetensors: new Uint8Array(row.safetensors.buffer, row.safetensors.byteOffset, row.safetensors.byteLength) } : null;
}

export interface PredictionRecord {
  documentId: number;
  split: 'validation' | 'test';
  title: string | null;
  text: string;
  label: string | null;
  logits: Float32Array;
}

export function trainPredictions(db: Database.Database, id: number, split: 'validation' | 'test'): PredictionRecord[] {
  const rows = db
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
}

/** The repository bound to one connection (ProjectStore.training). */
export function trainingRepository(db: () => Database.Database) {
  return {
    create: (run: NewTrainRun) => createTrainRun(db(), run),
    get: (id: number) => getTrainRun(db(), id),
    list: (corpusId: number | null) => listTrainRuns(db(), corpusId),
    curves: (id: number) => trainCurves(db(), id),
    addCurvePoints: (id: number, steps: readonly StepPoint[], epochs: readonly EpochPoint[]) => addCurvePoints(db(), id, steps, epochs),
    saveCheckpoint: (id: number, at: { learningRateIndex: number; step: number }, state: Uint8Array, steps: readonly StepPoint[], epochs: readonly EpochPoint[], backend: string) =>
      saveCheckpoint(db(), id, at, state, steps, epochs, backend),
    loadCheckpoint: (id: number) => loadCheckpoint(db(), id),
    finish: (id: number, r: FinishedRun) => finishTrainRun(db(), id, r),
    setStatus: (id: number, status: TrainRunStatus, error: ErrorInfo | null = null) => setTrainRunStatus(db(), id, status, error),
    delete: (id: number) => deleteTrainRun(db(), id),
    weights: (id: number) => trainWeights(db(), id),
    predictions: (id: number, split: 'validation' | 'test') => trainPredictions(db(), id, split),
  };
}

export type TrainingRepository = ReturnType<typeof trainingRepository>;
