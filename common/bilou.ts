// BILOU tags (Ratinov & Roth 2009): B(egin), I(nside), L(ast) of a multi-word entity, U(nit) for
// a one-word entity, O outside. The table's diagonal holds one per word (Miwa & Sasaki 2014).
import type { EntitySpan } from './entities';

export type BilouPrefix = 'B' | 'I' | 'L' | 'U';

/** Why a tag sequence is not valid BILOU, at word `index` (0-based). */
export interface BilouProblem {
  index: number;
  tag: string;
  reason: 'malformed' | 'unexpected' | 'typeChanged' | 'unfinished';
}

/** Splits "B-Peop" into its prefix and type; null for "O" or anything else. */
export function parseTag(tag: string): { prefix: BilouPrefix; type: string } | null {
  const m = /^([BILU])-(.+)$/.exec(tag);
  return m ? { prefix: m[1] as BilouPrefix, type: m[2] } : null;
}

/**
 * The entities of a valid BILOU sequence, or the first problem: a tag that is neither O nor
 * X-type (malformed), I/L without an open entity or B/U/O inside one (unexpected), a type that
 * changes inside an entity (typeChanged), or a sequence that ends inside an entity (unfinished).
 */
export function spansFromBilou(tags: readonly string[]): { spans: EntitySpan[] } | { problem: BilouProblem } {
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

/** BILOU tags of `n` words from non-overlapping spans. */
export function bilouFromSpans(n: number, spans: readonly EntitySpan[]): string[] {
  const tags = new Array<string>(n).fill('O');
  for (const s of spans) {
    if (s.start < 0 || s.end > n || s.end <= s.start) throw new RangeError(`span [${s.start}, ${s.end}) outside 0…${n}`);
    for (let i = s.start; i < s.end; i++) {
      if (tags[i] !== 'O') throw new RangeError(`spans overlap at word ${i}`);
      tags[i] = s.end - s.start === 1 ? `U-${s.type}` : i === s.start ? `B-${s.type}` : i === s.end - 1 ? `L-${s.type}` : `I-${s.type}`;
    }
  }
  return tags;
}

/** The entity-tag label set of a schema: O first, then B, I, L, U of each type in the schema's order. */
export function entityTagLabels(entityTypes: readonly string[]): string[] {
  return ['O', ...entityTypes.flatMap((t) => (['B', 'I', 'L', 'U'] as const).map((p) => `${p}-${t}`))];
}
