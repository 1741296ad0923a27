// Embedding runs: what was embedded with which model and settings, and one little-endian
// float32 vector per document. A run and all its vectors are written in one transaction.
import type Database from 'better-sqlite3';
import { endianness } from 'node:os';
import type { EmbeddingRunInfo, ModelSourceRef } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { CorporaRepository } from './corpus/corpora';

if (endianness() !== 'LE') throw new Error('Shirabe stores float32 vectors little-endian and needs a little-endian machine');

export type NewEmbeddingRun = Omit<EmbeddingRunInfo, 'id' | 'corpusName' | 'createdAt' | 'documents'>;

interface RunRow {
  id: number;
  corpus_id: number;
  corpus_name: string;
  model_name: string;
  model_path: string;
  model_hash: string;
  model_type: string;
  model_source: string | null;
  pooling: EmbeddingRunInfo['pooling'];
  layer: number;
  max_length: number;
  batch_size: number;
  truncation: EmbeddingRunInfo['truncation'];
  seed: number;
  dimensions: number;
  documents: number;
  truncated_documents: number;
  backend: string;
  versions: string;
  seconds: number;
  created_at: string;
}

function toInfo(r: RunRow): EmbeddingRunInfo {
  return {
    id: r.id,
    corpusId: r.corpus_id,
    corpusName: r.corpus_name,
    model: { name: r.model_name, path: r.model_path, hash: r.model_hash, modelType: r.model_type, ...(r.model_source ? { source: JSON.parse(r.model_source) as ModelSourceRef } : {}) },
    pooling: r.pooling,
    layer: r.layer,
    maxLength: r.max_length,
    batchSize: r.batch_size,
    truncation: r.truncation,
    seed: r.seed,
    dimensions: r.dimensions,
    documents: r.documents,
    truncatedDocuments: r.truncated_documents,
    backend: r.backend,
    versions: JSON.parse(r.versions) as Record<string, string>,
    createdAt: r.created_at,
    seconds: r.seconds,
  };
}

const runSelect = `SELECT r.*, c.name AS corpus_name FROM embedding_runs r JOIN corpora c ON c.id = r.corpus_id`;

/** The embedding runs of one connection (ProjectStore.embeddings). */
export function embeddingsRepository(db: () => Database.Database, corpora: CorporaRepository) {
  return {
    /** Writes the run and every vector (documentIds[i] ↔ vectors[i·d … (i+1)·d)) in one transaction. */
    save(run: NewEmbeddingRun, documentIds: readonly number[], vectors: Float32Array): number {
      corpora.require(run.corpusId);
      const d = db();
      const dims = run.dimensions;
      if (vectors.length !== documentIds.length * dims) throw new Error(`expected ${documentIds.length}×${dims} values, got ${vectors.length}`);
      return d.transaction(() => {
        const info = d
          .prepare(
            `INSERT INTO embedding_runs (corpus_id, model_name, model_path, model_hash, model_type, model_source, pooling, layer, max_length,
               batch_size, truncation, seed, dimensions, documents, truncated_documents, backend, versions, seconds)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            run.corpusId,
            run.model.name,
            run.model.path,
            run.model.hash,
            run.model.modelType,
            run.model.source ? JSON.stringify(run.model.source) : null,
            run.pooling,
            run.layer,
            run.maxLength,
            run.batchSize,
            run.truncation,
            run.seed,
            dims,
            documentIds.length,
            run.truncatedDocuments,
            run.backend,
            JSON.stringify(run.versions),
            run.seconds,
          );
        const runId = Number(info.lastInsertRowid);
        const insert = d.prepare('INSERT INTO embeddings (run_id, document_id, vector) VALUES (?, ?, ?)');
        documentIds.forEach((docId, i) => {
          const v = vectors.subarray(i * dims, (i + 1) * dims);
          insert.run(runId, docId, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        });
        return runId;
      })();
    },

    /** As training's relinkBase: the runs embedded with model `from` (recorded with `hash`) point at the same model in `to`; how many moved. */
    relinkModel(from: string, to: string, hash: string): number {
      return db().prepare('UPDATE embedding_runs SET model_path = ? WHERE model_path = ? AND model_hash = ?').run(to, from, hash).changes;
    },

    list(corpusId: number | null): EmbeddingRunInfo[] {
      const rows = (
        corpusId === null
          ? db().prepare(`${runSelect} ORDER BY r.id DESC`).all()
          : db().prepare(`${runSelect} WHERE r.corpus_id = ? ORDER BY r.id DESC`).all(corpusId)
      ) as RunRow[];
      return rows.map(toInfo);
    },

    /** A run's vectors in document order: ids and one [n × d] Float32Array. */
    vectors(runId: number): { run: EmbeddingRunInfo; documentIds: number[]; vectors: Float32Array } {
      const d = db();
      const row = d.prepare(`${runSelect} WHERE r.id = ?`).get(runId) as RunRow | undefined;
      if (!row) throw new ShirabeError('embeddingRunNotFound', { id: runId });
      const run = toInfo(row);
      const rows = d
        .prepare('SELECT e.document_id AS id, e.vector AS vector FROM embeddings e JOIN documents d ON d.id = e.document_id WHERE e.run_id = ? ORDER BY d.ordinal')
        .all(runId) as { id: number; vector: Buffer }[];
      const vectors = new Float32Array(rows.length * run.dimensions);
      rows.forEach((r, i) => vectors.set(new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)), i * run.dimensions));
      return { run, documentIds: rows.map((r) => r.id), vectors };
    },
  };
}

export type EmbeddingsRepository = ReturnType<typeof embeddingsRepository>;
