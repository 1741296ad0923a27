// Pure text helpers for the repositories: search hits, snippets, KWIC context, histograms.
// Offsets are UTF-16 code units (JavaScript string indices), as common/contract.ts's Span says;
// windows never cut a surrogate pair in half.
import type { Histogram, KwicLine, KwicSort, Span } from '../../../../common/contract';

/** Lower-cases A–Z only, so the result has the same length and offsets as the input (as SQLite's lower()). */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Number of Unicode code points (what a researcher calls characters). */
export function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // count every unit except the low half of a surrogate pair
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** Splits a search box string into distinct terms on any whitespace (including the ideographic space). */
export function splitTerms(query: string): string[] {
  const terms = query.split(/\s+/u).filter((t) => t.length > 0);
  return [...new Set(terms)];
}

/** Non-overlapping occurrences of needle in haystack, left to right. Both should already be case-folded. */
export function findAll(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (needle.length === 0) return out;
  let i = haystack.indexOf(needle);
  while (i !== -1) {
    out.push(i);
    i = haystack.indexOf(needle, i + needle.length);
  }
  return out;
}

/** Every occurrence of every term in text (ASCII case-insensitive), sorted, overlapping spans merged. */
export function findHits(text: string, terms: readonly string[]): Span[] {
  const folded = terms.some((t) => /[A-Za-z]/.test(t)) ? lowerAscii(text) : text;
  const spans: Span[] = [];
  for (const term of terms) {
    const t = lowerAscii(term);
    for (const start of findAll(folded, t)) spans.push([start, start + t.length]);
  }
  return mergeSpans(spans);
}

export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Moves a window start forward so it does not begin on the low half of a surrogate pair. */
export function alignStart(text: string, i: number): number {
  if (i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1))) return i + 1;
  return i;
}

/** Moves a window end back so it does not end after the high half of a surrogate pair. */
export function alignEnd(text: string, i: number): number {
  if (i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1))) return i - 1;
  return i;
}

/** Line breaks and tabs become spaces, one for one, so offsets are unchanged. */
export function flattenWhitespace(s: string): string {
  return s.replace(/[\r\n\t\v\f\u2028\u2029\u0085]/g, ' ');
}

export const SNIPPET_WIDTH = 120;
/** Characters of context shown before the first hit. */
export const SNIPPET_LEAD = 40;
export const ELLIPSIS = '…';

/**
 * A window of about `width` units of text. With hits: starting `lead` units before the first hit
 * (clamped to the text), all hits inside it highlighted, offsets relative to the returned text.
 * Without hits: the beginning of the text. A cut-off start or end is marked with "…" (the
 * highlights account for it). Line breaks are shown as spaces.
 */
export function makeSnippet(
  text: string,
  hits: readonly Span[],
  width = SNIPPET_WIDTH,
  lead = SNIPPET_LEAD,
): { text: string; highlights: Span[] } {
  let start = 0;
  if (hits.length > 0) {
    const first = hits[0][0];
    start = Math.max(0, Math.min(first - lead, text.length - width));
  }
  start = alignStart(text, start);
  const end = alignEnd(text, Math.min(text.length, start + width));
  const prefix = start > 0 ? ELLIPSIS : '';
  const suffix = end < text.length ? ELLIPSIS : '';
  const shift = prefix.length - start;
  const highlights: Span[] = [];
  for (const [s, e] of hits) {
    if (e <= start || s >= end) continue;
    highlights.push([Math.max(s, start) + shift, Math.min(e, end) + shift]);
  }
  return { text: prefix + flattenWhitespace(text.slice(start, end)) + suffix, highlights };
}

/** Left and right context of `width` units around [start, end), line breaks shown as spaces. */
export function kwicContext(
  text: string,
  start: number,
  end: number,
  width: number,
): { left: string; keyword: string; right: string } {
  const ls = alignStart(text, Math.max(0, start - width));
  const re = alignEnd(text, Math.min(text.length, end + width));
  return {
    left: flattenWhitespace(text.slice(ls, start)),
    keyword: flattenWhitespace(text.slice(start, end)),
    right: flattenWhitespace(text.slice(end, re)),
  };
}

/** Compares strings by Unicode code point (not UTF-16 unit, not locale): stable on every machine. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only where surrogates meet U+E000–U+FFFF:
    // move surrogates above, the rest below (the classic fix-up)
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Reverses a string by code point (so the character nearest the keyword comes first). */
export function reverseCodePoints(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      out = s[i] + s[i + 1] + out;
      i++;
    } else out = s[i] + out;
  }
  return out;
}

/** A KWIC line plus what sorting needs: the document's position in document order. */
export interface KwicEntry {
  line: KwicLine;
  /** Position of the document in document order (corpus, then ordinal). */
  order: number;
  /** Sort key for 'left': left context reversed by code point. */
  leftKey: string;
}

/** withLeftKey=false leaves leftKey empty (document order does not need it). */
export function toKwicEntry(line: KwicLine, order: number, withLeftKey = true): KwicEntry {
  return { line, order, leftKey: withLeftKey ? reverseCodePoints(line.left) : '' };
}

/**
 * KWIC order, code-point based. 'left': by the left context read right to left (nearest character
 * first), then right context; 'right': by the right context, then the left context read right to
 * left; 'document': document order. Ties always fall back to document order, then offset.
 */
export function compareKwic(sort: KwicSort): (a: KwicEntry, b: KwicEntry) => number {
  const byDocument = (a: KwicEntry, b: KwicEntry): number => a.order - b.order || a.line.start - b.line.start;
  if (sort === 'left')
    return (a, b) =>
      compareCodePoints(a.leftKey, b.leftKey) || compareCodePoints(a.line.right, b.line.right) || byDocument(a, b);
  if (sort === 'right')
    return (a, b) =>
      compareCodePoints(a.line.right, b.line.right) || compareCodePoints(a.leftKey, b.leftKey) || byDocument(a, b);
  return byDocument;
}

/**
 * Equal-width histogram over [min, max] of the values. Bin i is [edges[i], edges[i+1]), the last bin
 * closed. All values equal: one bin [v, v] holding them all. No values: no bins (edges and counts empty).
 */
export function histogram(values: readonly number[], bins: number): Histogram {
  if (values.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { edges: [min, max], counts: [values.length] };
  const n = Math.max(1, Math.floor(bins));
  const width = (max - min) / n;
  const edges: number[] = [];
  for (let i = 0; i < n; i++) edges.push(min + i * width);
  edges.push(max);
  const counts = new Array<number>(n).fill(0);
  for (const v of values) {
    let i = Math.min(n - 1, Math.floor((v - min) / width));
    // guard against floating-point drift at the edges
    while (i > 0 && v < edges[i]) i--;
    while (i < n - 1 && v >= edges[i + 1]) i++;
    counts[i]++;
  }
  return { edges, counts };
}

/** Mean, median (average of the two middle values for an even count), min and max; zeros when empty. */
export function summarize(values: readonly number[]): { mean: number; median: number; min: number; max: number } {
  if (values.length === 0) return { mean: 0, median: 0, min: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { mean: sum / n, median, min: sorted[0], max: sorted[n - 1] };
}
