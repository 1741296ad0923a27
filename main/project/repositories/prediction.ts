// Prediction runs: the shared run record with the classifier applied (prediction_details) and one
// row per document predicted (prediction_documents): predicted labels, confidence and per-label
// probabilities as a little-endian Float32 BLOB. Each chunk of documents is written in one
// transaction with the run's checkpoint, so a resumed run skips what it has; the comparison with
// the gold labels is written with the run's end, in one transaction.
import type Database from 'better-sqlite3';
import type { PredictionConfig, PredictionEvaluation, PredictionRunInfo, PredictionSort, SplitName, TrainTask } from '../../../common/contract';
import { kindRecords, parseJson, runBase, runsRepository, type NewRun, type RunRow } from './runs';

interface PredictionRow extends RunRow {
  model: string;
  labels: string;
  task: TrainTask;
  threshold: number;
  evaluation: string | null;
  done: number;
}

/** One document's result as the service writes it. */
export interface NewPrediction {
  documentId: number;
  position: number;
  predicted: string[];
  confidence: number;
  probabilities: Float32Array;
}

/** One document's result as kept, with what the document is. */
export interface StoredPrediction extends NewPrediction {
  title: string | null;
  /** The text's first 200 characters (a page of rows never reads whole documents). */
  snippet: string;
  label: string | null;
  split: SplitName;
}

const toInfo = (r: PredictionRow): PredictionRunInfo => ({
  kind: 'prediction',
  ...runBase<PredictionConfig, { documents: number }, { step: number; savedAt: string }>(r),
  model: JSON.parse(r.model) as PredictionRunInfo['model'],
  labels: JSON.parse(r.labels) as string[],
  task: r.task,
  threshold: r.threshold,
  done: r.done,
  evaluation: parseJson<PredictionEvaluation>(r.evaluation),
});

const blob = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** A copy (the Buffer's memory belongs to SQLite's row), aligned for Float32Array. */
const float32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

const details = `(SELECT d.run_id, d.model, d.labels, d.task, d.threshold, d.evaluation,
  (SELECT COUNT(*) FROM prediction_documents p WHERE p.run_id = d.run_id) AS done FROM prediction_details d)`;

const orderBy: Record<PredictionSort, string> = {
  position: 'p.position',
  'confidence-desc': 'p.confidence DESC, p.position',
  'confidence-asc': 'p.confidence ASC, p.position',
};

/** A run's documents, optionally those predicted as one label. */
function filter(runId: number, predicted: string | null | undefined): { where: string; params: (string | number)[] } {
  if (predicted == null) return { where: 'p.run_id = ?', params: [runId] };
  return { where: 'p.run_id = ? AND EXISTS (SELECT 1 FROM json_each(p.predicted) WHERE value = ?)', params: [runId, predicted] };
}

export function predictionRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const records = kindRecords(db, details, toInfo);
  return {
    ...records,
    create: (run: NewRun & { config: PredictionConfig; model: PredictionRunInfo['model']; labels: string[]; task: TrainTask; threshold: number }) =>
      runs.create('prediction', run, (id) =>
        db()
          .prepare('INSERT INTO prediction_details (run_id, model, labels, task, threshold) VALUES (?, ?, ?, ?, ?)')
          .run(id, JSON.stringify(run.model), JSON.stringify(run.labels), run.task, run.threshold),
      ),
    /** A chunk of documents' results with the run's checkpoint (documents done), in one transaction. */
    addDocuments(runId: number, documents: readonly NewPrediction[], backend: string): void {
      records.get(runId);
      db().transaction(() => {
        const put = db().prepare('INSERT OR REPLACE INTO prediction_documents (run_id, document_id, position, predicted, confidence, probabilities) VALUES (?, ?, ?, ?, ?, ?)');
        for (const d of documents) put.run(runId, d.documentId, d.position, JSON.stringify(d.predicted), d.confidence, blob(d.probabilities));
        const done = (db().prepare('SELECT COUNT(*) AS n FROM prediction_documents WHERE run_id = ?').get(runId) as { n: number }).n;
        runs.checkpointed(runId, { step: done }, [], backend);
      })();
    },
    /** The ids of the documents already predicted (a resumed run skips them). */
    doneIds(runId: number): Set<number> {
      return new Set((db().prepare('SELECT document_id FROM prediction_documents WHERE run_id = ?').pluck().all(runId) as number[]));
    },
    /**
     * The predicted documents with a snippet and the gold label, in the run's order (or sorted by
     * confidence), optionally those predicted as one label, optionally one page of them.
     */
    documents(runId: number, options: { predicted?: string | null; sort?: PredictionSort; page?: { offset: number; limit: number } } = {}): StoredPrediction[] {
      records.get(runId);
      const { where, params } = filter(runId, options.predicted);
      const page = options.page ? ' LIMIT ? OFFSET ?' : '';
      if (options.page) params.push(options.page.limit, options.page.offset);
      const rows = db()
        .prepare(
          `SELECT p.document_id, p.position, p.predicted, p.confidence, p.probabilities, d.title, substr(d.text, 1, 200) AS snippet, d.label, d.split
           FROM prediction_documents p JOIN documents d ON d.id = p.document_id
           WHERE ${where} ORDER BY ${orderBy[options.sort ?? 'position']}${page}`,
        )
        .all(...params) as { document_id: number; position: number; predicted: string; confidence: number; probabilities: Buffer; title: string | null; snippet: string; label: string | null; split: SplitName }[];
      return rows.map((r) => ({
        documentId: r.document_id,
        position: r.position,
        predicted: JSON.parse(r.predicted) as string[],
        confidence: r.confidence,
        probabilities: float32(r.probabilities),
        title: r.title,
        snippet: r.snippet,
        label: r.label,
        split: r.split,
      }));
    },
    /** How many documents `documents` would give without a page. */
    count(runId: number, predicted?: string | null): number {
      const { where, params } = filter(runId, predicted);
      return (db().prepare(`SELECT COUNT(*) AS n FROM prediction_documents p JOIN documents d ON d.id = p.document_id WHERE ${where}`).get(...params) as { n: number }).n;
    },
    /** The run finished: its comparison with the gold labels (if any) and its end, in one transaction. */
    finish(runId: number, evaluation: PredictionEvaluation | null, backend: string, seconds: number): void {
      db().transaction(() => {
        db().prepare('UPDATE prediction_details SET evaluation = ? WHERE run_id = ?').run(evaluation === null ? null : JSON.stringify(evaluation), runId);
        runs.finished(runId, backend, seconds);
      })();
    },
    /** As training's relinkBase: the runs of model `from` (recorded with `hash`) point at the same model in `to`, the record and a config naming the folder; how many moved. */
    relinkModel(from: string, to: string, hash: string): number {
      return db().transaction(() => {
        const which = `SELECT run_id FROM prediction_details WHERE json_extract(model, '$.path') = ? AND json_extract(model, '$.hash') = ?`;
        db().prepare(`UPDATE runs SET config = json_set(config, '$.source.path', ?) WHERE id IN (${which}) AND json_extract(config, '$.source.kind') = 'model' AND json_extract(config, '$.source.path') = ?`).run(to, from, hash, from);
        return db().prepare(`UPDATE prediction_details SET model = json_set(model, '$.path', ?) WHERE run_id IN (${which})`).run(to, from, hash).changes;
      })();
    },
    setStatus: runs.setStatus,
    delete(runId: number): void {
      records.get(runId);
      runs.delete(runId);
    },
  };
}

export type PredictionRepository = ReturnType<typeof predictionRepository>;
