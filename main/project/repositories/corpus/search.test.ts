import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../store';
import { trigramQuery } from './search';
import { codeOf, doc, importDocs, useTempProjects } from '../../../../test/projectStore';

const { create } = useTempProjects();

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
    const r = s.search.kwic(k, '映画', 3, 'document', 100);
    expect(r.total).toBe(3);
    expect(r.lines).toEqual([
      { documentId: 1, title: 'A', label: 'x', start: 2, left: '古い', keyword: '映画', right: 'と新し' },
      { documentId: 1, title: 'A', label: 'x', start: 8, left: '新しい', keyword: '映画', right: '' },
      { documentId: 2, title: null, label: null, start: 2, left: 'この', keyword: '映画', right: 'が好き' },
    ]);
  });

  it('sorts by left context read outwards, by right context, and by document', () => {
    // reversed left: 1:2 い古, 1:8 いし新, 2:2 のこ → し(3057) < 古(53E4); い < の
    expect(keys(s.search.kwic(k, '映画', 3, 'left', 100))).toEqual(['1:8', '1:2', '2:2']);
    // right: '' < が好き(304C) < と新し(3068)
    expect(keys(s.search.kwic(k, '映画', 3, 'right', 100))).toEqual(['1:8', '2:2', '1:2']);
    expect(keys(s.search.kwic(k, '映画', 3, 'document', 100))).toEqual(['1:2', '1:8', '2:2']);
  });

  it('counts everything but returns at most limit lines, after sorting', () => {
    const r = s.search.kwic(k, '映画', 3, 'right', 2);
    expect(r.total).toBe(3);
    expect(keys(r)).toEqual(['1:8', '2:2']);
  });

  it('searches all corpora with null, shows line breaks as spaces, uses the index for 3+ characters', () => {
    const all = s.search.kwic(null, '映画', 2, 'document', 100);
    expect(all.total).toBe(5);
    expect(all.lines[3]).toMatchObject({ documentId: 3, start: 0, left: '', right: '館 ' });
    expect(all.lines[4]).toMatchObject({ documentId: 3, start: 5, left: ' で', right: '' });
    expect(s.search.kwic(null, '映画館', 2, 'document', 100).total).toBe(1);
    expect(s.search.kwic(null, '新しい映画', 2, 'document', 100).lines[0]).toMatchObject({ start: 5, left: '画と', right: '' });
  });

  it('is ASCII case-insensitive and shows the text as written', () => {
    const c = importDocs(s, 'en', [doc('A movie. The MOVIE! movies')]).summary.corpusId;
    const r = s.search.kwic(c, 'Movie', 4, 'document', 10);
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
      const full = s.search.kwic(many, '語', 4, sort, 100_000);
      expect(full.total).toBe(15_000);
      const top = s.search.kwic(many, '語', 4, sort, 7);
      expect(top.total).toBe(15_000);
      expect(top.lines).toEqual(full.lines.slice(0, 7));
    }
  });

  it('refuses an empty word', () => {
    expect(codeOf(() => s.search.kwic(k, '', 3, 'left', 10))).toBe('queryEmpty');
    expect(codeOf(() => s.search.kwic(k, '  ', 3, 'left', 10))).toBe('queryEmpty');
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
    expect(s.documents.page({ ...q, query: 'について' }).rows.map((r) => r.ordinal)).toEqual([1]);
    expect(s.search.kwic(id, 'について', 2, 'document', 10).total).toBe(1);
    expect(s.search.kwic(id, '𠮷野家', 2, 'document', 10).total).toBe(0);
  });
});
