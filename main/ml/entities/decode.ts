// Decoding a predicted word-pair table (Miwa & Sasaki 2014; Ma et al. 2022 TabERT) into entities and relations.
//
// Entities: each word's argmax tag, then a LENIENT BILOU chunker with the rules of conlleval /
// seqeval's default (non-strict) mode (conlleval's startOfChunk / endOfChunk, extended to BILOU), so a
// model's ill-formed sequence still yields entities instead of being thrown away:
//   - a chunk starts at B or U, or at I / L that does not continue an open chunk of the same type
//     (I or L after O, at the sentence start, or after a chunk of another type: "I after O" → entity);
//   - a chunk ends after L or U, before O, before B or U, and before a tag of another type
//     ("type change" splits into two entities, each keeping its own tag's type);
//   - a B (or I) that is never closed by L ends where the next chunk starts, at O or at the sentence end
//     ("B without L" → entity up to there); malformed tag strings count as O.
// A chunk's type is its first tag's type (all its tags share it, since a type change ends it). Its score
// is the mean over its words of the probability of the argmax tag.
//
// Relations: for each ordered pair of decoded entities (a earlier, b later), the relation-cell
// distributions of all cells (i ∈ a, j ∈ b), i < j, are averaged and the argmax taken: ⊥ → none,
// "R→" → {head: a, tail: b}, "R←" → {head: b, tail: a}; its score is the averaged probability.
// Source and why: Miwa & Sasaki 2014 label every cell (i ∈ a, j ∈ b) of an entity pair with the pair's
// relation (labels.ts goldTable does the same), so the whole block is the evidence for that pair.
// TablERT's own evaluator (YoumiMa/TablERT table_filling/evaluator.py _convert_pred_relations_) instead
// takes each cell's argmax and attaches it to the entities whose LAST words are i and j, i.e. one cell
// decides; the block mean used here is the brief's rule, uses all the cells the model was trained on, and
// gives exactly one label per pair. (TablERT's entity decoder likewise cuts spans at start tags and O
// without checking type continuity; the conlleval rules above are the better-documented lenient standard.)
import type { EntitySchema, EntitySpan, RelationTriple } from '../../../common/entities';
import { entityTagLabels, parseTag } from '../../../common/bilou';
import { relationCellLabels, type TableLabels } from './labels';

export interface ScoredEntity extends EntitySpan {
  score: number;
}
export interface ScoredRelation extends RelationTriple {
  score: number;
}
export interface DecodedTable {
  /** Sorted by start, non-overlapping: relation head / tail index into this array. */
  entities: ScoredEntity[];
  relations: ScoredRelation[];
}

/** Entities of a (possibly ill-formed) BILOU tag sequence by the lenient rules of the file-top comment. */
export function lenientSpansFromBilou(tags: readonly string[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let open: { start: number; type: string } | null = null;
  const close = (end: number) => {
    if (open) spans.push({ start: open.start, end, type: open.type });
    open = null;
  };
  for (let i = 0; i < tags.length; i++) {
    const p = parseTag(tags[i]);
    if (!p) {
      close(i);
      continue;
    }
    const continues = open !== null && (p.prefix === 'I' || p.prefix === 'L') && (open as { type: string }).type === p.type;
    if (!continues) {
      close(i);
      open = { start: i, type: p.type };
    }
    if (p.prefix === 'L' || p.prefix === 'U') close(i + 1);
  }
  close(tags.length);
  return spans;
}

function argmax(p: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[offset + c] > p[offset + best]) best = c;
  return best;
}

/**
 * Decodes n words' entity-tag probabilities [n × |E|] (E = entityTagLabels) and relation-cell
 * probabilities [n × n × |R|] (R = relationCellLabels; only i < j read), both row-major.
 */
export function decodeTable(entityProbs: Float32Array, relationProbs: Float32Array, n: number, schema: EntitySchema): DecodedTable {
  const tagLabels = entityTagLabels(schema.entityTypes);
  const cellLabels = relationCellLabels(schema.relationTypes);
  const E = tagLabels.length;
  const R = cellLabels.length;
  if (entityProbs.length !== n * E) throw new RangeError(`entity probabilities: ${entityProbs.length} values, expected ${n} × ${E}`);
  if (relationProbs.length !== n * n * R) throw new RangeError(`relation probabilities: ${relationProbs.length} values, expected ${n}² × ${R}`);
  const best = Array.from({ length: n }, (_, i) => argmax(entityProbs, i * E, E));
  const spans = lenientSpansFromBilou(best.map((b) => tagLabels[b]));
  const entities = spans.map((s) => {
    let sum = 0;
    for (let i = s.start; i < s.end; i++) sum += entityProbs[i * E + best[i]];
    return { ...s, score: sum / (s.end - s.start) };
  });
  const relations: ScoredRelation[] = [];
  const mean = new Float64Array(R); // Float64 so the block sum does not lose precision on long entities
  for (let a = 0; a < entities.length; a++) {
    for (let b = a + 1; b < entities.length; b++) {
      const ea = entities[a];
      const eb = entities[b];
      mean.fill(0);
      for (let i = ea.start; i < ea.end; i++)
        for (let j = eb.start; j < eb.end; j++) for (let c = 0; c < R; c++) mean[c] += relationProbs[(i * n + j) * R + c];
      const cells = (ea.end - ea.start) * (eb.end - eb.start);
      const k = argmax(mean, 0, R);
      if (k === 0) continue; // ⊥
      const forward = (k - 1) % 2 === 0;
      const type = schema.relationTypes[(k - 1) >> 1];
      relations.push({ head: forward ? a : b, tail: forward ? b : a, type, score: mean[k] / cells });
    }
  }
  return { entities, relations };
}

/**
 * A gold TableLabels (labels.ts goldTable) back to entities and relations: the table as one-hot
 * probabilities through decodeTable, so the round trip also checks the decoder.
 */
export function decodeGoldTable(table: TableLabels, schema: EntitySchema): { entities: EntitySpan[]; relations: RelationTriple[] } {
  const n = table.entity.length;
  const E = entityTagLabels(schema.entityTypes).length;
  const R = relationCellLabels(schema.relationTypes).length;
  const ep = new Float32Array(n * E);
  for (let i = 0; i < n; i++) ep[i * E + table.entity[i]] = 1;
  const rp = new Float32Array(n * n * R);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) rp[(i * n + j) * R + Math.max(0, table.relation[i * n + j])] = 1;
  const d = decodeTable(ep, rp, n, schema);
  return {
    entities: d.entities.map(({ start, end, type }) => ({ start, end, type })),
    relations: d.relations.map(({ head, tail, type }) => ({ head, tail, type })),
  };
}
