// Attribution runs: the shared run record with the model attributed (attribution_details) and one
// row per document done (attribution_documents), each written in its own transaction with the run's
// checkpoint, so a resumed run skips the documents it has; the run is done when the last is.
import type Database from 'better-sqlite3';
import type { AttributedDocumentInfo, AttributedDocumentRecord, AttributedToken, AttributionConfig, AttributionModelRef, AttributionRunInfo } from '../../../common/contract';
import { kindRecords, parseJson, runBase, runsRepository, type NewRun, type RunRow } from './runs';

interface AttributionRow extends RunRow {
  model: string;
  signed: number;
  done: number;
  gap_mean: number | null;
  gap_max: number | null;
}

interface DocumentRow {
  document_id: number;
  title: string | null;
  label: string | null;
  target: string;
  predicted: string | null;
  at_input: number;
  at_baseline: number;
  gap: number;
  steps: number;
  truncated: number;
  token_count: number;
}

/** A token as kept, and a document's result as written (common/contract/attribution.ts). */
export type StoredToken = AttributedToken;
export type NewAttributedDocument = AttributedDocumentRecord;

const toInfo = (r: AttributionRow): AttributionRunInfo => ({
  kind: 'attribution',
  ...runBase<AttributionConfig, { documents: number }, { step: number; savedAt: string }>(r),
  model: JSON.parse(r.model) as AttributionModelRef,
  signed: r.signed === 1,
  done: r.done,
  gap: r.gap_mean === null || r.gap_max === null ? null : { mean: r.gap_mean, max: r.gap_max },
});

const blob = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** A copy (the Buffer's memory belongs to SQLite's row), aligned for Float32Array. */
const float32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

// The detail view carries the per-document counts and gaps, so runs.list shows progress and quality without reading every row.
const details = `(SELECT d.run_id, d.model, d.signed, COUNT(a.document_id) AS done, AVG(a.gap) AS gap_mean, MAX(a.gap) AS gap_max
  FROM attribution_details d LEFT JOIN attribution_documents a ON a.run_id = d.run_id GROUP BY d.run_id)`;

export function attributionRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const records = kindRecords(db, details, toInfo);
  return {
    ...records,
    create: (run: NewRun & { config: AttributionConfig; model: AttributionModelRef; signed: boolean }) =>
      runs.create('attribution', run, (id) => db().prepare('INSERT INTO attribution_details (run_id, model, signed) VALUES (?, ?, ?)').run(id, JSON.stringify(run.model), run.signed ? 1 : 0)),
    /** As training's relinkBase: the runs of model `from` (recorded with `hash`) point at the same model in `to`, the record and a config naming the folder; how many moved. */
    relinkModel(from: string, to: string, hash: string): number {
      return db().transaction(() => {
        const which = `SELECT run_id FROM attribution_details WHERE json_extract(model, '$.path') = ? AND json_extract(model, '$.hash') = ?`;
        db().prepare(`UPDATE runs SET config = json_set(config, '$.source.path', ?) WHERE id IN (${which}) AND json_extract(config, '$.source.kind') = 'model' AND json_extract(config, '$.source.path') = ?`).run(to, from, hash, from);
        return db().prepare(`UPDATE attribution_details SET model = json_set(model, '$.path', ?) WHERE run_id IN (${which})`).run(to, from, hash).changes;
      })();
    },
    /** One document's result, with the run's checkpoint (documents done), in one transaction. */
    addDocument(runId: number, d: NewAttributedDocument, backend: string): void {
      records.get(runId);
      db().transaction(() => {
        db()
          .prepare(
            `INSERT OR REPLACE INTO attribution_documents (run_id, document_id, position, target, predicted, at_input, at_baseline, gap, steps, truncated, tokens, scores, low, high)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(runId, d.documentId, d.position, d.target, d.predicted, d.atInput, d.atBaseline, d.gap, d.steps, d.truncated, JSON.stringify(d.tokens), blob(d.scores), d.low && blob(d.low), d.high && blob(d.high));
        const done = (db().prepare('SELECT COUNT(*) AS n FROM attribution_documents WHERE run_id = ?').get(runId) as { n: number }).n;
        // The checkpoint's step is the number of documents done.
        runs.checkpointed(runId, { step: done }, [], backend);
      })();
    },
    /** The runs that hold a document's scores, newest first. */
    runsOf(documentId: number): number[] {
      return (db().prepare('SELECT run_id FROM attribution_documents WHERE document_id = ? ORDER BY run_id DESC').all(documentId) as { run_id: number }[]).map((r) => r.run_id);
    },
    /** The ids of the documents already done (a resumed run skips them). */
    doneIds(runId: number): Set<number> {
      return new Set((db().prepare('SELECT document_id FROM attribution_documents WHERE run_id = ?').all(runId) as { document_id: number }[]).map((r) => r.document_id));
    },
    /** The documents done, in the run's order, with their titles and gold labels. */
    documents(runId: number): AttributedDocumentInfo[] {
      records.get(runId);
      const rows = db()
        .prepare(
          `SELECT a.document_id, d.title, d.label, a.target, a.predicted, a.at_input, a.at_baseline, a.gap, a.steps, a.truncated, json_array_length(a.tokens) AS token_count
           FROM attribution_documents a JOIN documents d ON d.id = a.document_id
           WHERE a.run_id = ? ORDER BY a.position`,
        )
        .all(runId) as DocumentRow[];
      return rows.map((r) => ({
        documentId: r.document_id,
        title: r.title,
        label: r.label,
        target: r.target,
        predicted: r.predicted,
        atInput: r.at_input,
        atBaseline: r.at_baseline,
        gap: r.gap,
        steps: r.steps,
        tokens: r.token_count,
        truncated: r.truncated,
      }));
    },
    /** One document's stored result, or null when it is not (yet) in the run. */
    document(runId: number, documentId: number): { info: AttributedDocumentInfo; tokens: StoredToken[]; scores: Float32Array; low: Float32Array | null; high: Float32Array | null } | null {
      const info = this.documents(runId).find((d) => d.documentId === documentId);
      if (!info) return null;
      const row = db().prepare('SELECT tokens, scores, low, high FROM attribution_documents WHERE run_id = ? AND document_id = ?').get(runId, documentId) as { tokens: string; scores: Buffer; low: Buffer | null; high: Buffer | null };
      return { info, tokens: parseJson<StoredToken[]>(row.tokens) ?? [], scores: float32(row.scores), low: row.low && float32(row.low), high: row.high && float32(row.high) };
    },
    finish(runId: number, backend: string, seconds: number): void {
      db().transaction(() => runs.finished(runId, backend, seconds))();
    },
    setStatus: runs.setStatus,
    delete: runs.delete,
  };
}

export type AttributionRepository = ReturnType<typeof attributionRepository>;
