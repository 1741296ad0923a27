import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Morpheme } from '../../common/contract';
import { ShirabeError, type ErrorCode } from '../../common/errors';
import type { DocumentInput } from '../corpus/types';
import { latestSchemaVersion, migrate, type Migration } from './migrations';
import { APPLICATION_ID, ProjectStore, trigramQuery, type ImportMeta } from './store';

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../..');

let dir: string;
const opened: ProjectStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'shirabe-store-'));
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name = 'p.shirabe'): string {
  return nodePath.join(dir, name);
}
function create(path = file()): ProjectStore {
  const s = ProjectStore.create(path);
  opened.push(s);
  return s;
}
function open(path = file()): ProjectStore {
  const s = ProjectStore.open(path);
  opened.push(s);
  return s;
}
function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShirabeError) return err.code;
    throw err;
  }
  return 'no error';
}
function errorOf(fn: () => unknown): ShirabeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShirabeError) return err;
    throw err;
  }
  throw new Error('expected a ShirabeError');
}

function meta(name: string, extra: Partial<ImportMeta> = {}): ImportMeta {
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
function doc(text: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { text, title: null, label: null, metadata: {}, line: 1, ...extra };
}
function importDocs(store: ProjectStore, name: string, docs: DocumentInput[], extra: Partial<ImportMeta> = {}) {
  const w = store.beginImport(meta(name, extra));
  const ids = docs.map((d) => w.add(d));
  return { ids, summary: w.commit() };
}

/** Every row of every real table (FTS shadow tables included), read with a plain connection. */
function dump(path: string): Record<string, unknown[]> {
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

const text500 = (seed: number) =>
  Array.from({ length: 50 }, (_, i) => `文書${seed}の${i}番目。`).join('').slice(0, 500);

// ---------------------------------------------------------------- files

describe('create / open', () => {
  it('creates a project with our application_id and the latest schema, and reopens it', () => {
    const s = create();
    expect(s.info()).toMatchObject({ path: file(), schemaVersion: latestSchemaVersion, corpora: 0 });
    expect(s.info().sizeBytes).toBeGreaterThan(0);
    s.close();
    expect(fs.readdirSync(dir)).toEqual(['p.shirabe']); // no -wal or -shm left behind
    const raw = new Database(file(), { readonly: true });
    expect((raw.pragma('application_id', { simple: true }) as number) >>> 0).toBe(APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const again = open();
    expect(again.info().schemaVersion).toBe(latestSchemaVersion);
    again.close();
    expect(fs.existsSync(`${file()}-wal`)).toBe(false);
  });

  it('refuses to create over an existing file, or in a missing folder', () => {
    fs.writeFileSync(file(), 'precious');
    expect(errorOf(() => create()).toInfo()).toEqual({ code: 'projectExists', params: { path: file() } });
    expect(fs.readFileSync(file(), 'utf8')).toBe('precious');
    expect(codeOf(() => create(nodePath.join(dir, 'missing', 'p.shirabe')))).toBe('fileNotFound');
  });

  it('reports a missing project', () => {
    expect(errorOf(() => open(file('nope.shirabe'))).toInfo()).toEqual({
      code: 'projectNotFound',
      params: { path: file('nope.shirabe') },
    });
  });

  it('refuses files that are not Shirabe projects', () => {
    fs.writeFileSync(file('text.shirabe'), 'id,text\n1,hello\n'.repeat(20));
    expect(errorOf(() => open(file('text.shirabe'))).toInfo()).toEqual({
      code: 'projectNotShirabe',
      params: { path: file('text.shirabe') },
    });
    fs.writeFileSync(file('empty.shirabe'), '');
    expect(codeOf(() => open(file('empty.shirabe')))).toBe('projectNotShirabe');
    expect(codeOf(() => open(dir))).toBe('projectNotShirabe');
    const foreign = new Database(file('foreign.db'));
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    foreign.close();
    const before = fs.readFileSync(file('foreign.db'));
    expect(codeOf(() => open(file('foreign.db')))).toBe('projectNotShirabe');
    expect(fs.readFileSync(file('foreign.db')).equals(before)).toBe(true);
  });

  it('refuses a project from a newer Shirabe and leaves it byte-identical', () => {
    const s = create();
    importDocs(s, 'c', [doc('映画を見た')]);
    s.close();
    const raw = new Database(file());
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(file());
    expect(errorOf(() => open()).toInfo()).toEqual({
      code: 'projectNewerSchema',
      params: { path: file(), found: 999, supported: latestSchemaVersion },
    });
    expect(fs.readFileSync(file()).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['p.shirabe']);
  });

  it('sees a newer schema that is still in the write-ahead log, without writing the file', () => {
    const s = create();
    s.close();
    const raw = new Database(file());
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    raw.pragma('user_version = 998'); // lands in p.shirabe-wal, not yet in the main file
    const before = fs.readFileSync(file());
    expect(before.readInt32BE(60)).toBe(latestSchemaVersion);
    try {
      const err = errorOf(() => open());
      expect(err.code === 'projectNewerSchema' || err.code === 'projectLocked').toBe(true);
      if (err.code === 'projectNewerSchema') expect(err.params.found).toBe(998);
      expect(fs.readFileSync(file()).equals(before)).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('migrates an older schema forward', () => {
    const raw = new Database(file());
    raw.pragma(`application_id = ${APPLICATION_ID}`); // version 0: created but never migrated
    raw.close();
    const s = open();
    expect(s.info().schemaVersion).toBe(latestSchemaVersion);
    importDocs(s, 'c', [doc('a')]);
    expect(s.listCorpora()).toHaveLength(1);
  });

  it('refuses a damaged project', () => {
    const s = create();
    importDocs(
      s,
      'c',
      Array.from({ length: 300 }, (_, i) => doc(text500(i))),
    );
    s.close();
    const size = fs.statSync(file()).size;
    expect(size).toBeGreaterThan(20 * 4096);
    const fd = fs.openSync(file(), 'r+');
    const garbage = Buffer.alloc(4096 * 8);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) & 0xff;
    fs.writeSync(fd, garbage, 0, garbage.length, 4096 * 2); // pages 3..10
    fs.closeSync(fd);
    const err = errorOf(() => open());
    expect(err.code).toBe('projectCorrupt');
    expect(err.params.path).toBe(file());
    expect(String(err.params.detail).length).toBeGreaterThan(0);
  });

  it('refuses a read-only project', () => {
    if (process.getuid?.() === 0) return; // root writes anyway
    create().close();
    fs.chmodSync(file(), 0o444);
    try {
      expect(codeOf(() => open())).toBe('projectReadOnly');
    } finally {
      fs.chmodSync(file(), 0o644);
    }
  });

  it('saves a copy that opens as a valid project', () => {
    const s = create();
    importDocs(s, 'c', [doc('映画を見た', { label: 'a' }), doc('本を読んだ', { label: 'b' })]);
    const copy = file('copy.shirabe');
    const result = s.saveCopy(copy);
    expect(result.path).toBe(copy);
    expect(result.sizeBytes).toBe(fs.statSync(copy).size);
    expect(errorOf(() => s.saveCopy(copy)).toInfo()).toEqual({ code: 'copyTargetExists', params: { path: copy } });
    const c = open(copy);
    expect(c.info().schemaVersion).toBe(latestSchemaVersion);
    expect(c.listCorpora()).toEqual(s.listCorpora());
    expect(c.documents({ corpusId: 1, query: '映画', label: null, split: null, offset: 0, limit: 10 }).total).toBe(1);
    // the original is still open and usable
    expect(s.listCorpora()).toHaveLength(1);
  });

  it('fails cleanly once closed', () => {
    const s = create();
    s.close();
    s.close();
    expect(codeOf(() => s.listCorpora())).toBe('noProject');
  });
});

// ---------------------------------------------------------------- locking

describe('single writer', () => {
  const childScript = (path: string) => {
    const script = nodePath.join(dir, 'child.ts');
    fs.writeFileSync(
      script,
      `import { ProjectStore } from ${JSON.stringify(nodePath.join(here, 'store.ts'))};
const [mode, path] = process.argv.slice(2);
try {
  const s = ProjectStore.open(path);
  if (mode === 'hold') { console.log('ready'); setInterval(() => {}, 1000); }
  else { console.log('opened'); s.close(); }
} catch (err) { console.log((err as { code?: string }).code ?? String(err)); }
`,
    );
    return (mode: 'try' | 'hold') => [
      '--import',
      'tsx',
      script,
      mode,
      path,
    ];
  };

  it('a second connection in this process gets projectLocked', () => {
    const s = create();
    expect(errorOf(() => ProjectStore.open(file())).toInfo()).toEqual({ code: 'projectLocked', params: { path: file() } });
    s.close();
    open().close();
  });

  it('another process gets projectLocked while open, and opens it after close', () => {
    const s = create();
    const args = childScript(file());
    const run = () => spawnSync(process.execPath, args('try'), { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    const locked = run();
    expect(locked.stdout.trim()).toBe('projectLocked');
    // the lock survives our own reads of the project
    s.listCorpora();
    expect(run().stdout.trim()).toBe('projectLocked');
    s.close();
    expect(run().stdout.trim()).toBe('opened');
  }, 60_000);

  it('a lock held by a process that dies goes away with it', async () => {
    create().close();
    const args = childScript(file());
    const child = spawn(process.execPath, args('hold'), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const first = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', () => resolve(out.trim()));
      });
      expect(first).toBe('ready');
      expect(codeOf(() => open())).toBe('projectLocked');
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    const s = open();
    expect(s.info().schemaVersion).toBe(latestSchemaVersion);
  }, 60_000);
});

// ---------------------------------------------------------------- import

describe('import', () => {
  it('commits documents with labels, splits and counts', () => {
    const s = create();
    const w = s.beginImport(meta('レビュー'));
    for (let i = 0; i < 100; i++) {
      w.add(doc(`文書${i}`, { label: i % 4 === 0 ? 'neg' : 'pos', title: `t${i}`, metadata: { n: String(i) }, line: i + 2 }));
    }
    w.countEmpty(3);
    w.setBadRows([{ line: 7, error: { code: 'csvFieldCount', params: { line: 7, expected: 2, found: 3 } } }], 1);
    const summary = w.commit();
    expect(summary).toMatchObject({ corpusId: 1, name: 'レビュー', documents: 100, duplicates: 0, emptySkipped: 3, badRowCount: 1 });
    // pos 75 → 60 / 7.5 / 7.5 and neg 25 → 20 / 2.5 / 2.5: each tie goes one way (seeded)
    expect(summary.splits.train).toBe(80);
    expect([9, 10, 11]).toContain(summary.splits.dev);
    expect(summary.splits.dev + summary.splits.test).toBe(20);
    const [c] = s.listCorpora();
    expect(c).toMatchObject({
      id: 1,
      name: 'レビュー',
      documents: 100,
      source: '/data/in.csv',
      format: 'csv',
      encoding: 'utf-8',
      seed: 42,
      split: [0.8, 0.1, 0.1],
      labels: [
        { label: 'pos', count: 75 },
        { label: 'neg', count: 25 },
      ],
      splits: summary.splits,
      emptySkipped: 3,
      duplicates: 0,
      badRows: 1,
    });
    expect(s.badRows(1).rows[0].line).toBe(7);
    const d = s.document(s.documents({ corpusId: 1, query: '', label: null, split: null, offset: 5, limit: 1 }).rows[0].id);
    expect(d).toMatchObject({ ordinal: 6, text: '文書5', title: 't5', label: 'pos', metadata: { n: '5' }, duplicateOf: null });
    expect(s.info().corpora).toBe(1);
  });

  it('refuses empty and taken names, invalid splits and seeds', () => {
    const s = create();
    expect(codeOf(() => s.beginImport(meta('  ')))).toBe('corpusNameRequired');
    importDocs(s, 'c', [doc('a')]);
    expect(errorOf(() => s.beginImport(meta('c'))).toInfo()).toEqual({ code: 'corpusNameTaken', params: { name: 'c' } });
    expect(codeOf(() => s.beginImport(meta('d', { split: [0.5, 0.5, 0.5] })))).toBe('splitInvalid');
    expect(codeOf(() => s.beginImport(meta('d', { seed: -1 })))).toBe('seedInvalid');
    // none of that left a transaction open
    importDocs(s, 'd', [doc('b')]);
    expect(s.listCorpora().map((c) => c.name)).toEqual(['c', 'd']);
  });

  it('rollback leaves the project exactly as before, full-text index included', () => {
    const s = create();
    importDocs(s, 'kept', [doc('映画を見た', { label: 'x' }), doc('The movie was long')]);
    s.recordJob({ id: 'j0', kind: 'import', title: 'kept', status: 'done', config: {}, result: null, error: null, startedAt: 1, finishedAt: 2, run: null });
    s.close();
    const before = dump(file());
    const store = open();
    const listBefore = store.listCorpora();
    const w = store.beginImport(meta('dropped'));
    for (let i = 0; i < 2000; i++) w.add(doc(`${text500(i)} 映画 movie unique${i}`, { label: 'y' }));
    w.add(doc('映画を見た')); // same text as in the kept corpus: not a duplicate (other corpus)
    // while open, the pending corpus is invisible to readers
    expect(store.listCorpora()).toEqual(listBefore);
    expect(codeOf(() => store.documents({ corpusId: w.corpusId, query: '', label: null, split: null, offset: 0, limit: 1 }))).toBe(
      'corpusNotFound',
    );
    expect(store.kwic(null, '映画', 5, 'document', 100).total).toBe(1);
    // a job recorded meanwhile survives the rollback
    store.recordJob({ id: 'j1', kind: 'import', title: 'dropped', status: 'failed', config: {}, result: null, error: { code: 'cancelled', params: {} }, startedAt: 3, finishedAt: 4, run: null });
    w.rollback();
    w.rollback(); // idempotent
    expect(codeOf(() => w.add(doc('late')))).toBe('internal');
    expect(store.listCorpora()).toEqual(listBefore);
    expect(store.kwic(null, 'unique1', 5, 'document', 10).total).toBe(0);
    expect(store.listJobs().map((j) => j.id)).toEqual(['j1', 'j0']);
    store.close();
    const after = dump(file());
    const { jobs: jobsAfter, ...restAfter } = after;
    const { jobs: jobsBefore, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
    expect(jobsAfter).toHaveLength((jobsBefore as unknown[]).length + 1);
    // the name is free again
    const again = open();
    importDocs(again, 'dropped', [doc('z')]);
  });

  it('close() rolls back an unfinished import', () => {
    const s = create();
    const w = s.beginImport(meta('half'));
    w.add(doc('a'));
    s.close();
    expect(w.isOpen).toBe(false);
    expect(open().listCorpora()).toEqual([]);
  });

  it('marks exact duplicates and keeps them in their original split', () => {
    const s = create();
    const texts = ['同じ文', '違う文', '同じ文', '同じ文', '同じ文 ', 'abc', 'ABC', '違う文'];
    const { ids, summary } = importDocs(
      s,
      'dups',
      texts.map((t) => doc(t)),
      { split: [0.5, 0.25, 0.25] },
    );
    expect(summary.duplicates).toBe(3);
    const details = ids.map((id) => s.document(id));
    expect(details.map((d) => d.duplicateOf)).toEqual([null, null, ids[0], ids[0], null, null, null, ids[1]]);
    expect(details[2].split).toBe(details[0].split);
    expect(details[3].split).toBe(details[0].split);
    expect(details[7].split).toBe(details[1].split);
    expect(s.listCorpora()[0].duplicates).toBe(3);
    const rows = s.documents({ corpusId: summary.corpusId, query: '', label: null, split: null, offset: 0, limit: 10 }).rows;
    expect(rows.map((r) => r.duplicateOf)).toEqual(details.map((d) => d.duplicateOf));
    // duplicates are per corpus
    const other = importDocs(s, 'other', [doc('同じ文')]);
    expect(other.summary.duplicates).toBe(0);
  });

  it('reports unknown corpora and documents', () => {
    const s = create();
    expect(errorOf(() => s.stats(9, 'chars', 10)).toInfo()).toEqual({ code: 'corpusNotFound', params: { id: 9 } });
    expect(errorOf(() => s.document(5)).toInfo()).toEqual({ code: 'documentNotFound', params: { id: 5 } });
    expect(codeOf(() => s.kwic(3, '映画', 5, 'left', 10))).toBe('corpusNotFound');
    expect(codeOf(() => s.getMorphology(1))).toBe('documentNotFound');
  });

  it('deletes a corpus with its index entries', () => {
    const s = create();
    const a = importDocs(s, 'a', [doc('映画館へ行く')]);
    importDocs(s, 'b', [doc('映画館は遠い')]);
    s.deleteCorpus(a.summary.corpusId);
    expect(s.listCorpora().map((c) => c.name)).toEqual(['b']);
    expect(s.kwic(null, '映画館', 3, 'document', 10).total).toBe(1);
    s.close();
    expect(dump(file()).__fts_check).toEqual(['ok']);
  });
});

// ---------------------------------------------------------------- search

describe('documents search', () => {
  let s: ProjectStore;
  let corpusId: number;
  const long = 'あ'.repeat(200) + '映画' + 'い'.repeat(200);
  beforeEach(() => {
    s = create();
    corpusId = importDocs(
      s,
      'search',
      [
        doc('昨日、映画を見ました。とても良い映画でした。', { title: 'Review', label: 'pos' }),
        doc('The Movie was boring. 映画館は寒かった。', { label: 'neg' }),
        doc('今日は本を読んだ。', { title: '映画の話', label: 'pos' }),
        doc('Nothing here about films at all.'),
        doc(long, { label: 'pos' }),
      ],
      { split: [1, 0, 0] },
    ).summary.corpusId;
  });
  const search = (query: string, extra: { label?: string | null; offset?: number; limit?: number } = {}) =>
    s.documents({ corpusId, query, label: extra.label ?? null, split: null, offset: extra.offset ?? 0, limit: extra.limit ?? 50 });
  const ordinals = (query: string, extra = {}) => search(query, extra).rows.map((r) => r.ordinal);

  it('finds two-character Japanese words (in text or title) without the trigram index', () => {
    expect(search('映画').total).toBe(4);
    expect(ordinals('映画')).toEqual([1, 2, 3, 5]);
    expect(ordinals('映')).toEqual([1, 2, 3, 5]);
    expect(ordinals('本を')).toEqual([3]);
  });

  it('finds terms of three or more characters through the trigram index', () => {
    expect(ordinals('映画館')).toEqual([2]);
    expect(ordinals('良い映画')).toEqual([1]);
    expect(ordinals('films')).toEqual([4]);
    expect(ordinals('映画の話')).toEqual([3]); // title
  });

  it('is case-insensitive for ASCII and needs every term', () => {
    expect(ordinals('movie')).toEqual([2]);
    expect(ordinals('MOVIE')).toEqual([2]);
    expect(ordinals('映画 movie')).toEqual([2]);
    expect(ordinals('映画\u3000REVIEW')).toEqual([1]);
    expect(ordinals('映画 films')).toEqual([]);
    expect(ordinals('"映画')).toEqual([]); // quotes are text, not FTS syntax
    expect(search('xyz').total).toBe(0);
  });

  it('filters by label and split and pages in ordinal order', () => {
    expect(ordinals('映画', { label: 'pos' })).toEqual([1, 3, 5]);
    expect(s.documents({ corpusId, query: '', label: null, split: 'dev', offset: 0, limit: 10 }).total).toBe(0);
    const page = search('', { offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.ordinal)).toEqual([2, 3]);
    expect(page.rows[0]).toMatchObject({ corpusId, title: null, label: 'neg', split: 'train', chars: 31, duplicateOf: null });
  });

  it('returns snippets whose highlights slice back to the terms', () => {
    const [first] = search('映画').rows;
    expect(first.snippet.text).toBe('昨日、映画を見ました。とても良い映画でした。');
    expect(first.snippet.highlights).toEqual([
      [3, 5],
      [16, 18],
    ]);
    const rows = search('映画 movie').rows;
    expect(rows[0].snippet.highlights.map(([a, b]) => rows[0].snippet.text.slice(a, b))).toEqual(['Movie', '映画']);
    const far = search('映画').rows.find((r) => r.ordinal === 5)!;
    expect(far.snippet.text.startsWith('…')).toBe(true);
    expect(far.snippet.text.endsWith('…')).toBe(true);
    expect(far.snippet.highlights).toHaveLength(1);
    const [[a, b]] = far.snippet.highlights;
    expect(far.snippet.text.slice(a, b)).toBe('映画');
    // title-only hit: the start of the text, nothing highlighted
    const titleHit = search('映画').rows.find((r) => r.ordinal === 3)!;
    expect(titleHit.snippet).toEqual({ text: '今日は本を読んだ。', highlights: [] });
    // no query: the first 120 characters
    const plain = search('').rows.find((r) => r.ordinal === 5)!;
    expect(plain.snippet).toEqual({ text: 'あ'.repeat(120) + '…', highlights: [] });
  });
});

// ---------------------------------------------------------------- KWIC

describe('kwic', () => {
  let s: ProjectStore;
  let k: number;
  beforeEach(() => {
    s = create();
    k = importDocs(s, 'k', [doc('古い映画と新しい映画', { title: 'A', label: 'x' }), doc('この映画が好き')]).summary.corpusId;
    importDocs(s, 'other', [doc('映画館\nで映画')]);
  });
  const keys = (r: { lines: { documentId: number; start: number }[] }) => r.lines.map((l) => `${l.documentId}:${l.start}`);

  it('finds every occurrence with its context', () => {
    const r = s.kwic(k, '映画', 3, 'document', 100);
    expect(r.total).toBe(3);
    expect(r.lines).toEqual([
      { documentId: 1, title: 'A', label: 'x', start: 2, left: '古い', keyword: '映画', right: 'と新し' },
      { documentId: 1, title: 'A', label: 'x', start: 8, left: '新しい', keyword: '映画', right: '' },
      { documentId: 2, title: null, label: null, start: 2, left: 'この', keyword: '映画', right: 'が好き' },
    ]);
  });

  it('sorts by left context read outwards, by right context, and by document', () => {
    // reversed left: 1:2 い古, 1:8 いし新, 2:2 のこ → し(3057) < 古(53E4); い < の
    expect(keys(s.kwic(k, '映画', 3, 'left', 100))).toEqual(['1:8', '1:2', '2:2']);
    // right: '' < が好き(304C) < と新し(3068)
    expect(keys(s.kwic(k, '映画', 3, 'right', 100))).toEqual(['1:8', '2:2', '1:2']);
    expect(keys(s.kwic(k, '映画', 3, 'document', 100))).toEqual(['1:2', '1:8', '2:2']);
  });

  it('counts everything but returns at most limit lines, after sorting', () => {
    const r = s.kwic(k, '映画', 3, 'right', 2);
    expect(r.total).toBe(3);
    expect(keys(r)).toEqual(['1:8', '2:2']);
  });

  it('searches all corpora with null, shows line breaks as spaces, uses the index for 3+ characters', () => {
    const all = s.kwic(null, '映画', 2, 'document', 100);
    expect(all.total).toBe(5);
    expect(all.lines[3]).toMatchObject({ documentId: 3, start: 0, left: '', right: '館 ' });
    expect(all.lines[4]).toMatchObject({ documentId: 3, start: 5, left: ' で', right: '' });
    expect(s.kwic(null, '映画館', 2, 'document', 100).total).toBe(1);
    expect(s.kwic(null, '新しい映画', 2, 'document', 100).lines[0]).toMatchObject({ start: 5, left: '画と', right: '' });
  });

  it('is ASCII case-insensitive and shows the text as written', () => {
    const c = importDocs(s, 'en', [doc('A movie. The MOVIE! movies')]).summary.corpusId;
    const r = s.kwic(c, 'Movie', 4, 'document', 10);
    expect(r.total).toBe(3);
    expect(r.lines.map((l) => l.keyword)).toEqual(['movie', 'MOVIE', 'movie']);
  });

  it('trims to the best lines while scanning many occurrences, with the same result as a full sort', () => {
    const many = importDocs(
      s,
      'many',
      Array.from({ length: 300 }, (_, i) => doc(Array.from({ length: 50 }, (_, j) => `${(i * 7 + j * 13) % 97}語`).join(''))),
    ).summary.corpusId;
    for (const sort of ['left', 'right', 'document'] as const) {
      const full = s.kwic(many, '語', 4, sort, 100_000);
      expect(full.total).toBe(15_000);
      const top = s.kwic(many, '語', 4, sort, 7);
      expect(top.total).toBe(15_000);
      expect(top.lines).toEqual(full.lines.slice(0, 7));
    }
  });

  it('refuses an empty word', () => {
    expect(codeOf(() => s.kwic(k, '', 3, 'left', 10))).toBe('queryEmpty');
    expect(codeOf(() => s.kwic(k, '  ', 3, 'left', 10))).toBe('queryEmpty');
  });
});

// ---------------------------------------------------------------- stats, morphology, jobs

describe('stats and morphology', () => {
  const m = (surface: string, start: number): Morpheme => ({
    surface,
    pos: '名詞',
    posDetail: ['一般'],
    baseForm: surface,
    reading: '',
    pronunciation: '',
    start,
    end: start + surface.length,
  });

  it('computes hand-checked length statistics', () => {
    const s = create();
    const { summary, ids } = importDocs(s, 's', [
      doc('あいう', { label: 'pos' }), // 3
      doc('映画', { label: 'neg' }), // 2
      doc('abcdefghij', { label: 'pos' }), // 10
      doc('𠮷野家'), // 3 code points (4 UTF-16 units)
      doc('映画館で映画', { label: 'neg' }), // 6
      doc('映画', { label: 'aaa' }), // 2, duplicate
    ]);
    const st = s.stats(summary.corpusId, 'chars', 4);
    expect(st).toMatchObject({
      corpusId: summary.corpusId,
      documents: 6,
      unit: 'chars',
      labels: [
        { label: 'neg', count: 2 },
        { label: 'pos', count: 2 },
        { label: 'aaa', count: 1 },
      ],
      // values 3 2 10 3 6 2 → width 2: [2,4) 4, [4,6) 0, [6,8) 1, [8,10] 1
      histogram: { edges: [2, 4, 6, 8, 10], counts: [4, 0, 1, 1] },
      mean: 26 / 6,
      median: 3,
      min: 2,
      max: 10,
      duplicates: 1,
      emptySkipped: 0,
      analysed: 0,
    });
    expect(st.splits.train + st.splits.dev + st.splits.test).toBe(6);

    const empty = s.stats(summary.corpusId, 'morphemes', 4);
    expect(empty).toMatchObject({ analysed: 0, histogram: { edges: [], counts: [] }, mean: 0, median: 0 });

    expect(s.getMorphology(ids[0])).toBeNull();
    s.putMorphology(ids[0], [m('あ', 0), m('いう', 1)]);
    s.putMorphology(ids[2], [m('a', 0), m('b', 1), m('c', 2), m('d', 3), m('e', 4)]);
    expect(s.getMorphology(ids[0])).toEqual([m('あ', 0), m('いう', 1)]);
    const morph = s.stats(summary.corpusId, 'morphemes', 3);
    expect(morph).toMatchObject({
      unit: 'morphemes',
      analysed: 2,
      documents: 6,
      histogram: { edges: [2, 3, 4, 5], counts: [1, 0, 1] },
      mean: 3.5,
      median: 3.5,
      min: 2,
      max: 5,
    });
    expect(s.countUnanalysed(summary.corpusId)).toBe(4);
  });

  it('lists unanalysed documents so they can be analysed while iterating', () => {
    const s = create();
    const { summary } = importDocs(
      s,
      'u',
      Array.from({ length: 25 }, (_, i) => doc(`文${i}`)),
    );
    const seen: string[] = [];
    expect(s.unanalysed(summary.corpusId).map((d) => d.text)).toEqual(Array.from({ length: 25 }, (_, i) => `文${i}`));
    for (const d of s.iterateUnanalysed(summary.corpusId, 4)) {
      seen.push(d.text);
      s.putMorphology(d.id, [m(d.text, 0)]);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `文${i}`));
    expect(s.unanalysed(summary.corpusId)).toEqual([]);
    expect([...s.iterateUnanalysed(summary.corpusId)]).toEqual([]);
    expect(s.stats(summary.corpusId, 'morphemes', 5).analysed).toBe(25);
  });
});

describe('jobs history', () => {
  it('upserts and lists newest first', () => {
    const s = create();
    s.recordJob({ id: 'a', kind: 'morphology', title: 'one', status: 'running', config: { x: 1 }, result: null, error: null, startedAt: 10, finishedAt: null, run: null });
    s.recordJob({ id: 'b', kind: 'morphology', title: 'two', status: 'queued', config: null, result: null, error: null, startedAt: null, finishedAt: null, run: null });
    s.recordJob({ id: 'a', kind: 'morphology', title: 'one', status: 'done', config: { x: 1 }, result: { documents: 3 }, error: null, startedAt: 10, finishedAt: 20, run: null });
    s.recordJob({ id: 'c', kind: 'train', title: 'three', status: 'failed', config: { runId: 7 }, result: null, error: null, startedAt: 30, finishedAt: 40, run: { kind: 'train', runId: 7 } });
    const jobs = s.listJobs();
    expect(jobs.map((j) => [j.id, j.status])).toEqual([
      ['c', 'failed'],
      ['b', 'queued'],
      ['a', 'done'],
    ]);
    expect(jobs[2]).toEqual({ id: 'a', kind: 'morphology', title: 'one', status: 'done', config: { x: 1 }, result: { documents: 3 }, error: null, startedAt: 10, finishedAt: 20, run: null });
    expect(jobs[0].run).toEqual({ kind: 'train', runId: 7 });
    s.close();
    expect(open().listJobs()).toEqual(jobs);
  });
});

describe('trigram candidates', () => {
  it('ANDs the distinct trigrams of a term, quoting FTS syntax away', () => {
    expect(trigramQuery('について')).toBe('"につい" AND "ついて"');
    expect(trigramQuery('ああああ')).toBe('"あああ"');
    expect(trigramQuery('a"b')).toBe('"a""b"');
    expect(trigramQuery('𠮷野家')).toBe('"𠮷野家"');
  });

  it('confirms candidates: trigrams that are present but apart do not match', () => {
    const s = create();
    const id = importDocs(s, 't', [doc('映画について話す'), doc('につい。ついて')]).summary.corpusId;
    const q = { corpusId: id, label: null, split: null, offset: 0, limit: 10 };
    expect(s.documents({ ...q, query: 'について' }).rows.map((r) => r.ordinal)).toEqual([1]);
    expect(s.kwic(id, 'について', 2, 'document', 10).total).toBe(1);
    expect(s.kwic(id, '𠮷野家', 2, 'document', 10).total).toBe(0);
  });
});

describe('migrate', () => {
  it('applies numbered migrations in order, each atomically', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { description: 'one', up: (d) => d.exec('CREATE TABLE one (x)') },
      { description: 'two', up: (d) => d.exec('CREATE TABLE two (x)') },
      {
        description: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE three (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(migrate(db, list.slice(0, 1))).toEqual([1]);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(() => migrate(db, list)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['one', 'two']);
    expect(migrate(db, list.slice(0, 2))).toEqual([]);
    db.close();
  });
});
