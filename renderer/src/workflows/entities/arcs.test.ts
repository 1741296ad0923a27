import { describe, expect, it } from 'vitest';
import type { SentenceView } from '../../../../common/contract';
import { arcLevels, escapeXml, layoutWords, matchEntities, matchRelations, sentenceSvg, textWidth } from './arcs';

describe('arc levels', () => {
  it('keeps arcs that do not overlap on the lowest level', () => {
    expect(arcLevels([{ from: 0, to: 2 }, { from: 3, to: 5 }, { from: 7, to: 6 }])).toEqual([1, 1, 1]);
  });

  it('lets arcs that only meet at a word share a level', () => {
    expect(arcLevels([{ from: 0, to: 2 }, { from: 2, to: 4 }])).toEqual([1, 1]);
  });

  it('puts an arc above every arc it spans, whatever the order given', () => {
    // 0–6 spans 1–2 and 3–5; 3–5 spans 4–5 → 0–6 over 3–5 over 4–5.
    const levels = arcLevels([{ from: 0, to: 6 }, { from: 1, to: 2 }, { from: 5, to: 3 }, { from: 4, to: 5 }]);
    expect(levels[1]).toBe(1);
    expect(levels[3]).toBe(1);
    expect(levels[2]).toBe(2);
    expect(levels[0]).toBe(3);
  });

  it('raises crossing arcs so that no two on a level overlap', () => {
    const arcs = [{ from: 0, to: 3 }, { from: 2, to: 5 }, { from: 4, to: 7 }];
    const levels = arcLevels(arcs);
    for (let a = 0; a < arcs.length; a++)
      for (let b = a + 1; b < arcs.length; b++) {
        const [l1, r1] = [Math.min(arcs[a].from, arcs[a].to), Math.max(arcs[a].from, arcs[a].to)];
        const [l2, r2] = [Math.min(arcs[b].from, arcs[b].to), Math.max(arcs[b].from, arcs[b].to)];
        if (l1 < r2 && l2 < r1) expect(levels[a]).not.toBe(levels[b]);
      }
    // The first and last do not overlap: they share the lowest level.
    expect(levels[0]).toBe(levels[2]);
    expect(levels[0]).toBe(1);
  });
});

describe('word layout', () => {
  it('counts CJK characters a full em and Latin ones 0.6 em', () => {
    expect(textWidth('東京', 10)).toBe(20);
    expect(textWidth('ab', 10)).toBe(12);
  });

  it('places words left to right with the gap between them', () => {
    const at = layoutWords(['ab', '東京'], 10, 5, 8);
    expect(at[0]).toEqual({ x: 8, width: 12 });
    expect(at[1]).toEqual({ x: 25, width: 20 });
  });
});

const entity = (start: number, end: number, type: string) => ({ start, end, type, charStart: 0, charEnd: 0, text: '' });

describe('gold matching', () => {
  const gold = { entities: [entity(0, 2, 'Peop'), entity(4, 5, 'Loc')], relations: [{ head: 0, tail: 1, type: 'Live_In' }] };
  it('matches entities by span and type', () => {
    expect(matchEntities([entity(0, 2, 'Peop'), entity(0, 1, 'Peop'), entity(4, 5, 'Org')], gold.entities)).toEqual([true, false, false]);
    expect(matchEntities([entity(0, 2, 'Peop')], null)).toEqual([false]);
  });
  it('matches relations by both arguments and the type, whatever the entity indexes', () => {
    const predicted = { entities: [entity(1, 2, 'Org'), entity(0, 2, 'Peop'), entity(4, 5, 'Loc')], relations: [{ head: 1, tail: 2, type: 'Live_In' }, { head: 0, tail: 2, type: 'Live_In' }, { head: 1, tail: 2, type: 'Work_For' }] };
    expect(matchRelations(predicted, gold)).toEqual([true, false, false]);
  });
});

describe('sentence SVG', () => {
  const view: SentenceView = {
    documentId: 1,
    sentence: 0,
    text: 'John <lives> in Boston',
    words: ['John', '<lives>', 'in', 'Boston'],
    offsets: [[0, 4], [5, 12], [13, 15], [16, 22]],
    gold: { entities: [entity(0, 1, 'Peop'), entity(3, 4, 'Loc')], relations: [{ head: 0, tail: 1, type: 'Live_In' }] },
    predicted: { entities: [entity(0, 1, 'Peop'), entity(2, 4, 'Loc')], relations: [{ head: 0, tail: 1, type: 'Live_In' }] },
  };
  const svg = sentenceSvg(view, { types: ['Peop', 'Loc'], text: { gold: 'Gold', predicted: 'Predicted', none: 'none' } });

  it('draws both tracks with their spans and arcs, marking what gold lacks', () => {
    expect(svg.svg.startsWith('<svg')).toBe(true);
    expect(svg.svg.match(/class="span"/g)).toHaveLength(4);
    expect(svg.svg.match(/class="arc"/g)).toHaveLength(2);
    // The predicted Loc (words 2–4) is not gold's (3–4), so neither is the relation to it.
    expect(svg.svg.match(/data-unmatched="true"/g)).toHaveLength(2);
    expect(svg.width).toBeGreaterThan(0);
    expect(svg.height).toBeGreaterThan(0);
  });

  it('escapes the words', () => {
    expect(svg.svg).toContain('&lt;lives&gt;');
    expect(svg.svg).not.toContain('<lives>');
    expect(escapeXml('a&"b')).toBe('a&amp;&quot;b');
  });
});

describe('span labels', () => {
  it('puts the label of an adjacent one-word span on a second row', () => {
    const words = ['a', 'b', 'c'];
    const view: SentenceView = {
      documentId: 1,
      sentence: 0,
      text: 'a b c',
      words,
      offsets: [[0, 1], [2, 3], [4, 5]],
      gold: null,
      predicted: { entities: [0, 1, 2].map((i) => ({ ...entity(i, i + 1, 'Location'), score: 0.5 })), relations: [] },
    };
    const { svg } = sentenceSvg(view, { types: ['Location'], text: { gold: 'G', predicted: 'P', none: 'n' } });
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" font-size="\d+" text-anchor="middle"[^>]*>Location 0.50</g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(3);
    expect(ys[1]).toBeGreaterThan(ys[0]);
    expect(ys[2]).toBe(ys[0]);
  });
});
