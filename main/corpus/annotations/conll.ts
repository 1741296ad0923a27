// CoNLL-style columns: one token a line, the word in the first column and the entity tag in the
// last (CoNLL-2003's POS and chunk columns in between are ignored), columns split by tabs or
// spaces, a blank line between sentences, -DOCSTART- lines skipped. This format has no
// relations: every sentence's relations are empty.
//
// The scheme is detected per file: any L- or U- tag makes it BILOU, else BIO. BILOU is checked
// strictly (spansFromBilou). BIO is checked as seqeval's strict IOB2: an I-X must continue a B-X
// or I-X. CoNLL-2003's original IOB1 (I-X opening an entity) is refused rather than guessed at:
// a file converted to IOB2 (seqeval, or any CoNLL-2003 release marked IOB2) imports as is.
// Errors give the 1-based line of the file.
import type { AnnotatedSentence, EntitySpan } from '../../../common/entities';
import { ShirabeError } from '../../../common/errors';
import { parseTag, spansFromBilou } from '../../../common/bilou';
import { type AnnotationFile, type ParsedAnnotations, SchemaBuilder, noWarnings } from './types';

interface Token {
  word: string;
  tag: string;
  line: number;
}

/** Tokens of each sentence, with the line each came from. */
function sentencesOf(file: AnnotationFile): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length > 0) out.push(current);
    current = [];
  };
  file.text.replace(/^\uFEFF/, '').split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return flush();
    const columns = line.split(/[\t ]+/);
    if (columns[0] === '-DOCSTART-') return flush();
    if (columns.length < 2) throw new ShirabeError('annotationColumnsTooFew', { file: file.name, line: i + 1 });
    current.push({ word: columns[0], tag: columns[columns.length - 1], line: i + 1 });
  });
  flush();
  return out;
}

/** Spans of a strict IOB2 sequence, or the error at the offending line. */
function spansFromBio(file: AnnotationFile, tokens: readonly Token[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let open: EntitySpan | null = null;
  tokens.forEach((t, i) => {
    if (t.tag === 'O') {
      open = null;
      return;
    }
    const p = parseTag(t.tag);
    if (!p || p.prefix === 'L' || p.prefix === 'U') throw new ShirabeError('annotationTagMalformed', { file: file.name, line: t.line, tag: t.tag });
    if (p.prefix === 'B') {
      open = { start: i, end: i + 1, type: p.type };
      spans.push(open);
      return;
    }
    const current = open as EntitySpan | null;
    if (!current) throw new ShirabeError('annotationTagUnexpected', { file: file.name, line: t.line, tag: t.tag, scheme: 'BIO' });
    if (current.type !== p.type) throw new ShirabeError('annotationTagTypeChanged', { file: file.name, line: t.line, tag: t.tag, scheme: 'BIO' });
    current.end = i + 1;
  });
  return spans;
}

function spansFromBilouTokens(file: AnnotationFile, tokens: readonly Token[]): EntitySpan[] {
  const parsed = spansFromBilou(tokens.map((t) => t.tag));
  if ('spans' in parsed) return parsed.spans;
  const { index, tag, reason } = parsed.problem;
  const scheme = 'BILOU';
  if (reason === 'unfinished') {
    const last = tokens[tokens.length - 1];
    throw new ShirabeError('annotationTagUnfinished', { file: file.name, line: last.line, tag: last.tag, scheme });
  }
  const line = tokens[index].line;
  if (reason === 'malformed') throw new ShirabeError('annotationTagMalformed', { file: file.name, line, tag });
  if (reason === 'typeChanged') throw new ShirabeError('annotationTagTypeChanged', { file: file.name, line, tag, scheme });
  throw new ShirabeError('annotationTagUnexpected', { file: file.name, line, tag, scheme });
}

/** Which scheme a file's tags are in: BILOU if any tag is L- or U-, else BIO. */
export function detectScheme(tags: readonly string[]): 'BIO' | 'BILOU' {
  return tags.some((t) => /^[LU]-/.test(t)) ? 'BILOU' : 'BIO';
}

export function parseConll(files: readonly AnnotationFile[]): ParsedAnnotations {
  const schema = new SchemaBuilder();
  const sentences: AnnotatedSentence[] = [];
  for (const file of files) {
    const groups = sentencesOf(file);
    const scheme = detectScheme(groups.flatMap((g) => g.map((t) => t.tag)));
    for (const tokens of groups) {
      const entities = scheme === 'BILOU' ? spansFromBilouTokens(file, tokens) : spansFromBio(file, tokens);
      for (const e of entities) schema.entity(e.type);
      sentences.push({ words: tokens.map((t) => t.word), entities, relations: [], source: file.name });
    }
  }
  return { sentences, schema: schema.build(), warnings: noWarnings() };
}
