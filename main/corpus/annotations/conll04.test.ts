// CoNLL04 JSON: the real splits (skipped, with a message, where ../shared/data is absent), JSONL,
// a types file fixing the order, and each malformed record's specific error.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/paths';
import { parseAnnotations } from './index';
import { failure } from './testSupport';

const dir = resolve(sharedData, 'conll04');
const present = existsSync(resolve(dir, 'conll04_train.json'));
if (!present) console.warn(`CoNLL04 tests skipped: ${dir} is absent (the shared data is not checked out here).`);
const read = (name: string) => ({ name, text: readFileSync(resolve(dir, name), 'utf8') });

describe.skipIf(!present)('CoNLL04 (the real data)', () => {
  it.each([
    ['train', 922, 3377, 1283],
    ['dev', 231, 893, 343],
    ['test', 288, 1079, 422],
  ])('reads conll04_%s.json: %i sentences, %i entities, %i relations', (split, sentences, entities, relations) => {
    const r = parseAnnotations('conll04', [read('conll04_types.json'), read(`conll04_${split}.json`)], {});
    expect(r.sentences).toHaveLength(sentences);
    expect(r.sentences.reduce((n, s) => n + s.entities.length, 0)).toBe(entities);
    expect(r.sentences.reduce((n, s) => n + s.relations.length, 0)).toBe(relations);
    expect(r.schema).toEqual({ entityTypes: ['Loc', 'Org', 'Peop', 'Other'], relationTypes: ['Work_For', 'Kill', 'OrgBased_In', 'Live_In', 'Located_In'] });
  });

  it('reads a known sentence: John Wilkes Booth killed President Lincoln', () => {
    const r = parseAnnotations('conll04', [read('conll04_dev.json')], {});
    const s = r.sentences[0];
    expect(s.words.slice(0, 8)).toEqual(['John', 'Wilkes', 'Booth', ',', 'who', 'assassinated', 'President', 'Lincoln']);
    expect(s.entities).toEqual([
      { start: 0, end: 3, type: 'Peop' },
      { start: 6, end: 8, type: 'Peop' },
    ]);
    expect(s.relations).toEqual([{ head: 0, tail: 1, type: 'Kill' }]);
    expect(s.source).toBe('5178');
    // Without the types file, types come in first-seen order and all five relations still appear.
    expect(r.schema.entityTypes).toEqual(expect.arrayContaining(['Loc', 'Org', 'Peop', 'Other']));
    expect(r.schema.entityTypes[0]).toBe('Peop');
    expect(r.schema.relationTypes).toHaveLength(5);
  });
});

const record = (over: Record<string, unknown> = {}) => ({ tokens: ['Ann', 'Smith', 'works', 'for', 'IBM'], tags: ['B-Peop', 'L-Peop', 'O', 'O', 'U-Org'], relations: [{ head: 0, tail: 1, type: 'Work_For' }], orig_id: 7, ...over });
const file = (records: unknown[], name = 'a.json') => ({ name, text: JSON.stringify(records) });

describe('CoNLL04 records', () => {
  it('reads JSONL as well as a JSON array, and a types file sets the order', () => {
    const jsonl = { name: 'a.jsonl', text: `${JSON.stringify(record())}\n\n${JSON.stringify(record({ orig_id: undefined }))}\n` };
    const types = { name: 'mytypes.json', text: JSON.stringify({ entities: { Org: {}, Peop: {} }, relations: { Kill: {}, Work_For: {} } }) };
    const r = parseAnnotations('conll04', [jsonl, types], {});
    expect(r.sentences).toHaveLength(2);
    expect(r.sentences[0]).toEqual({ words: record().tokens, entities: [{ start: 0, end: 2, type: 'Peop' }, { start: 4, end: 5, type: 'Org' }], relations: [{ head: 0, tail: 1, type: 'Work_For' }], source: '7' });
    expect(r.sentences[1].source).toBe('a.jsonl');
    expect(r.schema).toEqual({ entityTypes: ['Org', 'Peop'], relationTypes: ['Kill', 'Work_For'] });
  });

  it.each([
    ['not JSON', { name: 'a.json', text: '[{"tokens": [}' }, 'annotationJsonInvalid', { file: 'a.json', line: 1 }],
    ['a JSONL line not JSON', { name: 'a.jsonl', text: `${JSON.stringify(record())}\n{oops\n` }, 'annotationJsonInvalid', { file: 'a.jsonl', line: 2 }],
    ['a record not an object', file([record(), 3]), 'annotationRecordInvalid', { file: 'a.json', record: 2, field: '(record)' }],
    ['tokens missing', file([record({ tokens: undefined })]), 'annotationRecordInvalid', { file: 'a.json', record: 1, field: 'tokens', expected: 'string[]' }],
    ['tags not strings', file([record({ tags: [1, 2, 3, 4, 5] })]), 'annotationRecordInvalid', { record: 1, field: 'tags' }],
    ['a relation without a head', file([record({ relations: [{ tail: 1, type: 'Kill' }] })]), 'annotationRecordInvalid', { record: 1, field: 'relations[0].head' }],
    ['tokens and tags of different lengths', file([record({ tags: ['O'] })]), 'annotationRecordLengths', { record: 1, tokens: 5, tags: 1 }],
    ['a malformed tag', file([record({ tags: ['B-Peop', 'L-Peop', 'X', 'O', 'U-Org'] })]), 'annotationRecordTagMalformed', { record: 1, word: 3, tag: 'X' }],
    ['I after O', file([record({ tags: ['O', 'I-Peop', 'O', 'O', 'U-Org'] })]), 'annotationRecordTagUnexpected', { record: 1, word: 2, tag: 'I-Peop' }],
    ['a type change', file([record({ tags: ['B-Peop', 'L-Org', 'O', 'O', 'U-Org'] })]), 'annotationRecordTagTypeChanged', { record: 1, word: 2, tag: 'L-Org' }],
    ['an unfinished entity', file([record({ tags: ['O', 'O', 'O', 'O', 'B-Org'] })]), 'annotationRecordTagUnfinished', { record: 1, words: 5 }],
    ['a relation to a missing entity', file([record(), record({ relations: [{ head: 0, tail: 2, type: 'Kill' }] })]), 'annotationRecordRelationMissing', { file: 'a.json', record: 2, relation: 1, field: 'tail', index: 2, count: 2 }],
    ['a types file of the wrong shape', { name: 'conll04_types.json', text: '{"entities": ["Loc"]}' }, 'annotationTypesInvalid', { file: 'conll04_types.json', field: 'entities' }],
  ])('refuses %s', (_, bad, code, params) => {
    const f = failure(() => parseAnnotations('conll04', [file([record()], 'good.json'), bad], {}));
    expect(f.code).toBe(code);
    expect(f.params).toMatchObject(params);
  });

  it("reads SpERT's records (entities as spans in any order, relations indexing that list) as the tagged ones", () => {
    const spert = { tokens: ['Oswald', 'shot', 'John', 'Kennedy', '.'], entities: [{ type: 'Peop', start: 2, end: 4 }, { type: 'Peop', start: 0, end: 1 }], relations: [{ type: 'Kill', head: 1, tail: 0 }] };
    const tagged = { tokens: spert.tokens, tags: ['U-Peop', 'O', 'B-Peop', 'L-Peop', 'O'], relations: [{ type: 'Kill', head: 0, tail: 1 }] };
    const a = parseAnnotations('conll04', [{ name: 'spert_train.json', text: JSON.stringify([spert]) }], {});
    const b = parseAnnotations('conll04', [{ name: 'tagged_train.json', text: JSON.stringify([tagged]) }], {});
    expect(a.sentences[0].entities).toEqual(b.sentences[0].entities);
    expect(a.sentences[0].relations).toEqual(b.sentences[0].relations);
    const overlap = { ...spert, entities: [{ type: 'Peop', start: 0, end: 2 }, { type: 'Org', start: 1, end: 3 }], relations: [] };
    expect(failure(() => parseAnnotations('conll04', [{ name: 'x.json', text: JSON.stringify([overlap]) }], {}))).toMatchObject({ code: 'annotationRecordInvalid', params: { record: 1, field: 'entities[1]' } });
  });

  it('refuses empty data, naming the files', () => {
    expect(failure(() => parseAnnotations('conll04', [{ name: 'conll04_types.json', text: '{"entities": {}}' }, { name: 'e.json', text: '[]' }], {}))).toEqual({ code: 'annotationEmpty', params: { file: 'e.json' } });
    expect(failure(() => parseAnnotations('conll04', [], {}))).toEqual({ code: 'annotationEmpty', params: { file: '—' } });
  });
});
