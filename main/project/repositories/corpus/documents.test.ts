import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectStore } from '../../store';
import { doc, importDocs, useTempProjects } from '../../../../test/projectStore';

const { create } = useTempProjects();

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
    s.documents.page({ corpusId, query, label: extra.label ?? null, split: null, offset: extra.offset ?? 0, limit: extra.limit ?? 50 });
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
    expect(s.documents.page({ corpusId, query: '', label: null, split: 'dev', offset: 0, limit: 10 }).total).toBe(0);
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
