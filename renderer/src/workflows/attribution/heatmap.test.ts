import { describe, expect, it } from 'vitest';
import type { ScoredSpan } from '../../../../common/contract';
import { charWidth, heatmapCsv, heatmapFigure, scaleOf, scoreColour, segmentsOf } from './heatmap';

const span = (start: number, end: number, text: string, score: number, extra: Partial<ScoredSpan> = {}): ScoredSpan => ({ start, end, text, score, ...extra });

describe('segmentsOf', () => {
  it('cuts the text into scored units and the unscored text around them, specials left out', () => {
    const text = 'Tokyo is big. Rest';
    const spans = [span(0, 0, '[CLS]', 0, { special: true }), span(0, 5, 'Tokyo', 2), span(6, 8, 'is', -1), span(9, 12, 'big', 0.5)];
    expect(segmentsOf(text, spans).map((s) => [s.text, s.span?.score ?? null])).toEqual([
      ['Tokyo', 2],
      [' ', null],
      ['is', -1],
      [' ', null],
      ['big', 0.5],
      ['. Rest', null],
    ]);
  });
});

describe('colours', () => {
  it('are white at 0 and the full Okabe–Ito colour at the scale, blue against and vermillion for', () => {
    expect(scoreColour(0, 2, true)).toBe('#ffffff');
    expect(scoreColour(2, 2, true)).toBe('#d55e00');
    expect(scoreColour(-2, 2, true)).toBe('#0072b2');
    expect(scoreColour(5, 2, false)).toBe('#0072b2');
    expect(scoreColour(1, 2, false)).toBe('#80b9d9');
    expect(scaleOf([span(0, 1, 'a', -3), span(1, 2, 'b', 2), span(0, 0, '[CLS]', 9, { special: true })])).toBe(3);
  });
});

describe('heatmapFigure', () => {
  it('lays the text out in lines within the width, one rect per scored run, with a colour bar', () => {
    const text = '東京都に行きました';
    const segments = segmentsOf(text, [span(0, 3, '東京都', 1), span(3, 4, 'に', -0.5), span(4, 9, '行きました', 0.2)]);
    // 9 full-width characters of 14 px between x = 16 and 84: four to a line (the fifth would end at 86).
    const { option, width, height } = heatmapFigure(segments, { width: 100, fontFamily: 'sans-serif', fontSize: 14, signed: true, title: 'doc', legend: { low: '−1', high: '+1' } });
    expect(width).toBe(100);
    const elements = (option as { graphic: { elements: { type: string; shape?: { x: number; y: number; width: number }; style: { text?: string } }[] } }).graphic.elements;
    expect(elements.filter((e) => e.type === 'text').map((e) => e.style.text)).toEqual(['doc', '東京都', 'に', '行きまし', 'た', '−1', '+1']);
    const rects = elements.filter((e) => e.type === 'rect');
    // Four runs of the text, then the colour bar's 24 steps.
    expect(rects.slice(0, 4).map((r) => [r.shape!.x, r.shape!.width])).toEqual([
      [16, 42],
      [58, 14],
      [16, 56],
      [16, 14],
    ]);
    expect(rects).toHaveLength(4 + 24);
    expect(rects[2].shape!.y).toBeGreaterThan(rects[0].shape!.y);
    expect(height).toBeGreaterThan(3 * 14);
    expect(charWidth('a', 10)).toBe(6);
  });
});

describe('heatmapCsv', () => {
  it('writes one row per unit with the interval and the part of speech when there are any', () => {
    expect(heatmapCsv('morpheme', [span(0, 2, '東京', 1.5, { pos: '名詞' }), span(2, 3, 'に', -0.25, { pos: '助詞' })])).toEqual({
      header: ['unit', 'start', 'end', 'text', 'score', 'pos'],
      rows: [
        ['morpheme', 0, 2, '東京', 1.5, '名詞'],
        ['morpheme', 2, 3, 'に', -0.25, '助詞'],
      ],
    });
    expect(heatmapCsv('token', [span(0, 1, 'a', 1, { low: 0.8, high: 1.3 }), span(0, 0, '[CLS]', 0, { special: true })]).rows).toEqual([['token', 0, 1, 'a', 1, 0.8, 1.3]]);
  });
});
