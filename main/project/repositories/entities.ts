// Entities and relations in the project: an annotated corpus's schema and per-document (sentence)
// annotations; entities runs (the shared run record with entity_details: schema, model, scores and
// the kept weights as a safetensors BLOB; curves in run_points as fine-tuning's); extract runs
// (extract_details and one extract_documents row per document, written a chunk at a time with the
// run's checkpoint so a resumed run skips what it has).
import type Database from 'better-sqlite3';
import type {
  EntityEpochPoint,
  EntityLearningRateSummary,
  EntityMetrics,
  EntityRunInfo,
  EntityStepPoint,
  EntityTrainConfig,
  ExtractConfig,
  ExtractRunInfo,
  LayerSweepConfig,
  LayerSweepPoint,
  LayerSweepRunInfo,


  MentionRow,
  RelationRow,
  RunMemory,
  RunStatus,
  SplitName,
} from '../../../common/contract';
import type { AnnotatedSentence, EntitySchema, EntitySpan, RelationTriple } from '../../../common/entities';
import type { ErrorInfo } from '../../../common/errors';
import { kindRecords, parseJson, runBase, runsRepository, type NewRun, type RunPoint, type RunRow } from './runs';

interface EntityRow extends RunRow {
  schema: string;
  model: string;
  best: string | null;
  per_learning_rate: string;
  dev: string | null;
  test: string | null;
  truncated: number;
}

interface SweepRow extends RunRow {
  layers: string;
  points: string;
}

/** A sweep point as stored: which configuration, and its entities run once created. */
export interface StoredSweepPoint {
  head: LayerSweepPoint['head'];
  encoder: LayerSweepPoint['encoder'];
  layer: number;
  runId: number | null;
}

interface ExtractRow extends RunRow {
  source: string;
  found: string | null;
}

const entityInfo = (r: EntityRow): EntityRunInfo => ({
  kind: 'entities',
  ...runBase<EntityTrainConfig, EntityRunInfo['documents'], NonNullable<EntityRunInfo['checkpoint']>>(r),
  schema: JSON.parse(r.schema) as EntitySchema,
  model: JSON.parse(r.model) as EntityRunInfo['model'],
  best: parseJson<EntityRunInfo['best']>(r.best),
  perLearningRate: JSON.parse(r.per_learning_rate) as EntityLearningRateSummary[],
  dev: parseJson<EntityMetrics>(r.dev),
  test: parseJson<EntityMetrics>(r.test),
  truncatedSentences: r.truncated,
});

/** A sweep's record with its points' status and scores read from their entities runs (a deleted one is pending again). */
function sweepInfo(db: () => Database.Database, r: SweepRow): LayerSweepRunInfo {
  const stored = JSON.parse(r.points) as StoredSweepPoint[];
  const detail = db().prepare("SELECT r.status, r.seconds, d.dev, d.test FROM runs r JOIN entity_details d ON d.run_id = r.id WHERE r.id = ?");
  const points = stored.map((p): LayerSweepPoint => {
    const row = p.runId === null ? undefined : (detail.get(p.runId) as { status: RunStatus; seconds: number | null; dev: string | null; test: string | null } | undefined);
    if (!row) return { ...p, runId: null, status: 'pending', dev: null, test: null, seconds: null };
    return { ...p, status: row.status, dev: parseJson<EntityMetrics>(row.dev), test: parseJson<EntityMetrics>(row.test), seconds: row.seconds };
  });
  return {
    kind: 'layerSweep',
    ...runBase<LayerSweepConfig, LayerSweepRunInfo['documents'], NonNullable<LayerSweepRunInfo['checkpoint']>>(r),
    layers: JSON.parse(r.layers) as number[],
    points,
  };
}

const extractInfo = (r: ExtractRow): ExtractRunInfo => ({
  kind: 'extract',
  ...runBase<ExtractConfig, ExtractRunInfo['documents'], NonNullable<ExtractRunInfo['checkpoint']>>(r),
  source: JSON.parse(r.source) as ExtractRunInfo['source'],
  found: parseJson<ExtractRunInfo['found']>(r.found),
});

/** A sentence as stored with an annotated document. */
export interface StoredAnnotation {
  documentId: number;
  split: SplitName;
  text: string;
  sentence: AnnotatedSentence;
}

/** One sentence of a document as an extract run found it: words with offsets in the document's text. */
export interface ExtractedSentence {
  words: string[];
  offsets: [number, number][];
  entities: (EntitySpan & { score: number })[];
  relations: (RelationTriple & { score: number })[];
}

export interface FinishedEntityRun {
  backend: string;
  seconds: number;
  best: NonNullable<EntityRunInfo['best']>;
  perLearningRate: EntityLearningRateSummary[];
  dev: EntityMetrics;
  test: EntityMetrics | null;
  truncated: number;
  weights: Uint8Array;
  steps: readonly EntityStepPoint[];
  epochs: readonly EntityEpochPoint[];
  memory?: RunMemory | null;
}

const asPoints = (steps: readonly EntityStepPoint[], epochs: readonly EntityEpochPoint[]): RunPoint[] => [
  ...steps.map((p) => ({ series: 'step', group: p.learningRateIndex, position: p.step, point: p })),
  ...epochs.map((p) => ({ series: 'epoch', group: p.learningRateIndex, position: p.epoch, point: p })),
];

const buffer = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export function entitiesRepository(db: () => Database.Database) {
  const runs = runsRepository(db);
  const entityRuns = kindRecords(db, 'entity_details', entityInfo);
  const extractRuns = kindRecords(db, 'extract_details', extractInfo);
  const sweeps = kindRecords(db, 'layer_sweep_details', (r: SweepRow) => sweepInfo(db, r));
  return {
    // ------------------------------------------------------------ annotations
    /** Writes a corpus's schema and its documents' annotations; call inside the import's transaction. */
    saveAnnotations(corpusId: number, schema: EntitySchema, rows: readonly { documentId: number; sentence: AnnotatedSentence; offsets: [number, number][] }[]): void {
      db().prepare('INSERT INTO entity_schemas (corpus_id, entity_types, relation_types) VALUES (?, ?, ?)').run(corpusId, JSON.stringify(schema.entityTypes), JSON.stringify(schema.relationTypes));
      const put = db().prepare('INSERT INTO entity_annotations (document_id, words, offsets, entities, relations) VALUES (?, ?, ?, ?, ?)');
      for (const r of rows) put.run(r.documentId, JSON.stringify(r.sentence.words), JSON.stringify(r.offsets), JSON.stringify(r.sentence.entities), JSON.stringify(r.sentence.relations));
    },
    /** The corpus's entity and relation types, or null when it was not imported from annotations. */
    schema(corpusId: number): EntitySchema | null {
      const row = db().prepare('SELECT entity_types, relation_types FROM entity_schemas WHERE corpus_id = ?').get(corpusId) as { entity_types: string; relation_types: string } | undefined;
      return row ? { entityTypes: JSON.parse(row.entity_types) as string[], relationTypes: JSON.parse(row.relation_types) as string[] } : null;
    },
    /** Every annotated sentence of a corpus in document order, with its split. */
    annotations(corpusId: number): StoredAnnotation[] {
      const rows = db()
        .prepare(
          `SELECT d.id, d.split, d.text, d.source_name, a.words, a.offsets, a.entities, a.relations FROM documents d JOIN entity_annotations a ON a.document_id = d.id
           WHERE d.corpus_id = ? ORDER BY d.ordinal`,
        )
        .all(corpusId) as { id: number; split: SplitName; text: string; source_name: string | null; words: string; offsets: string; entities: string; relations: string }[];
      return rows.map((r) => ({
        documentId: r.id,
        split: r.split,
        text: r.text,
        sentence: {
          words: JSON.parse(r.words) as string[],
          offsets: JSON.parse(r.offsets) as [number, number][],
          text: r.text,
          entities: JSON.parse(r.entities) as EntitySpan[],
          relations: JSON.parse(r.relations) as RelationTriple[],
          ...(r.source_name ? { source: r.source_name } : {}),
        },
      }));
    },
    /** One document's annotation, or null. */
    annotation(documentId: number): StoredAnnotation | null {
      const r = db()
        .prepare('SELECT d.id, d.split, d.text, a.words, a.offsets, a.entities, a.relations FROM documents d JOIN entity_annotations a ON a.document_id = d.id WHERE d.id = ?')
        .get(documentId) as { id: number; split: SplitName; text: string; words: string; offsets: string; entities: string; relations: string } | undefined;
      if (!r) return null;
      return {
        documentId: r.id,
        split: r.split,
        text: r.text,
        sentence: { words: JSON.parse(r.words) as string[], offsets: JSON.parse(r.offsets) as [number, number][], text: r.text, entities: JSON.parse(r.entities) as EntitySpan[], relations: JSON.parse(r.relations) as RelationTriple[] },
      };
    },

    // ------------------------------------------------------------ entities runs
    createRun(run: NewRun & { config: EntityTrainConfig; schema: EntitySchema; model: EntityRunInfo['model'] }): number {
      return runs.create('entities', run, (id) =>
        db().prepare('INSERT INTO entity_details (run_id, schema, model) VALUES (?, ?, ?)').run(id, JSON.stringify(run.schema), JSON.stringify(run.model)),
      );
    },
    get: entityRuns.get,
    list: entityRuns.list,
    curves(id: number): { steps: EntityStepPoint[]; epochs: EntityEpochPoint[] } {
      const steps: EntityStepPoint[] = [];
      const epochs: EntityEpochPoint[] = [];
      for (const r of runs.points(id)) {
        if (r.series === 'step') steps.push(JSON.parse(r.point) as EntityStepPoint);
        else if (r.series === 'epoch') epochs.push(JSON.parse(r.point) as EntityEpochPoint);
      }
      return { steps, epochs };
    },
    addCurvePoints(id: number, steps: readonly EntityStepPoint[], epochs: readonly EntityEpochPoint[]): void {
      runs.addPoints(id, asPoints(steps, epochs));
    },
    saveCheckpoint(id: number, at: { learningRateIndex: number; step: number }, state: Uint8Array, steps: readonly EntityStepPoint[], epochs: readonly EntityEpochPoint[], backend: string): void {
      runs.checkpointed(id, at, asPoints(steps, epochs), backend, state);
    },
    loadCheckpoint: (id: number): Uint8Array | null => runs.checkpointState(id),
    finishRun(id: number, r: FinishedEntityRun): void {
      db().transaction(() => {
        runs.addPoints(id, asPoints(r.steps, r.epochs));
        db()
          .prepare('UPDATE entity_details SET best = ?, per_learning_rate = ?, dev = ?, test = ?, truncated = ?, weights = ? WHERE run_id = ?')
          .run(JSON.stringify(r.best), JSON.stringify(r.perLearningRate), JSON.stringify(r.dev), r.test ? JSON.stringify(r.test) : null, r.truncated, buffer(r.weights), id);
        runs.finished(id, r.backend, r.seconds, r.memory);
      })();
    },
    /** The kept weights (safetensors) of a finished run, or null. */
    weights(id: number): Uint8Array | null {
      const row = db().prepare('SELECT weights FROM entity_details WHERE run_id = ?').get(id) as { weights: Buffer | null } | undefined;
      return row?.weights ? new Uint8Array(row.weights.buffer, row.weights.byteOffset, row.weights.byteLength) : null;
    },
    /** As training's relinkBase: the runs of model `from` (recorded with `hash`) point at `to`; how many moved. */
    relinkModel(from: string, to: string, hash: string): number {
      return db().transaction(() => {
        const which = `SELECT run_id FROM entity_details WHERE json_extract(model, '$.path') = ? AND json_extract(model, '$.hash') = ?`;
        db().prepare(`UPDATE runs SET config = json_set(config, '$.modelPath', ?) WHERE id IN (${which})`).run(to, from, hash);
        return db().prepare(`UPDATE entity_details SET model = json_set(model, '$.path', ?) WHERE run_id IN (${which})`).run(to, from, hash).changes;
      })();
    },

    // ------------------------------------------------------------ layer sweeps
    createSweep(run: NewRun & { config: LayerSweepConfig; layers: number[]; points: StoredSweepPoint[] }): number {
      return runs.create('layerSweep', run, (id) => db().prepare('INSERT INTO layer_sweep_details (run_id, layers, points) VALUES (?, ?, ?)').run(id, JSON.stringify(run.layers), JSON.stringify(run.points)));
    },
    getSweep: sweeps.get,
    listSweeps: sweeps.list,
    storedPoints(id: number): StoredSweepPoint[] {
      const s = db().prepare('SELECT points FROM layer_sweep_details WHERE run_id = ?').pluck().get(id) as string | undefined;
      return s === undefined ? [] : (JSON.parse(s) as StoredSweepPoint[]);
    },
    /** Point `index` of a sweep is now trained by entities run `runId` (written when the run is created, so a resume finds it). */
    setSweepPoint(id: number, index: number, runId: number): void {
      db().prepare(`UPDATE layer_sweep_details SET points = json_set(points, '$[${index}].runId', ?) WHERE run_id = ?`).run(runId, id);
    },
    /** Points done so far, as the sweep's checkpoint. */
    sweepCheckpoint(id: number, done: number, backend: string): void {
      runs.checkpointed(id, { step: done }, [], backend);
    },
    finishSweep(id: number, backend: string, seconds: number): void {
      db().transaction(() => runs.finished(id, backend, seconds))();
    },

    // ------------------------------------------------------------ extract runs
    createExtract(run: NewRun & { config: ExtractConfig; source: ExtractRunInfo['source'] }): number {
      return runs.create('extract', run, (id) => db().prepare('INSERT INTO extract_details (run_id, source) VALUES (?, ?)').run(id, JSON.stringify(run.source)));
    },
    getExtract: extractRuns.get,
    listExtracts: extractRuns.list,
    /** A chunk of documents' results with the run's checkpoint (documents done), in one transaction. */
    addExtracted(runId: number, documents: readonly { documentId: number; position: number; sentences: ExtractedSentence[] }[], backend: string): void {
      db().transaction(() => {
        const put = db().prepare('INSERT OR REPLACE INTO extract_documents (run_id, document_id, position, sentences) VALUES (?, ?, ?, ?)');
        for (const d of documents) put.run(runId, d.documentId, d.position, JSON.stringify(d.sentences));
        const done = (db().prepare('SELECT COUNT(*) AS n FROM extract_documents WHERE run_id = ?').get(runId) as { n: number }).n;
        runs.checkpointed(runId, { step: done }, [], backend);
      })();
    },
    extractedIds(runId: number): Set<number> {
      return new Set(db().prepare('SELECT document_id FROM extract_documents WHERE run_id = ?').pluck().all(runId) as number[]);
    },
    /** One document's extraction, or null. */
    extracted(runId: number, documentId: number): ExtractedSentence[] | null {
      const s = db().prepare('SELECT sentences FROM extract_documents WHERE run_id = ? AND document_id = ?').pluck().get(runId, documentId) as string | undefined;
      return s === undefined ? null : (JSON.parse(s) as ExtractedSentence[]);
    },
    /** Every document's extraction in the run's order, with the document's text. */
    allExtracted(runId: number): { documentId: number; text: string; sentences: ExtractedSentence[] }[] {
      const rows = db()
        .prepare('SELECT e.document_id, d.text, e.sentences FROM extract_documents e JOIN documents d ON d.id = e.document_id WHERE e.run_id = ? ORDER BY e.position')
        .all(runId) as { document_id: number; text: string; sentences: string }[];
      return rows.map((r) => ({ documentId: r.document_id, text: r.text, sentences: JSON.parse(r.sentences) as ExtractedSentence[] }));
    },
    finishExtract(runId: number, found: NonNullable<ExtractRunInfo['found']>, backend: string, seconds: number): void {
      db().transaction(() => {
        db().prepare('UPDATE extract_details SET found = ? WHERE run_id = ?').run(JSON.stringify(found), runId);
        runs.finished(runId, backend, seconds);
      })();
    },

    setStatus: (id: number, status: RunStatus, error: ErrorInfo | null = null) => runs.setStatus(id, status, error),
    delete(id: number): void {
      runs.head(id);
      runs.delete(id);
    },
  };
}

export type EntitiesRepository = ReturnType<typeof entitiesRepository>;

/** Groups found entities by (text, type) and relations by (head text, type, tail text), most frequent first. */
export function groupMentions(docs: readonly { documentId: number; text: string; sentences: ExtractedSentence[] }[]): { mentions: MentionRow[]; relations: RelationRow[] } {
  const mentions = new Map<string, MentionRow & { docs: Set<number> }>();
  const relations = new Map<string, RelationRow>();
  for (const d of docs) {
    for (const s of d.sentences) {
      const surface = (e: EntitySpan) => d.text.slice(s.offsets[e.start][0], s.offsets[e.end - 1][1]);
      for (const e of s.entities) {
        const key = `${e.type}\u0000${surface(e)}`;
        const m = mentions.get(key) ?? { text: surface(e), type: e.type, count: 0, documents: 0, documentId: d.documentId, docs: new Set<number>() };
        m.count++;
        m.docs.add(d.documentId);
        m.documents = m.docs.size;
        mentions.set(key, m);
      }
      for (const r of s.relations) {
        const h = s.entities[r.head];
        const t = s.entities[r.tail];
        const key = `${surface(h)}\u0000${h.type}\u0000${r.type}\u0000${surface(t)}\u0000${t.type}`;
        const row = relations.get(key) ?? { head: surface(h), headType: h.type, type: r.type, tail: surface(t), tailType: t.type, count: 0, documentId: d.documentId };
        row.count++;
        relations.set(key, row);
      }
    }
  }
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return { mentions: [...mentions.values()].map(({ docs: _d, ...m }) => m).sort(byCount), relations: [...relations.values()].sort(byCount) };
}

