import { describe, expect, it } from 'vitest';
import { doc, importDocs, noun as m, useTempProjects } from '../../../../test/projectStore';

const { create } = useTempProjects();

describe('morphology', () => {
  it('lists unanalysed documents so they can be analysed while iterating', () => {
    const s = create();
    const { summary } = importDocs(
      s,
      'u',
      Array.from({ length: 25 }, (_, i) => doc(`文${i}`)),
    );
    const seen: string[] = [];
    expect(s.morphology.unanalysed(summary.corpusId).map((d) => d.text)).toEqual(Array.from({ length: 25 }, (_, i) => `文${i}`));
    for (const d of s.morphology.iterateUnanalysed(summary.corpusId, 4)) {
      seen.push(d.text);
      s.morphology.put(d.id, [m(d.text, 0)]);
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `文${i}`));
    expect(s.morphology.unanalysed(summary.corpusId)).toEqual([]);
    expect([...s.morphology.iterateUnanalysed(summary.corpusId)]).toEqual([]);
    expect(s.stats.get(summary.corpusId, 'morphemes', 5).analysed).toBe(25);
  });
});
