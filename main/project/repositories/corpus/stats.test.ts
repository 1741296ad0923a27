import { describe, expect, it } from 'vitest';
import { doc, importDocs, noun as m, useTempProjects } from '../../../../test/projectStore';

const { create } = useTempProjects();

describe('stats', () => {
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
    const st = s.stats.get(summary.corpusId, 'chars', 4);
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

    const empty = s.stats.get(summary.corpusId, 'morphemes', 4);
    expect(empty).toMatchObject({ analysed: 0, histogram: { edges: [], counts: [] }, mean: 0, median: 0 });

    expect(s.morphology.get(ids[0])).toBeNull();
    s.morphology.put(ids[0], [m('あ', 0), m('いう', 1)]);
    s.morphology.put(ids[2], [m('a', 0), m('b', 1), m('c', 2), m('d', 3), m('e', 4)]);
    expect(s.morphology.get(ids[0])).toEqual([m('あ', 0), m('いう', 1)]);
    const morph = s.stats.get(summary.corpusId, 'morphemes', 3);
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
    expect(s.morphology.countUnanalysed(summary.corpusId)).toBe(4);
  });
});
