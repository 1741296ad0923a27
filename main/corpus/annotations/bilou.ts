// The BILOU decoding of main/ml/entities/bilou.ts (spansFromBilou), repeated here because
// main/corpus may import only common/ (scripts/layers.mjs): the corpus readers must not pull in
// the ML layer. Same rules and the same problem reasons; if the tag scheme changes, change both
// (or move spansFromBilou to common/ and import it from there).
import type { EntitySpan } from '../../../common/entities';

export interface TagProblem {
  index: number;
  tag: string;
  reason: 'malformed' | 'unexpected' | 'typeChanged' | 'unfinished';
}

/** "B-Peop" → {prefix: 'B', type: 'Peop'}; null for O or anything else. */
export function parseTag(tag: string): { prefix: 'B' | 'I' | 'L' | 'U'; type: string } | null {
  const m = /^([BILU])-(.+)$/.exec(tag);
  return m ? { prefix: m[1] as 'B' | 'I' | 'L' | 'U', type: m[2] } : null;
}

/** Entities of a strictly valid BILOU sequence, or its first problem (index = tags.length when unfinished). */
export function spansFromBilou(tags: readonly string[]): { spans: EntitySpan[] } | { problem: TagProblem } {
  const spans: EntitySpan[] = [];
  let open: { start: number; type: string } | null = null;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (tag === 'O') {
      if (open) return { problem: { index: i, tag, reason: 'unexpected' } };
      continue;
    }
    const p = parseTag(tag);
    if (!p) return { problem: { index: i, tag, reason: 'malformed' } };
    if (p.prefix === 'B' || p.prefix === 'U') {
      if (open) return { problem: { index: i, tag, reason: 'unexpected' } };
      if (p.prefix === 'U') spans.push({ start: i, end: i + 1, type: p.type });
      else open = { start: i, type: p.type };
      continue;
    }
    if (!open) return { problem: { index: i, tag, reason: 'unexpected' } };
    if (open.type !== p.type) return { problem: { index: i, tag, reason: 'typeChanged' } };
    if (p.prefix === 'L') {
      spans.push({ start: open.start, end: i + 1, type: open.type });
      open = null;
    }
  }
  if (open) return { problem: { index: tags.length, tag: '', reason: 'unfinished' } };
  return { spans };
}
