// CoNLL04 entity and relation metrics as Bekoulis et al. 2018 and Taillé et al. 2020 ("Let's Stop Incorrect Comparisons in End-to-end Relation Extraction!") define them.
//
// NER (strict): a predicted entity is correct when its span boundaries AND its type equal a gold entity's.
// RE (Boundaries): a predicted relation is correct when its type, its head's span and its tail's span
//   equal a gold relation's (direction matters: head and tail are not interchangeable); entity types ignored.
// RE+ (Strict): additionally both argument entity types are correct.
// Micro P/R/F1 from summed tp/fp/fn; per-type P/R/F1; macro P/R/F1 = mean of the per-type values over
// the types that occur in the gold or the predictions (tp + fp + fn > 0), as SpERT's evaluator and its
// table-filling descendant TablERT (YoumiMa/TablERT table_filling/evaluator.py: sklearn prfs with
// labels = the types seen in gold ∪ predictions) compute it. Any x/0 is 0 (sklearn's zero_division
// default, and an empty dataset scores 0 rather than NaN).
// Counts are kept so results over batches or folds can be summed (addCounts) before P/R/F1.
import type { EntitySchema, EntitySpan, RelationTriple } from '../../../common/entities';
import type { EntityMetrics, TaskScores as ContractTaskScores } from '../../../common/contract/entities';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export interface Prf extends Counts {
  precision: number;
  recall: number;
  f1: number;
}
export interface TaskScores {
  micro: Prf;
  perType: Record<string, Prf>;
  macroF1: number;
  /** Mean per-type precision and recall over the same types as macroF1. */
  macroPrecision: number;
  macroRecall: number;
}
export interface ExtractionScores {
  ner: TaskScores;
  /** Boundaries evaluation (Taillé et al. 2020). */
  re: TaskScores;
  /** Strict evaluation, RE+ (Bekoulis et al. 2018). */
  rePlus: TaskScores;
}
export interface SentenceExtraction {
  entities: readonly EntitySpan[];
  relations: readonly RelationTriple[];
}

/** P, R, F1 of counts; any division by zero gives 0. */
export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

/** Per-type counts summed over sentences: each sentence's gold and predicted keys (multisets of strings) compared. */
type Keyed = { type: string; key: string };

function count(gold: Keyed[], pred: Keyed[], into: Map<string, Counts>): void {
  const bump = (type: string, f: keyof Counts) => {
    const c = into.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[f] += 1;
    into.set(type, c);
  };
  // Multiset matching so a duplicated prediction is one tp and one fp, not two tp.
  const left = new Map<string, number>();
  for (const g of gold) left.set(g.key, (left.get(g.key) ?? 0) + 1);
  for (const p of pred) {
    const k = left.get(p.key) ?? 0;
    if (k > 0) {
      left.set(p.key, k - 1);
      bump(p.type, 'tp');
    } else bump(p.type, 'fp');
  }
  const seen = new Map<string, number>();
  for (const g of gold) {
    // The first (gold count − matched) copies of a key are the unmatched ones.
    const s = (seen.get(g.key) ?? 0) + 1;
    seen.set(g.key, s);
    if (s <= (left.get(g.key) ?? 0)) bump(g.type, 'fn');
  }
}

function scores(types: readonly string[], counts: Map<string, Counts>): TaskScores {
  const perType: Record<string, Prf> = {};
  let total: Counts = { tp: 0, fp: 0, fn: 0 };
  // Types outside the schema still count (micro, macro) and get a row, after the schema's types.
  const all = [...types, ...[...counts.keys()].filter((t) => !types.includes(t))];
  for (const t of all) {
    const c = counts.get(t) ?? { tp: 0, fp: 0, fn: 0 };
    perType[t] = prf(c);
    total = addCounts(total, c);
  }
  // Only types seen in gold or predictions enter the macro mean (SpERT / TablERT): an unseen type has no defined score.
  const seen = all.filter((t) => perType[t].tp + perType[t].fp + perType[t].fn > 0);
  const mean = (f: 'precision' | 'recall' | 'f1') => (seen.length === 0 ? 0 : seen.reduce((s, t) => s + perType[t][f], 0) / seen.length);
  return { micro: prf(total), perType, macroF1: mean('f1'), macroPrecision: mean('precision'), macroRecall: mean('recall') };
}

const spanKey = (e: EntitySpan) => `${e.start}:${e.end}`;

function relationKeys(s: SentenceExtraction, strict: boolean): Keyed[] {
  const arg = (e: EntitySpan) => (strict ? `${spanKey(e)}:${e.type}` : spanKey(e));
  const out: Keyed[] = [];
  for (const r of s.relations) {
    const h = s.entities[r.head];
    const t = s.entities[r.tail];
    if (!h || !t) throw new RangeError(`relation ${r.head} → ${r.tail} names a missing entity`);
    out.push({ type: r.type, key: `${r.type}|${arg(h)}|${arg(t)}` });
  }
  return out;
}

/** NER, RE and RE+ scores of predicted sentences against gold ones (same order, same words). */
export function extractionScores(gold: readonly SentenceExtraction[], pred: readonly SentenceExtraction[], schema: EntitySchema): ExtractionScores {
  if (gold.length !== pred.length) throw new RangeError(`${gold.length} gold sentences but ${pred.length} predicted`);
  const ner = new Map<string, Counts>();
  const re = new Map<string, Counts>();
  const rePlus = new Map<string, Counts>();
  for (let k = 0; k < gold.length; k++) {
    const ent = (s: SentenceExtraction) => s.entities.map((e) => ({ type: e.type, key: `${spanKey(e)}:${e.type}` }));
    count(ent(gold[k]), ent(pred[k]), ner);
    count(relationKeys(gold[k], false), relationKeys(pred[k], false), re);
    count(relationKeys(gold[k], true), relationKeys(pred[k], true), rePlus);
  }
  return {
    ner: scores(schema.entityTypes, ner),
    re: scores(schema.relationTypes, re),
    rePlus: scores(schema.relationTypes, rePlus),
  };
}

function toContract(t: TaskScores): ContractTaskScores {
  return {
    micro: t.micro,
    macro: { precision: t.macroPrecision, recall: t.macroRecall, f1: t.macroF1 },
    perType: Object.entries(t.perType).map(([type, c]) => ({ type, ...c })),
  };
}

/** extractionScores in the contract's shape (common/contract/entities.ts EntityMetrics), for the entity service. */
export function entityMetrics(schema: EntitySchema, gold: readonly SentenceExtraction[], pred: readonly SentenceExtraction[]): EntityMetrics {
  const s = extractionScores(gold, pred, schema);
  return { sentences: gold.length, ner: toContract(s.ner), re: toContract(s.re), rePlus: toContract(s.rePlus) };
}
