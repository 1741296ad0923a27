// Numbered schema migrations. Migration i (0-based) takes a project from user_version i to i + 1.
// Never edit a released migration: append a new one.
import type Database from 'better-sqlite3';

export interface Migration {
  description: string;
  up: (db: Database.Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    description: 'corpora, documents, trigram full-text index, morphology cache, jobs',
    up: (db) => {
      db.exec(`
        CREATE TABLE corpora (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          created_at TEXT NOT NULL,
          source TEXT NOT NULL,
          format TEXT NOT NULL,
          encoding TEXT NOT NULL,
          options TEXT NOT NULL DEFAULT '{}',
          seed INTEGER NOT NULL,
          split_train REAL NOT NULL,
          split_dev REAL NOT NULL,
          split_test REAL NOT NULL,
          empty_skipped INTEGER NOT NULL DEFAULT 0,
          duplicates INTEGER NOT NULL DEFAULT 0,
          bad_rows INTEGER NOT NULL DEFAULT 0,
          bad_row_list TEXT NOT NULL DEFAULT '[]'
        );

        CREATE TABLE documents (
          id INTEGER PRIMARY KEY,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          ordinal INTEGER NOT NULL,
          text TEXT NOT NULL,
          title TEXT,
          label TEXT,
          metadata TEXT NOT NULL DEFAULT '{}',
          split TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'dev', 'test')),
          chars INTEGER NOT NULL,
          text_hash TEXT NOT NULL,
          -- the first document of the same corpus with the same text (same corpus, so no FK needed)
          duplicate_of INTEGER,
          -- number of morphemes once analysed (cache), else NULL
          morphemes INTEGER,
          line INTEGER,
          source_name TEXT
        );
        CREATE UNIQUE INDEX documents_corpus_ordinal ON documents(corpus_id, ordinal);
        -- covers the label/split tallies and length statistics without reading the texts
        CREATE INDEX documents_corpus_stats ON documents(corpus_id, label, split, chars, morphemes);

        -- detail=none: rowids only (a third smaller, faster to build). Queries AND the trigrams of a
        -- term and confirm the candidates with instr(), so positions are not needed.
        CREATE VIRTUAL TABLE documents_fts USING fts5(
          text, title, content='documents', content_rowid='id', tokenize='trigram', detail=none
        );
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
          INSERT INTO documents_fts(rowid, text, title) VALUES (new.id, new.text, new.title);
        END;
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text, title) VALUES ('delete', old.id, old.text, old.title);
        END;
        CREATE TRIGGER documents_fts_update AFTER UPDATE OF text, title ON documents BEGIN
          INSERT INTO documents_fts(documents_fts, rowid, text, title) VALUES ('delete', old.id, old.text, old.title);
          INSERT INTO documents_fts(rowid, text, title) VALUES (new.id, new.text, new.title);
        END;

        CREATE TABLE morphology (
          document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          json TEXT NOT NULL
        );

        CREATE TABLE jobs (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          status TEXT NOT NULL,
          config TEXT NOT NULL DEFAULT 'null',
          result TEXT NOT NULL DEFAULT 'null',
          error TEXT NOT NULL DEFAULT 'null',
          started_at INTEGER,
          finished_at INTEGER
        );
      `);
    },
  },
  {
    description: 'embedding runs and per-document float32 vectors',
    up: (db) => {
      db.exec(`
        CREATE TABLE embedding_runs (
          id INTEGER PRIMARY KEY,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          model_name TEXT NOT NULL,
          model_path TEXT NOT NULL,
          model_hash TEXT NOT NULL,
          model_type TEXT NOT NULL,
          pooling TEXT NOT NULL,
          layer INTEGER NOT NULL,
          max_length INTEGER NOT NULL,
          batch_size INTEGER NOT NULL,
          truncation TEXT NOT NULL,
          seed INTEGER NOT NULL,
          dimensions INTEGER NOT NULL,
          documents INTEGER NOT NULL,
          truncated_documents INTEGER NOT NULL,
          backend TEXT NOT NULL,
          versions TEXT NOT NULL,
          seconds REAL NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        -- One little-endian float32 vector per document and run.
        CREATE TABLE embeddings (
          run_id INTEGER NOT NULL REFERENCES embedding_runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          vector BLOB NOT NULL,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX embeddings_document ON embeddings(document_id);
      `);
    },
  },
  {
    // 3: fine-tuning runs (issue 4). A run row exists from the start (status running) so a killed
    // process leaves something to resume; its curves are idempotent points (a resumed run re-emits
    // the same ones); its last checkpoint, final weights and predictions are one row or blob each.
    description: 'fine-tuning runs, curves, checkpoints, weights and predictions',
    up: (db) => {
      db.exec(`
        CREATE TABLE training_runs (
          id INTEGER PRIMARY KEY,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed', 'cancelled')),
          config TEXT NOT NULL,
          labels TEXT NOT NULL,
          model TEXT NOT NULL,
          data_hash TEXT NOT NULL,
          documents TEXT NOT NULL,
          backend TEXT,
          versions TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          finished_at TEXT,
          seconds REAL,
          best TEXT,
          per_learning_rate TEXT NOT NULL DEFAULT '[]',
          test TEXT,
          error TEXT
        );
        CREATE TABLE training_curves (
          run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('step', 'epoch')),
          lr_index INTEGER NOT NULL,
          position INTEGER NOT NULL,
          point TEXT NOT NULL,
          PRIMARY KEY (run_id, kind, lr_index, position)
        ) WITHOUT ROWID;
        CREATE TABLE training_checkpoints (
          run_id INTEGER PRIMARY KEY REFERENCES training_runs(id) ON DELETE CASCADE,
          lr_index INTEGER NOT NULL,
          step INTEGER NOT NULL,
          saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          state BLOB NOT NULL
        );
        CREATE TABLE training_weights (
          run_id INTEGER PRIMARY KEY REFERENCES training_runs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('lora', 'full')),
          safetensors BLOB NOT NULL
        );
        CREATE TABLE training_predictions (
          run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
          logits BLOB NOT NULL,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    description: 'domain pretraining runs and their curves; masked-LM loss comparisons',
    up: (db) => {
      db.exec(`
        CREATE TABLE pretrain_runs (
          id INTEGER PRIMARY KEY,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed', 'cancelled')),
          config TEXT NOT NULL,
          base TEXT,
          output TEXT,
          data_hash TEXT NOT NULL,
          documents TEXT NOT NULL,
          sequences TEXT,
          backend TEXT,
          versions TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          finished_at TEXT,
          seconds REAL,
          initial_loss TEXT,
          final_loss TEXT,
          checkpoint_step INTEGER,
          checkpoint_saved_at TEXT,
          error TEXT
        );
        CREATE TABLE pretrain_points (
          run_id INTEGER NOT NULL REFERENCES pretrain_runs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('step', 'eval')),
          step INTEGER NOT NULL,
          point TEXT NOT NULL,
          PRIMARY KEY (run_id, kind, step)
        ) WITHOUT ROWID;
        CREATE TABLE mlm_evaluations (
          id INTEGER PRIMARY KEY,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          split TEXT NOT NULL,
          max_length INTEGER NOT NULL,
          seeds INTEGER NOT NULL,
          documents INTEGER NOT NULL,
          models TEXT NOT NULL,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
      `);
    },
  },
  {
    // 5: a job names the run it works on. Jobs recorded before kept the run's id in their config
    // (fine-tuning and pretraining jobs: { runId, … }), so their history gets it too.
    description: 'the run each job works on, in the job history',
    up: (db) => {
      db.exec(`
        ALTER TABLE jobs ADD COLUMN run TEXT;
        UPDATE jobs SET run = json_object('kind', kind, 'runId', json_extract(config, '$.runId'))
          WHERE kind IN ('train', 'pretrain') AND json_valid(config) AND json_type(config, '$.runId') = 'integer';
      `);
    },
  },
  {
    // 6: one lifecycle for every kind of run (issue 16). What every run has — kind, corpus, status,
    // config, provenance, where its checkpoint stands, timestamps — is one row of `runs`; what only
    // one kind has is a row of its detail table; curve points of any kind are `run_points` (a
    // series, a group such as the learning rate's index, a position) and a checkpoint's state is a
    // `run_checkpoints` blob. Fine-tuning runs keep their ids; pretraining runs move up past them
    // (id + the largest fine-tuning id), and their jobs' run refs, configs and results follow.
    // Children are copied and their old tables dropped before their parents (foreign keys are on).
    description: 'one runs table for every kind of run, with a detail table per kind',
    up: (db) => {
      const offset = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM training_runs').get() as { m: number }).m;
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'done', 'failed', 'cancelled')),
          config TEXT NOT NULL,
          data_hash TEXT NOT NULL,
          documents TEXT NOT NULL,
          backend TEXT,
          versions TEXT NOT NULL,
          -- where the last checkpoint stands (JSON: the kind's position and savedAt), NULL when none
          checkpoint TEXT,
          error TEXT,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          finished_at TEXT,
          seconds REAL
        );
        CREATE INDEX runs_kind_corpus ON runs(kind, corpus_id);
        CREATE TABLE run_points (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          series TEXT NOT NULL,
          group_index INTEGER NOT NULL,
          position INTEGER NOT NULL,
          point TEXT NOT NULL,
          PRIMARY KEY (run_id, series, group_index, position)
        ) WITHOUT ROWID;
        CREATE TABLE run_checkpoints (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          state BLOB NOT NULL
        );
        CREATE TABLE training_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          labels TEXT NOT NULL,
          model TEXT NOT NULL,
          best TEXT,
          per_learning_rate TEXT NOT NULL DEFAULT '[]',
          test TEXT
        );
        CREATE TABLE pretraining_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          base TEXT,
          output TEXT,
          sequences TEXT,
          initial_loss TEXT,
          final_loss TEXT
        );

        INSERT INTO runs (id, kind, corpus_id, name, status, config, data_hash, documents, backend, versions, checkpoint, error, created_at, finished_at, seconds)
          SELECT r.id, 'train', r.corpus_id, r.name, r.status, r.config, r.data_hash, r.documents, r.backend, r.versions,
                 CASE WHEN k.run_id IS NULL THEN NULL ELSE json_object('learningRateIndex', k.lr_index, 'step', k.step, 'savedAt', k.saved_at) END,
                 r.error, r.created_at, r.finished_at, r.seconds
          FROM training_runs r LEFT JOIN training_checkpoints k ON k.run_id = r.id;
        INSERT INTO training_details (run_id, labels, model, best, per_learning_rate, test)
          SELECT id, labels, model, best, per_learning_rate, test FROM training_runs;
        INSERT INTO run_points (run_id, series, group_index, position, point)
          SELECT run_id, kind, lr_index, position, point FROM training_curves;
        INSERT INTO run_checkpoints (run_id, state) SELECT run_id, state FROM training_checkpoints;

        INSERT INTO runs (id, kind, corpus_id, name, status, config, data_hash, documents, backend, versions, checkpoint, error, created_at, finished_at, seconds)
          SELECT id + ${offset}, 'pretrain', corpus_id, name, status, config, data_hash, documents, backend, versions,
                 CASE WHEN checkpoint_step IS NULL THEN NULL ELSE json_object('step', checkpoint_step, 'savedAt', checkpoint_saved_at) END,
                 error, created_at, finished_at, seconds
          FROM pretrain_runs;
        INSERT INTO pretraining_details (run_id, base, output, sequences, initial_loss, final_loss)
          SELECT id + ${offset}, base, output, sequences, initial_loss, final_loss FROM pretrain_runs;
        INSERT INTO run_points (run_id, series, group_index, position, point)
          SELECT run_id + ${offset}, kind, 0, step, point FROM pretrain_points;

        UPDATE jobs SET run = json_set(run, '$.runId', json_extract(run, '$.runId') + ${offset})
          WHERE kind = 'pretrain' AND run IS NOT NULL AND json_valid(run) AND json_type(run, '$.runId') = 'integer';
        UPDATE jobs SET config = json_set(config, '$.runId', json_extract(config, '$.runId') + ${offset})
          WHERE kind = 'pretrain' AND json_valid(config) AND json_type(config, '$.runId') = 'integer';
        UPDATE jobs SET result = json_set(result, '$.runId', json_extract(result, '$.runId') + ${offset})
          WHERE kind = 'pretrain' AND json_valid(result) AND json_type(result, '$.runId') = 'integer';

        CREATE TABLE training_weights_6 (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('lora', 'full')),
          safetensors BLOB NOT NULL
        );
        INSERT INTO training_weights_6 SELECT run_id, kind, safetensors FROM training_weights;
        CREATE TABLE training_predictions_6 (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
          logits BLOB NOT NULL,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
        INSERT INTO training_predictions_6 SELECT run_id, document_id, split, logits FROM training_predictions;

        DROP TABLE training_weights;
        DROP TABLE training_predictions;
        DROP TABLE training_checkpoints;
        DROP TABLE training_curves;
        DROP TABLE training_runs;
        DROP TABLE pretrain_points;
        DROP TABLE pretrain_runs;
        ALTER TABLE training_weights_6 RENAME TO training_weights;
        ALTER TABLE training_predictions_6 RENAME TO training_predictions;
      `);
    },
  },
  {
    // 7: maps and topics (issue 17). A clustering and a map are runs of the shared lifecycle; their
    // per-document results are little-endian Int32/Float32 BLOBs in document order (one row per
    // run, not per document: 100,000 documents make two BLOBs, not 100,000 rows). The embedding
    // run they came from is named by id and described in the record (it has no delete of its own;
    // a corpus's deletion takes both with it).
    description: 'clustering and 2-D map runs: assignments, topics and coordinates',
    up: (db) => {
      db.exec(`
        CREATE TABLE cluster_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          embedding TEXT NOT NULL,
          clusters INTEGER,
          vocabulary INTEGER,
          quality TEXT,
          topics TEXT NOT NULL DEFAULT '[]',
          document_ids BLOB,
          assignments BLOB
        );
        CREATE TABLE map_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          embedding TEXT NOT NULL,
          trustworthiness REAL,
          document_ids BLOB,
          coords BLOB
        );
      `);
    },
  },
  {
    // 8: a researcher's edits of a clustering's topics, apart from the computed result: each row is
    // one edit with what it changed (document rows and their new cluster, as Int32 pairs) and the
    // topics and quality after it, so the state in force is the last active row's and undo is a flag.
    description: "a clustering's topic edits (rename, pin, merge, split, move), with undo",
    up(db) {
      db.exec(`
        CREATE TABLE topic_edits (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          edit TEXT NOT NULL,
          changes BLOB,
          topics TEXT NOT NULL,
          quality TEXT,
          undone INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        );
        CREATE INDEX topic_edits_run ON topic_edits (run_id, id);
      `);
    },
  },
  {
    // 9: attribution runs (issue 18). The model attributed is named in the detail row; each
    // document's result is its own row, written as soon as it is done (what a resumed run skips),
    // with its tokens (text and offsets, JSON) and Float32 BLOBs of their scores and, for an
    // estimated norm, the 95% interval's ends.
    description: 'attribution runs: per-document token scores by Integrated Gradients',
    up(db) {
      db.exec(`
        CREATE TABLE attribution_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          model TEXT NOT NULL,
          signed INTEGER NOT NULL
        );
        CREATE TABLE attribution_documents (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          target TEXT NOT NULL,
          predicted TEXT,
          at_input REAL NOT NULL,
          at_baseline REAL NOT NULL,
          gap REAL NOT NULL,
          steps INTEGER NOT NULL,
          truncated INTEGER NOT NULL,
          tokens TEXT NOT NULL,
          scores BLOB NOT NULL,
          low BLOB,
          high BLOB,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    // 10: prediction runs (issue 19): a classifier applied to a corpus. The detail row names the
    // model, its labels, task and threshold, and (once done) the comparison with the gold labels;
    // each document's predicted labels (JSON), confidence and per-label probabilities (Float32 BLOB)
    // are a row, written a chunk at a time with the run's checkpoint (what a resumed run skips).
    // The index serves the document table's sort by confidence.
    description: 'prediction runs: predicted labels, probabilities and confidence per document',
    up(db) {
      db.exec(`
        CREATE TABLE prediction_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          model TEXT NOT NULL,
          labels TEXT NOT NULL,
          task TEXT NOT NULL CHECK (task IN ('single-label', 'multi-label')),
          threshold REAL NOT NULL,
          evaluation TEXT
        );
        CREATE TABLE prediction_documents (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          predicted TEXT NOT NULL,
          confidence REAL NOT NULL,
          probabilities BLOB NOT NULL,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX prediction_documents_confidence ON prediction_documents (run_id, confidence);
      `);
    },
  },
  {
    // 11: revision pinning for embedding runs (issue 19): the Hub id and commit of the model embedded
    // with, as JSON (ModelSourceRef), NULL for a folder from elsewhere. Fine-tuning, pretraining,
    // attribution and prediction keep it inside their JSON model record.
    description: "embedding runs record the model's Hub id and commit",
    up(db) {
      db.exec('ALTER TABLE embedding_runs ADD COLUMN model_source TEXT;');
    },
  },
  {
    // 12: entities and relations (issue 20). An annotated corpus keeps, per document (one sentence),
    // its words, their offsets in the text and the gold entities and relations (JSON, word indices),
    // and per corpus its entity and relation types in label order. An entities run's detail row holds
    // the schema it was trained on, its model and scores and the kept head (and encoder or adapter)
    // weights as a safetensors BLOB; an extract run's found entities and relations are a row per
    // document (JSON: sentences with word offsets, entities with character offsets and scores),
    // written a chunk at a time with the run's checkpoint. A layer sweep names its points' entities
    // runs (JSON: head, encoder, layer, run id); their scores are read from those runs.
    description: 'entities and relations: annotations, table-filling runs, layer sweeps, extractions',
    up(db) {
      db.exec(`
        CREATE TABLE entity_schemas (
          corpus_id INTEGER PRIMARY KEY REFERENCES corpora(id) ON DELETE CASCADE,
          entity_types TEXT NOT NULL,
          relation_types TEXT NOT NULL
        );
        CREATE TABLE entity_annotations (
          document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
          words TEXT NOT NULL,
          offsets TEXT NOT NULL,
          entities TEXT NOT NULL,
          relations TEXT NOT NULL
        );
        CREATE TABLE entity_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          schema TEXT NOT NULL,
          model TEXT NOT NULL,
          best TEXT,
          per_learning_rate TEXT NOT NULL DEFAULT '[]',
          dev TEXT,
          test TEXT,
          truncated INTEGER NOT NULL DEFAULT 0,
          weights BLOB
        );
        CREATE TABLE extract_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          found TEXT
        );
        CREATE TABLE layer_sweep_details (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          layers TEXT NOT NULL,
          points TEXT NOT NULL
        );
        CREATE TABLE extract_documents (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          sentences TEXT NOT NULL,
          PRIMARY KEY (run_id, document_id)
        ) WITHOUT ROWID;
      `);
    },
  },
];

export const latestSchemaVersion = migrations.length;

/**
 * Brings db from its user_version up to list.length, one transaction per migration, so a failure
 * leaves the project at the last version that completed. Returns the versions applied.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number[] {
  const applied: number[] = [];
  let version = db.pragma('user_version', { simple: true }) as number;
  while (version < list.length) {
    const migration = list[version];
    db.exec('BEGIN IMMEDIATE');
    try {
      migration.up(db);
      db.pragma(`user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
    version++;
    applied.push(version);
  }
  return applied;
}
