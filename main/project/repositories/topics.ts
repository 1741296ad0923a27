// Clustering and map runs in the project: the shared run record (repositories/runs.ts) with each
// kind's detail row. Per-document results are one Int32/Float32 BLOB each, in document order, and
// a finished run's results are written in one transaction with its status.
import type Database from 'better-sqlite3';
import type { ClusterConfig, ClusterQuality, ClusterRunInfo, EmbeddingRef, MapConfig, MapRunInfo, RunStatus, TopicEdit, TopicEditRecord, TopicInfo } from '../../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../../common/errors';
import { kindRecords, parseJson, runBase, runsRepository, type RunRow } from './runs';

interface ClusterRow extends RunRow {
  embedding: string;
  clusters: number | null;
  vocabulary: number | null;
  quality: string | null;
  topics: string;
  document_ids: Buffer | null;
  assignments: Buffer | null;
}

interface MapRow extends RunRow {
  embedding: string;
  trustworthiness: number | null;
  document_ids: Buffer | null;
  coords: Buffer | null;
}

const toCluster = (r: ClusterRow): ClusterRunInfo => ({
  ...runBase<ClusterConfig, ClusterRunInfo['documents'], NonNullable<ClusterRunInfo['checkpoint']>>(r),
  kind: 'cluster',
  embedding: JSON.parse(r.embedding) as EmbeddingRef,
  clusters: r.clusters,
  vocabulary: r.vocabulary,
  quality: parseJson<ClusterQuality>(r.quality),
});

const toMap = (r: MapRow): MapRunInfo => ({
  ...runBase<MapConfig, MapRunInfo['documents'], NonNullable<MapRunInfo['checkpoint']>>(r),
  kind: 'map',
  embedding: JSON.parse(r.embedding) as EmbeddingRef,
  trustworthiness: r.trustworthiness,
});

const now = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
const blob = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** A copy (the Buffer's memory belongs to SQLite's row), aligned for the typed array. */
const int32 = (b: Buffer) => new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const float32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export interface NewTopicsRun<C> {
  corpusId: number;
  name: string;
  config: C;
  embedding: EmbeddingRef;
  dataHash: string;
  documents: { documents: number };
  versions: Record<string, string>;
}

export interface FinishedClustering {
  backend: string;
  seconds: number;
  documentIds: Int32Array;
  assignments: Int32Array;
  clusters: number;
  vocabulary: number;
  quality: ClusterQuality;
  topics: TopicInfo[];
}

interface EditRow {
  id: number;
  edit: string;
  changes: Buffer | null;
  topics: string;
  quality: string | null;
  undone: number;
  created_at: string;
}

/** A clustering's edits: those in force (oldest first) and those undo took back (next to redo first). */
export interface TopicEditsState {
  topics: TopicInfo[];
  edits: TopicEditRecord[];
  redo: TopicEditRecord[];
  editedQuality: ClusterQuality | null;
}

export interface NewTopicEdit {
  edit: TopicEdit;
  /** Rows (document order) and their new cluster, as pairs; null when no document moved. */
  changes: Int32Array | null;
  /** Every topic after the edit. */
  topics: TopicInfo[];
  /** The edited assignment's quality after it (null: the computed one stands). */
  quality: ClusterQuality | null;
}

/** Topics written before names and pins existed read as unnamed and unpinned. */
const withEditFields = (topics: TopicInfo[]): TopicInfo[] => topics.map((t) => ({ ...t, name: t.name ?? null, pinned: t.pinned ?? [] }));
const editRecord = (r: EditRow): TopicEditRecord => ({ id: r.id, edit: JSON.parse(r.edit) as TopicEdit, at: r.created_at });

export interface FinishedMap {
  backend: string;
  seconds: number;
  documentIds: Int32Array;
  coords: Float32Array;
  trustworthiness: number | null;
}

export function topicsRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const clusters = kindRecords(db, 'cluster_details', toCluster);
  const maps = kindRecords(db, 'map_details', toMap);
  /** The topics as computed, before any edit. */
  const computedTopics = (id: number): TopicInfo[] => {
    clusters.get(id);
    return withEditFields(JSON.parse((db().prepare('SELECT topics FROM cluster_details WHERE run_id = ?').get(id) as { topics: string }).topics) as TopicInfo[]);
  };
  return {
    clusters: {
      ...clusters,
      create: (run: NewTopicsRun<ClusterConfig>) =>
        runs.create('cluster', run, (id) => db().prepare('INSERT INTO cluster_details (run_id, embedding) VALUES (?, ?)').run(id, JSON.stringify(run.embedding))),
      computedTopics,
      /** The topics in force (edited), the edits and what redo can restore. */
      edits(id: number): TopicEditsState {
        const rows = db().prepare('SELECT id, edit, changes, topics, quality, undone, created_at FROM topic_edits WHERE run_id = ? ORDER BY id').all(id) as EditRow[];
        const active = rows.filter((r) => r.undone === 0);
        const last = active.at(-1);
        return {
          topics: last ? withEditFields(JSON.parse(last.topics) as TopicInfo[]) : computedTopics(id),
          edits: active.map(editRecord),
          redo: rows.filter((r) => r.undone === 1).map(editRecord),
          editedQuality: last ? parseJson<ClusterQuality>(last.quality) : null,
        };
      },
      /** Each document's cluster as edited, parallel arrays in document order (empty until the run is done). */
      assignments(id: number): { documentIds: Int32Array; clusters: Int32Array } {
        clusters.get(id);
        const row = db().prepare('SELECT document_ids, assignments FROM cluster_details WHERE run_id = ?').get(id) as Pick<ClusterRow, 'document_ids' | 'assignments'>;
        if (!row.document_ids || !row.assignments) return { documentIds: new Int32Array(0), clusters: new Int32Array(0) };
        const assigned = int32(row.assignments);
        const changes = db().prepare('SELECT changes FROM topic_edits WHERE run_id = ? AND undone = 0 AND changes IS NOT NULL ORDER BY id').all(id) as { changes: Buffer }[];
        for (const c of changes) {
          const pairs = int32(c.changes);
          for (let i = 0; i < pairs.length; i += 2) assigned[pairs[i]] = pairs[i + 1];
        }
        return { documentIds: int32(row.document_ids), clusters: assigned };
      },
      /** Writes an edit in one transaction; edits undone before it can no longer be redone. */
      addEdit(id: number, e: NewTopicEdit): number {
        clusters.get(id);
        return db().transaction(() => {
          db().prepare('DELETE FROM topic_edits WHERE run_id = ? AND undone = 1').run(id);
          return Number(
            db()
              .prepare(`INSERT INTO topic_edits (run_id, edit, changes, topics, quality, created_at) VALUES (?, ?, ?, ?, ?, ${now})`)
              .run(id, JSON.stringify(e.edit), e.changes ? blob(e.changes) : null, JSON.stringify(e.topics), e.quality ? JSON.stringify(e.quality) : null).lastInsertRowid,
          );
        })();
      },
      /** Takes back the last edit in force. */
      undo(id: number): TopicEdit {
        clusters.get(id);
        const last = db().prepare('SELECT id, edit FROM topic_edits WHERE run_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1').get(id) as Pick<EditRow, 'id' | 'edit'> | undefined;
        if (!last) throw new ShirabeError('topicsNothingToUndo', { id });
        db().prepare('UPDATE topic_edits SET undone = 1 WHERE id = ?').run(last.id);
        return JSON.parse(last.edit) as TopicEdit;
      },
      /** Restores the edit undone last (the first of those taken back). */
      redo(id: number): TopicEdit {
        clusters.get(id);
        const next = db().prepare('SELECT id, edit FROM topic_edits WHERE run_id = ? AND undone = 1 ORDER BY id LIMIT 1').get(id) as Pick<EditRow, 'id' | 'edit'> | undefined;
        if (!next) throw new ShirabeError('topicsNothingToRedo', { id });
        db().prepare('UPDATE topic_edits SET undone = 0 WHERE id = ?').run(next.id);
        return JSON.parse(next.edit) as TopicEdit;
      },
      finish(id: number, r: FinishedClustering): void {
        db().transaction(() => {
          db()
            .prepare('UPDATE cluster_details SET clusters = ?, vocabulary = ?, quality = ?, topics = ?, document_ids = ?, assignments = ? WHERE run_id = ?')
            .run(r.clusters, r.vocabulary, JSON.stringify(r.quality), JSON.stringify(r.topics), blob(r.documentIds), blob(r.assignments), id);
          // Edits belong to the result they were made on.
          db().prepare('DELETE FROM topic_edits WHERE run_id = ?').run(id);
          runs.finished(id, r.backend, r.seconds);
        })();
      },
      setStatus: (id: number, status: RunStatus, error: ErrorInfo | null = null) => runs.setStatus(id, status, error),
      delete(id: number): void {
        clusters.get(id);
        runs.delete(id);
      },
    },
    maps: {
      ...maps,
      create: (run: NewTopicsRun<MapConfig>) =>
        runs.create('map', run, (id) => db().prepare('INSERT INTO map_details (run_id, embedding) VALUES (?, ?)').run(id, JSON.stringify(run.embedding))),
      /** A map's points: document ids and [n, 2] coordinates (empty until the run is done). */
      points(id: number): { documentIds: Int32Array; coords: Float32Array } {
        maps.get(id);
        const row = db().prepare('SELECT document_ids, coords FROM map_details WHERE run_id = ?').get(id) as Pick<MapRow, 'document_ids' | 'coords'>;
        return row.document_ids && row.coords ? { documentIds: int32(row.document_ids), coords: float32(row.coords) } : { documentIds: new Int32Array(0), coords: new Float32Array(0) };
      },
      finish(id: number, r: FinishedMap): void {
        db().transaction(() => {
          db().prepare('UPDATE map_details SET trustworthiness = ?, document_ids = ?, coords = ? WHERE run_id = ?').run(r.trustworthiness, blob(r.documentIds), blob(r.coords), id);
          runs.finished(id, r.backend, r.seconds);
        })();
      },
      setStatus: (id: number, status: RunStatus, error: ErrorInfo | null = null) => runs.setStatus(id, status, error),
      delete(id: number): void {
        maps.get(id);
        runs.delete(id);
      },
    },
  };
}

export type TopicsRepository = ReturnType<typeof topicsRepository>;
