import { describe, expect, it } from 'vitest';
import type { KwicLine } from '../../../../common/contract';
import {
  compareCodePoints,
  compareKwic,
  countCodePoints,
  findAll,
  findHits,
  histogram,
  kwicContext,
  lowerAscii,
  makeSnippet,
  reverseCodePoints,
  splitTerms,
  summarize,
  toKwicEntry,
} from './text';

describe('lowerAscii / countCodePoints / splitTerms', () => {
  it('folds ASCII only and keeps offsets', () => {
    expect(lowerAscii('ABC Éa 映画 XyZ')).toBe('abc Éa 映画 xyz');
    expect(lowerAscii('ＡＢＣ')).toBe('ＡＢＣ');
  });
  it('counts code points, not UTF-16 units', () => {
    expect(countCodePoints('映画')).toBe(2);
    expect(countCodePoints('𠮷野家')).toBe(3);
    expect('𠮷野家'.length).toBe(4);
    expect(countCodePoints('')).toBe(0);
  });
  it('splits on any whitespace including the ideographic space, dropping repeats', () => {
    expect(splitTerms('  映画\u3000俳優 movie\tmovie\n')).toEqual(['映画', '俳優', 'movie']);
    expect(splitTerms('   ')).toEqual([]);
  });
});

describe('findAll / findHits', () => {
  it('finds non-overlapping occurrences', () => {
    expect(findAll('ああああ', 'ああ')).toEqual([0, 2]);
    expect(findAll('abcabc', 'c')).toEqual([2, 5]);
    expect(findAll('abc', '')).toEqual([]);
  });
  it('finds every term case-insensitively for ASCII, merged and sorted', () => {
    const text = 'The Movie 映画 was a movie about 映画館.';
    const hits = findHits(text, ['movie', '映画']);
    expect(hits).toEqual([
      [4, 9],
      [10, 12],
      [19, 24],
      [31, 33],
    ]);
    expect(hits.map(([s, e]) => text.slice(s, e))).toEqual(['Movie', '映画', 'movie', '映画']);
    // overlapping terms merge into one span
    expect(findHits('abcdef', ['abc', 'cde'])).toEqual([[0, 5]]);
  });
});

describe('makeSnippet', () => {
  it('shows the start of the text when there are no hits', () => {
    const text = 'あ'.repeat(200);
    const s = makeSnippet(text, []);
    expect(s.text).toBe('あ'.repeat(120) + '…');
    expect(s.highlights).toEqual([]);
    expect(makeSnippet('短い文。', []).text).toBe('短い文。');
  });
  it('puts the first hit 40 characters in, with offsets relative to the snippet', () => {
    const text = 'x'.repeat(100) + '映画' + 'y'.repeat(30) + '映画' + 'z'.repeat(200);
    const snip = makeSnippet(text, findHits(text, ['映画']));
    // window [60, 180): "…" + 40 x + 映画 + 30 y + 映画 + 46 z + "…"
    expect(snip.text).toBe('…' + 'x'.repeat(40) + '映画' + 'y'.repeat(30) + '映画' + 'z'.repeat(46) + '…');
    expect(snip.highlights).toEqual([
      [41, 43],
      [73, 75],
    ]);
    for (const [s, e] of snip.highlights) expect(snip.text.slice(s, e)).toBe('映画');
  });
  it('clamps the window at the end of the text and clips hits that run over the edge', () => {
    const text = 'a'.repeat(150) + 'HIT';
    const snip = makeSnippet(text, findHits(text, ['hit']));
    expect(snip.text).toBe('…' + 'a'.repeat(117) + 'HIT');
    expect(snip.highlights).toEqual([[118, 121]]);
    const cut = makeSnippet('b'.repeat(119) + 'abc' + 'd'.repeat(10), [[119, 122]], 120, 200);
    expect(cut.highlights).toEqual([[119, 120]]);
  });
  it('shows line breaks as spaces and never splits a surrogate pair', () => {
    expect(makeSnippet('一行目\n二行目', []).text).toBe('一行目 二行目');
    const text = '𠮷'.repeat(100);
    const snip = makeSnippet(text, []);
    expect(snip.text).toBe('𠮷'.repeat(60) + '…');
  });
});

describe('kwicContext', () => {
  it('cuts width characters each side, line breaks as spaces', () => {
    const text = '昨日は映画を見た。\n今日も映画だ。';
    const start = text.indexOf('映画', 5);
    expect(start).toBe(13);
    expect(kwicContext(text, start, start + 2, 4)).toEqual({ left: ' 今日も', keyword: '映画', right: 'だ。' });
    expect(kwicContext(text, 3, 5, 10)).toEqual({ left: '昨日は', keyword: '映画', right: 'を見た。 今日も映画' });
  });
});

describe('KWIC ordering', () => {
  const line = (documentId: number, start: number, left: string, right: string): KwicLine => ({
    documentId,
    title: null,
    label: null,
    start,
    left,
    keyword: '映画',
    right,
  });
  // document order: a(1,0) b(1,10) c(2,0) d(3,5)
  const lines = [
    line(1, 0, 'は古い', 'を見る'),
    line(1, 10, 'い新しい', 'が好き'),
    line(2, 0, 'の古い', 'を見る'),
    line(3, 5, 'きな', '館へ'),
  ];
  const entries = lines.map((l, i) => toKwicEntry(l, [0, 0, 1, 2][i]));
  const sorted = (sort: 'left' | 'right' | 'document') =>
    [...entries].sort(compareKwic(sort)).map((e) => `${e.line.documentId}:${e.line.start}`);

  it('left: by the left context read from the keyword outwards', () => {
    // reversed left contexts: a い古は, b いし新い, c い古の, d なき — い(3044) < な(306A);
    // then し(3057) < 古(53E4); then の(306E) < は(306F): b, c, a, d
    expect(sorted('left')).toEqual(['1:10', '2:0', '1:0', '3:5']);
  });
  it('right: by the right context, ties by reversed left context', () => {
    // が好き(304C) < を見る(3092)x2 < 館へ(9928); the two を見る tie → い古の < い古は
    expect(sorted('right')).toEqual(['1:10', '2:0', '1:0', '3:5']);
  });
  it('document: document order then offset', () => {
    expect(sorted('document')).toEqual(['1:0', '1:10', '2:0', '3:5']);
  });
  it('compares by code point, astral characters after the BMP', () => {
    expect(compareCodePoints('\uffff', '𠮷')).toBe(-1); // UTF-16 unit order would say the opposite
    expect(compareCodePoints('ab', 'abc')).toBe(-1);
    expect(compareCodePoints('b', 'abc')).toBe(1);
    expect(compareCodePoints('映画', '映画')).toBe(0);
    expect(reverseCodePoints('a𠮷b')).toBe('b𠮷a');
  });
});

describe('histogram / summarize', () => {
  it('bins equal widths over [min, max], last bin closed', () => {
    // width 2: [1,3) [3,5) [5,7) [7,9]
    expect(histogram([1, 2, 3, 4, 5, 9, 9, 7], 4)).toEqual({ edges: [1, 3, 5, 7, 9], counts: [2, 2, 1, 3] });
  });
  it('handles fractional widths without losing values at the edges', () => {
    const h = histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
    expect(h.counts).toEqual([4, 3, 4]); // [0,3.33) [3.33,6.67) [6.67,10]
    expect(h.edges[0]).toBe(0);
    expect(h.edges[3]).toBe(10);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(11);
  });
  it('puts all-equal values into one bin, and no values into none', () => {
    expect(histogram([5, 5, 5], 10)).toEqual({ edges: [5, 5], counts: [3] });
    expect(histogram([], 10)).toEqual({ edges: [], counts: [] });
  });
  it('summarizes with the median of the two middles for an even count', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ mean: 2.5, median: 2.5, min: 1, max: 4 });
    expect(summarize([10, 1, 7])).toEqual({ mean: 6, median: 7, min: 1, max: 10 });
    expect(summarize([])).toEqual({ mean: 0, median: 0, min: 0, max: 0 });
  });
});
