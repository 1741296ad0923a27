// What the project store's unit tests (main/project/store.test.ts and repositories/*.test.ts)
// share: a fresh folder per test whose projects are closed and removed after it, a corpus import
// in one call, and a dump of every table to compare a project before and after.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { ShirabeError, type ErrorCode } from '../common/errors';
import type { Morpheme } from '../common/contract';
import type { DocumentInput } from '../main/corpus/types';
import type { ImportMeta } from '../main/project/repositories/corpus/corpora';
import { ProjectStore } from '../main/project/store';

/** Registers the hooks: each test gets its own folder; every project it created or opened is closed after it. */
export function useTempProjects() {
  let current = '';
  const opened: ProjectStore[] = [];
  beforeEach(() => {
    current = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'shirabe-store-'));
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
    fs.rmSync(current, { recursive: true, force: true });
  });
  const dir = (): string => current;
  const file = (name = 'p.shirabe'): string => nodePath.join(current, name);
  const create = (path = file()): ProjectStore => {
    const s = ProjectStore.create(path);
    opened.push(s);
    return s;
  };
  const open = (path = file()): ProjectStore => {
    const s = ProjectStore.open(path);
    opened.push(s);
    return s;
  };
  return { dir, file, create, open };
}

export function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShirabeError) return err.code;
    throw err;
  }
  return 'no error';
}

export function errorOf(fn: () => unknown): ShirabeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShirabeError) return err;
    throw err;
  }
  throw new Error('expected a ShirabeError');
}

export function meta(name: string, extra: Partial<ImportMeta> = {}): ImportMeta {
  return {
    name,
    source: '/data/in.csv',
    format: 'csv',
    encoding: 'utf-8',
    options: { textColumn: 'text' },
    seed: 42,
    split: [0.8, 0.1, 0.1],
    ...extra,
  };
}

/** A noun morpheme at `start` (IPADIC's 名詞・一般), for morphology-cache tests. */
export const noun = (surface: string, start: number): Morpheme => ({
  surface,
  pos: '名詞',
  posDetail: ['一般'],
  baseForm: surface,
  reading: '',
  pronunciation: '',
  start,
  end: start + surface.length,
});

export function doc(text: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { text, title: null, label: null, metadata: {}, line: 1, ...extra };
}

export function importDocs(store: ProjectStore, name: string, docs: DocumentInput[], extra: Partial<ImportMeta> = {}) {
  const w = store.corpora.beginImport(meta(name, extra));
  const ids = docs.map((d) => w.add(d));
  return { ids, summary: w.commit() };
}

/** Every row of every real table (FTS shadow tables included), read with a plain connection. */
export function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path);
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t}"`).all(); // table order = key order
    db.exec('BEGIN');
    db.exec("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')"); // throws when out of sync
    db.exec('ROLLBACK');
    out.__fts_check = ['ok'];
    return out;
  } finally {
    db.close();
  }
}

/** 500 characters of Japanese text, different for each seed. */
export const text500 = (seed: number) =>
  Array.from({ length: 50 }, (_, i) => `文書${seed}の${i}番目。`).join('').slice(0, 500);
