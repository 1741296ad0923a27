// CoNLL04 as distributed with SpERT / the table-filling papers: a JSON array (or JSONL) of
// {tokens, tags (BILOU), relations: [{head, tail, type}], orig_id}, where head and tail index the
// sentence's entities in order of appearance. An optional conll04_types.json ({entities: {...},
// relations: {...}}) fixes the type order; types the data uses beyond it follow, first seen.
// Records, words and relations are numbered from 1 in messages (as lines are); entity indices
// and the JSON paths of fields (relations[0].head) stay 0-based, as the data writes them.
import type { AnnotatedSentence, RelationTriple } from '../../../common/entities';
import { ShirabeError } from '../../../common/errors';
import { spansFromBilou } from '../../../common/bilou';
import { type AnnotationFile, type ParsedAnnotations, SchemaBuilder, noWarnings } from './types';

/** A types file: by name, or an object (not an array) with "entities" or "relations". */
export function isConll04TypesFile(file: AnnotationFile): boolean {
  if (/types\.json$/i.test(file.name)) return true;
  const head = file.text.trimStart();
  return head.startsWith('{') && /"entities"\s*:/.test(head) && !/"tokens"\s*:/.test(head);
}

/** The line (1-based) of a JSON.parse error, from V8's "(line L column C)" or "at position N". */
function errorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  return 1;
}

function parseJson(file: AnnotationFile, text: string, lineOffset: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ShirabeError('annotationJsonInvalid', { file: file.name, line: lineOffset + errorLine(text, detail), detail }, { cause: err });
  }
}

/** The records of a JSON array or of JSONL (one record a line, blank lines allowed). */
function records(file: AnnotationFile): unknown[] {
  const text = file.text.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    const value = parseJson(file, text, 0);
    if (!Array.isArray(value)) throw new ShirabeError('annotationRecordInvalid', { file: file.name, record: 1, field: '(file)', expected: '[{tokens, tags, relations}]' });
    return value as unknown[];
  }
  const out: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out.push(parseJson(file, line, i));
  });
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function typesFrom(file: AnnotationFile, schema: SchemaBuilder): void {
  const value = parseJson(file, file.text.replace(/^\uFEFF/, ''), 0);
  if (!isObject(value)) throw new ShirabeError('annotationTypesInvalid', { file: file.name, field: '(file)' });
  for (const field of ['entities', 'relations'] as const) {
    const group = value[field];
    if (group === undefined) continue;
    if (!isObject(group)) throw new ShirabeError('annotationTypesInvalid', { file: file.name, field });
    for (const type of Object.keys(group)) (field === 'entities' ? schema.entity(type) : schema.relation(type));
  }
}

function sentenceOf(file: AnnotationFile, raw: unknown, record: number, schema: SchemaBuilder): AnnotatedSentence {
  const bad = (field: string, expected: string) => new ShirabeError('annotationRecordInvalid', { file: file.name, record, field, expected });
  if (!isObject(raw)) throw bad('(record)', '{tokens, tags, relations}');
  const { tokens, tags } = raw;
  if (!isStringArray(tokens)) throw bad('tokens', 'string[]');
  // SpERT's CoNLL04 files give entities as spans ({type, start, end}) instead of tags.
  if (tags === undefined && Array.isArray(raw.entities)) return spertSentence(file, raw, tokens, record, schema);
  if (!isStringArray(tags)) throw bad('tags', 'string[]');
  if (tokens.length !== tags.length) throw new ShirabeError('annotationRecordLengths', { file: file.name, record, tokens: tokens.length, tags: tags.length });
  const parsed = spansFromBilou(tags);
  if ('problem' in parsed) {
    const { index, tag, reason } = parsed.problem;
    const at = { file: file.name, record, word: index + 1, tag };
    if (reason === 'malformed') throw new ShirabeError('annotationRecordTagMalformed', at);
    if (reason === 'typeChanged') throw new ShirabeError('annotationRecordTagTypeChanged', at);
    if (reason === 'unexpected') throw new ShirabeError('annotationRecordTagUnexpected', at);
    throw new ShirabeError('annotationRecordTagUnfinished', { file: file.name, record, words: tokens.length });
  }
  const entities = parsed.spans;
  for (const e of entities) schema.entity(e.type);
  const relations = relationsOf(file, raw, record, entities.length, schema);
  const id = raw.orig_id;
  return { words: tokens, entities, relations, source: typeof id === 'string' || typeof id === 'number' ? String(id) : file.name };
}

/** Relations as {head, tail, type} over `count` entities (their indices remapped by `index` where given). */
function relationsOf(file: AnnotationFile, raw: Record<string, unknown>, record: number, count: number, schema: SchemaBuilder, index?: readonly number[]): RelationTriple[] {
  const bad = (field: string, expected: string) => new ShirabeError('annotationRecordInvalid', { file: file.name, record, field, expected });
  const rawRelations = raw.relations ?? [];
  if (!Array.isArray(rawRelations)) throw bad('relations', '[{head, tail, type}]');
  return rawRelations.map((r: unknown, k) => {
    if (!isObject(r)) throw bad(`relations[${k}]`, '{head, tail, type}');
    if (!isIndex(r.head)) throw bad(`relations[${k}].head`, 'integer ≥ 0');
    if (!isIndex(r.tail)) throw bad(`relations[${k}].tail`, 'integer ≥ 0');
    if (typeof r.type !== 'string' || r.type === '') throw bad(`relations[${k}].type`, 'string');
    for (const field of ['head', 'tail'] as const) {
      const at = r[field] as number;
      if (at >= count) throw new ShirabeError('annotationRecordRelationMissing', { file: file.name, record, relation: k + 1, field, index: at, count });
    }
    schema.relation(r.type);
    return { head: index ? index[r.head] : r.head, tail: index ? index[r.tail] : r.tail, type: r.type };
  });
}

/** A SpERT record: entities as [{type, start, end}] (end exclusive) in any order, relations indexing that list. */
function spertSentence(file: AnnotationFile, raw: Record<string, unknown>, tokens: string[], record: number, schema: SchemaBuilder): AnnotatedSentence {
  const bad = (field: string, expected: string) => new ShirabeError('annotationRecordInvalid', { file: file.name, record, field, expected });
  const given = (raw.entities as unknown[]).map((e, k) => {
    if (!isObject(e)) throw bad(`entities[${k}]`, '{type, start, end}');
    if (typeof e.type !== 'string' || e.type === '') throw bad(`entities[${k}].type`, 'string');
    if (!isIndex(e.start) || !isIndex(e.end) || e.end <= e.start || e.end > tokens.length) throw bad(`entities[${k}]`, `0 ≤ start < end ≤ ${tokens.length}`);
    return { start: e.start, end: e.end, type: e.type, k };
  });
  const sorted = [...given].sort((a, b) => a.start - b.start || a.end - b.end);
  sorted.forEach((e, i) => {
    if (i > 0 && e.start < sorted[i - 1].end) throw bad(`entities[${e.k}]`, `a span apart from entities[${sorted[i - 1].k}] (they overlap)`);
    schema.entity(e.type);
  });
  // Relations name entities by their place in the record's list; ours by their order in the sentence.
  const index = new Array<number>(given.length);
  sorted.forEach((e, i) => (index[e.k] = i));
  const relations = relationsOf(file, raw, record, given.length, schema, index);
  const id = raw.orig_id;
  return { words: tokens, entities: sorted.map(({ start, end, type }) => ({ start, end, type })), relations, source: typeof id === 'string' || typeof id === 'number' ? String(id) : file.name };
}

/** Every record of every data file, after a types file (wherever it was given) fixed the type order. */
export function parseConll04(files: readonly AnnotationFile[]): ParsedAnnotations {
  const schema = new SchemaBuilder();
  for (const f of files) if (isConll04TypesFile(f)) typesFrom(f, schema);
  const sentences: AnnotatedSentence[] = [];
  for (const f of files) {
    if (isConll04TypesFile(f)) continue;
    records(f).forEach((raw, i) => sentences.push(sentenceOf(f, raw, i + 1, schema)));
  }
  return { sentences, schema: schema.build(), warnings: noWarnings() };
}
