// CoNLL04 metrics on hand-worked examples that separate NER, RE (Boundaries) and RE+ (Strict), per type, macro and empty cases.
import { describe, expect, it } from 'vitest';
import type { EntitySchema } from '../../../common/entities';
import { addCounts, entityMetrics, extractionScores, prf, type SentenceExtraction } from './metrics';

const schema: EntitySchema = { entityTypes: ['Peop', 'Loc', 'Org'], relationTypes: ['Live_In', 'Work_For'] };

// Gold sentence 1: John(0) Smith(1) lives in Paris(4) ; he works for IBM(8)
const gold1: SentenceExtraction = {
  entities: [
    { start: 0, end: 2, type: 'Peop' },
    { start: 4, end: 5, type: 'Loc' },
    { start: 8, end: 9, type: 'Org' },
  ],
  relations: [
    { head: 0, tail: 1, type: 'Live_In' },
    { head: 0, tail: 2, type: 'Work_For' },
  ],
};

describe('prf', () => {
  it('divides by zero as 0', () => {
    expect(prf({ tp: 0, fp: 0, fn: 0 })).toEqual({ tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0 });
    expect(prf({ tp: 0, fp: 3, fn: 0 }).f1).toBe(0);
  });
  it('computes P, R, F1', () => {
    // P = 2/3, R = 2/4 = 0.5, F1 = 2·(2/3)(1/2)/(2/3+1/2) = (2/3)/(7/6) = 4/7
    const r = prf({ tp: 2, fp: 1, fn: 2 });
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.f1).toBeCloseTo(4 / 7, 12);
  });
  it('sums counts', () => {
    expect(addCounts({ tp: 1, fp: 2, fn: 3 }, { tp: 4, fp: 5, fn: 6 })).toEqual({ tp: 5, fp: 7, fn: 9 });
  });
});

describe('extractionScores', () => {
  it('a perfect prediction scores 1 everywhere', () => {
    const s = extractionScores([gold1], [gold1], schema);
    expect(s.ner.micro.f1).toBe(1);
    expect(s.ner.macroF1).toBe(1);
    expect(s.re.micro.f1).toBe(1);
    expect(s.rePlus.micro.f1).toBe(1);
    expect(s.re.macroF1).toBe(1);
  });

  it('wrong argument type: counts for RE, not for RE+ nor for that entity in NER', () => {
    // Predicted: Paris typed Org instead of Loc; relations as gold.
    const pred: SentenceExtraction = { ...gold1, entities: [gold1.entities[0], { start: 4, end: 5, type: 'Org' }, gold1.entities[2]] };
    const s = extractionScores([gold1], [pred], schema);
    // NER: tp 2 (John Smith, IBM), fp 1 (Paris/Org), fn 1 (Paris/Loc). P = R = F1 = 2/3.
    expect(s.ner.micro).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.ner.micro.f1).toBeCloseTo(2 / 3, 12);
    // Per type: Peop 1/0/0 → F1 1; Loc 0/0/1 → 0; Org tp 1 fp 1 → P 1/2, R 1, F1 2/3. Macro = (1 + 0 + 2/3)/3 = 5/9.
    expect(s.ner.perType.Loc).toMatchObject({ tp: 0, fp: 0, fn: 1, f1: 0 });
    expect(s.ner.perType.Org.f1).toBeCloseTo(2 / 3, 12);
    expect(s.ner.macroF1).toBeCloseTo(5 / 9, 12);
    // RE (boundaries): both relations correct → 2/0/0.
    expect(s.re.micro).toMatchObject({ tp: 2, fp: 0, fn: 0, f1: 1 });
    // RE+ (strict): Live_In has the wrong tail type → Live_In 0/1/1, Work_For 1/0/0. Micro P = R = 1/2; macro (0 + 1)/2 = 1/2.
    expect(s.rePlus.micro).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(s.rePlus.micro.f1).toBeCloseTo(0.5, 12);
    expect(s.rePlus.perType.Live_In).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    expect(s.rePlus.macroF1).toBeCloseTo(0.5, 12);
  });

  it('wrong argument boundary: counts for neither RE nor RE+', () => {
    // Predicted "Smith" alone (1..2) as Peop: both relations have a wrong head span.
    const pred: SentenceExtraction = { ...gold1, entities: [{ start: 1, end: 2, type: 'Peop' }, gold1.entities[1], gold1.entities[2]] };
    const s = extractionScores([gold1], [pred], schema);
    expect(s.ner.micro).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.re.micro).toMatchObject({ tp: 0, fp: 2, fn: 2, f1: 0 });
    expect(s.rePlus.micro).toMatchObject({ tp: 0, fp: 2, fn: 2, f1: 0 });
  });

  it('reversed direction: counts for neither RE nor RE+', () => {
    const pred: SentenceExtraction = { ...gold1, relations: [{ head: 1, tail: 0, type: 'Live_In' }, gold1.relations[1]] };
    const s = extractionScores([gold1], [pred], schema);
    expect(s.ner.micro.f1).toBe(1);
    // Live_In 0/1/1, Work_For 1/0/0: micro 1/1/1 → F1 1/2, in both RE and RE+.
    expect(s.re.micro).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(s.rePlus.micro).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(s.re.perType.Live_In.f1).toBe(0);
  });

  it('wrong relation type: fp for the predicted type, fn for the gold one', () => {
    const pred: SentenceExtraction = { ...gold1, relations: [{ head: 0, tail: 1, type: 'Work_For' }, gold1.relations[1]] };
    const s = extractionScores([gold1], [pred], schema);
    // Work_For tp 1 fp 1 → P 1/2 R 1 F1 2/3; Live_In fn 1 → 0. Macro = (0 + 2/3)/2 = 1/3. Micro 1/1/1 → 1/2.
    expect(s.re.perType.Work_For).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(s.re.perType.Live_In).toMatchObject({ tp: 0, fp: 0, fn: 1 });
    expect(s.re.macroF1).toBeCloseTo(1 / 3, 12);
    expect(s.re.micro.f1).toBeCloseTo(0.5, 12);
  });

  it('sums over sentences (micro) and handles empty sentences and an empty dataset', () => {
    const empty: SentenceExtraction = { entities: [], relations: [] };
    // Sentence 1 perfect (3 entities, 2 relations); sentence 2 gold empty, prediction one spurious Loc.
    const s = extractionScores([gold1, empty], [gold1, { entities: [{ start: 0, end: 1, type: 'Loc' }], relations: [] }], schema);
    // NER: tp 3, fp 1, fn 0 → P 3/4, R 1, F1 = 2·0.75/1.75 = 6/7.
    expect(s.ner.micro).toMatchObject({ tp: 3, fp: 1, fn: 0 });
    expect(s.ner.micro.f1).toBeCloseTo(6 / 7, 12);
    // Loc: tp 1 fp 1 → F1 2/3; Peop, Org 1 → macro (1 + 2/3 + 1)/3 = 8/9.
    expect(s.ner.macroF1).toBeCloseTo(8 / 9, 12);
    expect(s.re.micro.f1).toBe(1);
    const none = extractionScores([], [], schema);
    expect(none.ner.micro).toMatchObject({ tp: 0, fp: 0, fn: 0, f1: 0 });
    expect(none.re.macroF1).toBe(0);
    expect(none.ner.perType.Peop.f1).toBe(0);
  });

  it('counts a duplicated prediction once as tp and once as fp', () => {
    const pred: SentenceExtraction = { entities: [gold1.entities[0], gold1.entities[0]], relations: [] };
    const s = extractionScores([{ entities: [gold1.entities[0]], relations: [] }], [pred], schema);
    expect(s.ner.micro).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });

  it('rejects mismatched lengths and relations naming missing entities', () => {
    expect(() => extractionScores([gold1], [], schema)).toThrow(RangeError);
    expect(() => extractionScores([gold1], [{ entities: [], relations: [{ head: 0, tail: 1, type: 'Live_In' }] }], schema)).toThrow(RangeError);
  });
});

describe('entityMetrics (the contract shape)', () => {
  it('carries the same numbers, macro P/R/F1 and per-type rows in schema order', () => {
    const pred: SentenceExtraction = { ...gold1, relations: [{ head: 0, tail: 1, type: 'Work_For' }, gold1.relations[1]] };
    const m = entityMetrics(schema, [gold1], [pred]);
    expect(m.sentences).toBe(1);
    expect(m.re.perType.map((r) => r.type)).toEqual(['Live_In', 'Work_For']);
    // Work_For P 1/2 R 1, Live_In P 0 R 0 → macro P 1/4, R 1/2, F1 (0 + 2/3)/2 = 1/3.
    expect(m.re.macro.precision).toBeCloseTo(0.25, 12);
    expect(m.re.macro.recall).toBeCloseTo(0.5, 12);
    expect(m.re.macro.f1).toBeCloseTo(1 / 3, 12);
    expect(m.ner.micro.f1).toBe(1);
  });
});

describe('macro average over the types seen', () => {
  it('leaves out a schema type absent from gold and predictions (SpERT / TablERT evaluator)', () => {
    // Only Peop occurs: one tp → Peop F1 1; Loc and Org unseen → macro = 1, not 1/3.
    const one: SentenceExtraction = { entities: [{ start: 0, end: 1, type: 'Peop' }], relations: [] };
    const s = extractionScores([one], [one], schema);
    expect(s.ner.macroF1).toBe(1);
    expect(s.ner.perType.Loc).toMatchObject({ tp: 0, fp: 0, fn: 0, f1: 0 });
    expect(s.re.macroF1).toBe(0); // no relation type seen at all
  });
});
