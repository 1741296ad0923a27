// The labels of a word-pair table (Miwa & Sasaki 2014, "Modeling Joint Entity and Relation
// Extraction with Table Representation"; Ma et al. 2022, TabERT / TabERT-CNN): the diagonal cell
// (i, i) holds word i's BILOU entity tag; an upper-triangle cell (i, j), i < j, holds the
// relation between the entity of word i and the entity of word j, with its direction in the
// label — "R→" when the relation's head is the earlier entity, "R←" when it is the later one —
// and "⊥" (none) elsewhere. The lower triangle is not used.
import type { AnnotatedSentence, EntitySchema } from '../../../common/entities';
import { bilouFromSpans, entityTagLabels } from '../../../common/bilou';

export const noRelation = '⊥';

/** Relation-cell labels: ⊥ first, then "R→" and "R←" of each relation type in the schema's order. */
export function relationCellLabels(relationTypes: readonly string[]): string[] {
  return [noRelation, ...relationTypes.flatMap((r) => [`${r}→`, `${r}←`])];
}

export interface TableLabels {
  /** [n] entity-tag index of each word (into entityTagLabels). */
  entity: Int32Array;
  /** [n × n] row-major relation-cell index (into relationCellLabels); cells with i >= j are -1 (not scored). */
  relation: Int32Array;
}

/** Index of "R→" (forward) or "R←" for relation type index r. */
export function relationCellIndex(r: number, forward: boolean): number {
  return 1 + 2 * r + (forward ? 0 : 1);
}

/** The gold table of a sentence under a schema (every word pair between two related entities carries the label). */
export function goldTable(sentence: AnnotatedSentence, schema: EntitySchema): TableLabels {
  const n = sentence.words.length;
  const tagIndex = new Map(entityTagLabels(schema.entityTypes).map((t, i) => [t, i]));
  const entity = Int32Array.from(bilouFromSpans(n, sentence.entities), (t) => {
    const i = tagIndex.get(t);
    if (i === undefined) throw new RangeError(`entity tag ${t} is not in the schema`);
    return i;
  });
  const relation = new Int32Array(n * n).fill(-1);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) relation[i * n + j] = 0;
  for (const rel of sentence.relations) {
    const r = schema.relationTypes.indexOf(rel.type);
    if (r < 0) throw new RangeError(`relation type ${rel.type} is not in the schema`);
    const h = sentence.entities[rel.head];
    const t = sentence.entities[rel.tail];
    if (!h || !t) throw new RangeError(`relation ${rel.head} → ${rel.tail} names a missing entity`);
    const [first, second] = h.start < t.start ? [h, t] : [t, h];
    const label = relationCellIndex(r, h.start < t.start);
    for (let i = first.start; i < first.end; i++) for (let j = second.start; j < second.end; j++) relation[i * n + j] = label;
  }
  return { entity, relation };
}
