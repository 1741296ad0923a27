// Clustering and map runs in the project: the shared run record (repositories/runs.ts) with each
// kind's detail row. Per-document results are one Int32/Float32 BLOB each, in document order, and
// a finished run's results are written in one transaction with its status.
import type Database from 'better-sqlite3';
import type { ClusterConfig, ClusterQuality, ClusterRunInfo, EmbeddingRef, MapConfig, MapRunInfo, RunStatus, TopicInfo } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
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
  return {
    clusters: {
      ...clusters,
      create: (run: NewTopicsRun<ClusterConfig>) =>
        runs.create('cluster', run, (id) => db().prepare('INSERT INTO cluster_details (run_id, embedding) VALUES (?, ?)').run(id, JSON.stringify(run.embedding))),
      topics(id: number): TopicInfo[] {
        clusters.get(id);
        return JSON.parse((db().prepare('SELECT topics FROM cluster_details WHERE run_id = ?').get(id) as { topics: string }).topics) as TopicInfo[];
      },
      /** Each document's cluster, parallel arrays in document order (empty until the run is done). */
      assignments(id: number): { documentIds: Int32Array; clusters: Int32Array } {
        clusters.get(id);
        const row = db().prepare('SELECT document_ids, assignments FROM cluster_details WHERE run_id = ?').get(id) as Pick<ClusterRow, 'document_ids' | 'assignments'>;
        return row.document_ids && row.assignments ? { documentIds: int32(row.document_ids), clusters: int32(row.assignments) } : { documentIds: new Int32Array(0), clusters: new Int32Array(0) };
      },
      finish(id: number, r: FinishedClustering): void {
        db().transaction(() => {
          db()
            .prepare('UPDATE cluster_details SET clusters = ?, vocabulary = ?, quality = ?, topics = ?, document_ids = ?, assignments = ? WHERE run_id = ?')
            .run(r.clusters, r.vocabulary, JSON.stringify(r.quality), JSON.stringify(r.topics), blob(r.documentIds), blob(r.assignments), id);
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
