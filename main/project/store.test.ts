import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrate, type Migration } from './migrations';
import { APPLICATION_ID, ProjectStore } from './store';
import { codeOf, doc, errorOf, importDocs, text500, useTempProjects } from '../../test/projectStore';

// Opening, locking and migrating; each repository's cases are beside it in repositories/.

const here = nodePath.dirname(fileURLToPath(import.meta.url));
const repoRoot = nodePath.resolve(here, '../..');

const { dir, file, create, open } = useTempProjects();

// ---------------------------------------------------------------- files

describe('create / open', () => {
  it('creates a project with our application_id and the latest schema, and reopens it', () => {
    const s = create();
    expect(s.info()).toMatchObject({ path: file(), schemaVersion: latestSchemaVersion, corpora: 0 });
    expect(s.info().sizeBytes).toBeGreaterThan(0);
    s.close();
    expect(fs.readdirSync(dir())).toEqual(['p.shirabe']); // no -wal or -shm left behind
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
    expect(codeOf(() => create(nodePath.join(dir(), 'missing', 'p.shirabe')))).toBe('fileNotFound');
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
    expect(codeOf(() => open(dir()))).toBe('projectNotShirabe');
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
    expect(fs.readdirSync(dir())).toEqual(['p.shirabe']);
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
    expect(s.corpora.list()).toHaveLength(1);
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
    expect(c.corpora.list()).toEqual(s.corpora.list());
    expect(c.documents.page({ corpusId: 1, query: '映画', label: null, split: null, offset: 0, limit: 10 }).total).toBe(1);
    // the original is still open and usable
    expect(s.corpora.list()).toHaveLength(1);
  });

  it('fails cleanly once closed', () => {
    const s = create();
    s.close();
    s.close();
    expect(codeOf(() => s.corpora.list())).toBe('noProject');
  });
});

// ---------------------------------------------------------------- locking

describe('single writer', () => {
  const childScript = (path: string) => {
    const script = nodePath.join(dir(), 'child.ts');
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
    s.corpora.list();
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

// ---------------------------------------------------------------- migrations

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
