import { describe, expect, it } from 'vitest';
import { codeOf, doc, dump, errorOf, importDocs, meta, text500, useTempProjects } from '../../../../test/projectStore';

const { file, create, open } = useTempProjects();

describe('import', () => {
  it('commits documents with labels, splits and counts', () => {
    const s = create();
    const w = s.corpora.beginImport(meta('レビュー'));
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
    const [c] = s.corpora.list();
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
    expect(s.corpora.badRows(1).rows[0].line).toBe(7);
    const d = s.documents.get(s.documents.page({ corpusId: 1, query: '', label: null, split: null, offset: 5, limit: 1 }).rows[0].id);
    expect(d).toMatchObject({ ordinal: 6, text: '文書5', title: 't5', label: 'pos', metadata: { n: '5' }, duplicateOf: null });
    expect(s.info().corpora).toBe(1);
  });

  it('refuses empty and taken names, invalid splits and seeds', () => {
    const s = create();
    expect(codeOf(() => s.corpora.beginImport(meta('  ')))).toBe('corpusNameRequired');
    importDocs(s, 'c', [doc('a')]);
    expect(errorOf(() => s.corpora.beginImport(meta('c'))).toInfo()).toEqual({ code: 'corpusNameTaken', params: { name: 'c' } });
    expect(codeOf(() => s.corpora.beginImport(meta('d', { split: [0.5, 0.5, 0.5] })))).toBe('splitInvalid');
    expect(codeOf(() => s.corpora.beginImport(meta('d', { seed: -1 })))).toBe('seedInvalid');
    // none of that left a transaction open
    importDocs(s, 'd', [doc('b')]);
    expect(s.corpora.list().map((c) => c.name)).toEqual(['c', 'd']);
  });

  it('rollback leaves the project exactly as before, full-text index included', () => {
    const s = create();
    importDocs(s, 'kept', [doc('映画を見た', { label: 'x' }), doc('The movie was long')]);
    s.jobs.record({ id: 'j0', kind: 'import', title: 'kept', status: 'done', config: {}, result: null, error: null, startedAt: 1, finishedAt: 2, run: null });
    s.close();
    const before = dump(file());
    const store = open();
    const listBefore = store.corpora.list();
    const w = store.corpora.beginImport(meta('dropped'));
    for (let i = 0; i < 2000; i++) w.add(doc(`${text500(i)} 映画 movie unique${i}`, { label: 'y' }));
    w.add(doc('映画を見た')); // same text as in the kept corpus: not a duplicate (other corpus)
    // while open, the pending corpus is invisible to readers
    expect(store.corpora.list()).toEqual(listBefore);
    expect(codeOf(() => store.documents.page({ corpusId: w.corpusId, query: '', label: null, split: null, offset: 0, limit: 1 }))).toBe(
      'corpusNotFound',
    );
    expect(store.search.kwic(null, '映画', 5, 'document', 100).total).toBe(1);
    // a job recorded meanwhile survives the rollback
    store.jobs.record({ id: 'j1', kind: 'import', title: 'dropped', status: 'failed', config: {}, result: null, error: { code: 'cancelled', params: {} }, startedAt: 3, finishedAt: 4, run: null });
    w.rollback();
    w.rollback(); // idempotent
    expect(codeOf(() => w.add(doc('late')))).toBe('internal');
    expect(store.corpora.list()).toEqual(listBefore);
    expect(store.search.kwic(null, 'unique1', 5, 'document', 10).total).toBe(0);
    expect(store.jobs.history().map((j) => j.id)).toEqual(['j1', 'j0']);
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
    const w = s.corpora.beginImport(meta('half'));
    w.add(doc('a'));
    s.close();
    expect(w.isOpen).toBe(false);
    expect(open().corpora.list()).toEqual([]);
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
    const details = ids.map((id) => s.documents.get(id));
    expect(details.map((d) => d.duplicateOf)).toEqual([null, null, ids[0], ids[0], null, null, null, ids[1]]);
    expect(details[2].split).toBe(details[0].split);
    expect(details[3].split).toBe(details[0].split);
    expect(details[7].split).toBe(details[1].split);
    expect(s.corpora.list()[0].duplicates).toBe(3);
    const rows = s.documents.page({ corpusId: summary.corpusId, query: '', label: null, split: null, offset: 0, limit: 10 }).rows;
    expect(rows.map((r) => r.duplicateOf)).toEqual(details.map((d) => d.duplicateOf));
    // duplicates are per corpus
    const other = importDocs(s, 'other', [doc('同じ文')]);
    expect(other.summary.duplicates).toBe(0);
  });

  it('reports unknown corpora and documents', () => {
    const s = create();
    expect(errorOf(() => s.stats.get(9, 'chars', 10)).toInfo()).toEqual({ code: 'corpusNotFound', params: { id: 9 } });
    expect(errorOf(() => s.documents.get(5)).toInfo()).toEqual({ code: 'documentNotFound', params: { id: 5 } });
    expect(codeOf(() => s.search.kwic(3, '映画', 5, 'left', 10))).toBe('corpusNotFound');
    expect(codeOf(() => s.morphology.get(1))).toBe('documentNotFound');
  });

  it('deletes a corpus with its index entries', () => {
    const s = create();
    const a = importDocs(s, 'a', [doc('映画館へ行く')]);
    importDocs(s, 'b', [doc('映画館は遠い')]);
    s.corpora.delete(a.summary.corpusId);
    expect(s.corpora.list().map((c) => c.name)).toEqual(['b']);
    expect(s.search.kwic(null, '映画館', 3, 'document', 10).total).toBe(1);
    s.close();
    expect(dump(file()).__fts_check).toEqual(['ok']);
  });
});
