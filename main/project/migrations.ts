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
