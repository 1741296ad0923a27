// brat standoff: X.txt with X.ann beside it. T lines are entities ("T1\tType start end\ttext"),
// R lines relations ("R1\tType Arg1:T1 Arg2:T2", the first argument the head). Events (E),
// attributes (A, M), normalizations (N), notes (#) and equivalences (*) are counted and skipped.
//
// Sentences: every line break ends one; inside a line, 。．！？ end one (with any closing bracket or
// quote after them), and . ! ? do when whitespace or the line's end follows. A punctuation
// boundary that falls inside an entity ("Mr. Smith") is not used: sentence splitting is a guess
// and the annotator's entity wins. An entity across a line break, or a relation between
// sentences, is an error naming them.
// . ! ? end a sentence only before the line's end or a space and a word that is not lower case
// ("Corp. in Boston" stays one sentence; "Boston. He" is two).
//
// Words: Japanese (any kana or kanji in the document) through the segmenter (MeCab-IPADIC
// morphemes); otherwise letters/digits runs (with inner ' - . joined: O'Brien, 1-2, 3.5) and
// single punctuation marks. Where an entity boundary falls inside a word (a morpheme
// "東京都" of which "東京" is annotated), the word is split there, so that every entity is a run
// of whole words; the annotation is never moved.
import type { AnnotatedSentence, EntitySpan, RelationTriple } from '../../../common/entities';
import { ShirabeError } from '../../../common/errors';
import { cjk, latinWords, scriptRuns, sentenceRanges } from '../sentences';
import { type AnnotationFile, type AnnotationWarnings, type ParsedAnnotations, type Segmenter, SchemaBuilder, noWarnings, segmentWith } from './types';

interface BratEntity {
  id: string;
  type: string;
  start: number;
  end: number;
  text: string;
  line: number;
}

interface BratRelation {
  id: string;
  type: string;
  head: string;
  tail: string;
}

const stem = (name: string) => name.replace(/\.(txt|ann)$/i, '');
const show = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/** The T and R annotations of one .ann, checked against its text; the rest counted in `warnings`. */
export function readAnn(ann: AnnotationFile, text: string, warnings: AnnotationWarnings): { entities: BratEntity[]; relations: BratRelation[] } {
  const entities: BratEntity[] = [];
  const relations: BratRelation[] = [];
  const ids = new Set<string>();
  ann.text.replace(/^\uFEFF/, '').split('\n').forEach((raw, i) => {
    const lineText = raw.replace(/\r$/, '');
    const line = i + 1;
    if (lineText.trim() === '') return;
    const invalid = () => new ShirabeError('annotationBratLineInvalid', { file: ann.name, line, content: show(lineText) });
    const kind = lineText[0];
    if (kind === '#') return void warnings.notes++;
    if (kind === 'E') return void warnings.events++;
    if (kind === 'A' || kind === 'M') return void warnings.attributes++;
    if (kind === 'N') return void warnings.normalizations++;
    if (kind === '*') return void warnings.attributes++;
    const id = lineText.split('\t', 1)[0];
    if (kind !== 'T' && kind !== 'R') throw invalid();
    if (ids.has(id)) throw new ShirabeError('annotationBratDuplicateId', { file: ann.name, line, id });
    ids.add(id);
    if (kind === 'T') {
      const m = /^(T\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$/.exec(lineText);
      if (!m) throw invalid();
      const [, , type, spans, recorded] = m;
      if (spans.includes(';')) throw new ShirabeError('annotationBratDiscontinuous', { file: ann.name, entity: id, spans });
      const [start, end] = spans.split(' ').map(Number);
      if (start >= end || end > text.length) throw new ShirabeError('annotationBratSpanOutside', { file: ann.name, entity: id, start, end, length: text.length });
      const actual = text.slice(start, end);
      // brat writes a line break inside a mention as a space (the .ann is one annotation a line).
      if (recorded !== actual && recorded !== actual.replace(/\r\n|[\r\n]/g, ' ') && recorded !== actual.replace(/[\r\n]/g, ' ')) throw new ShirabeError('annotationBratTextMismatch', { file: ann.name, entity: id, recorded: show(recorded), actual: show(actual) });
      entities.push({ id, type, start, end, text: recorded, line });
      return;
    }
    const m = /^(R\S*)\t(\S+) [^:\s]+:(\S+) [^:\s]+:(\S+)\s*$/.exec(lineText);
    if (!m) throw invalid();
    relations.push({ id, type: m[2], head: m[3], tail: m[4] });
  });
  return { entities, relations };
}

/** Splits words wherever a boundary falls strictly inside one. */
function splitAt(words: { start: number; end: number }[], boundaries: readonly number[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const w of words) {
    const cuts = boundaries.filter((b) => w.start < b && b < w.end).sort((a, b) => a - b);
    let at = w.start;
    for (const c of [...new Set(cuts), w.end]) {
      out.push({ start: at, end: c });
      at = c;
    }
  }
  return out;
}

function documentSentences(
  name: string,
  ann: AnnotationFile,
  text: string,
  entities: BratEntity[],
  relations: BratRelation[],
  schema: SchemaBuilder,
  segmenter: Segmenter | undefined,
): AnnotatedSentence[] {
  // Overlap or crossing: sorted by start, each entity against the one reaching furthest so far.
  const sorted = [...entities].sort((a, b) => a.start - b.start || a.end - b.end);
  let reach: BratEntity | null = null;
  for (const e of sorted) {
    if (reach && e.start < reach.end) {
      throw new ShirabeError('annotationBratOverlap', {
        file: ann.name,
        first: reach.id,
        firstText: show(reach.text),
        firstStart: reach.start,
        firstEnd: reach.end,
        second: e.id,
        secondText: show(e.text),
        secondStart: e.start,
        secondEnd: e.end,
      });
    }
    if (!reach || e.end > reach.end) reach = e;
  }
  const ranges = sentenceRanges(text, entities);
  const sentenceOf = (e: BratEntity) => {
    const k = ranges.findIndex(([s, end]) => s <= e.start && e.end <= end);
    if (k < 0) throw new ShirabeError('annotationBratEntityCrossesSentence', { file: ann.name, entity: e.id, text: show(e.text) });
    return k;
  };
  const where = new Map(sorted.map((e) => [e.id, sentenceOf(e)]));
  const japanese = cjk.test(text);
  const out: AnnotatedSentence[] = ranges.map(([s, end]) => {
    const sentenceText = text.slice(s, end);
    const mine = sorted.filter((e) => where.get(e.id) === ranges.findIndex((r) => r[0] === s));
    const base = japanese ? (segmenter ? segmentWith(segmenter, sentenceText) : scriptRuns(sentenceText)) : latinWords(sentenceText);
    const words = splitAt(base, mine.flatMap((e) => [e.start - s, e.end - s]));
    const spans: EntitySpan[] = mine.map((e) => {
      const first = words.findIndex((w) => w.start >= e.start - s);
      let last = -1;
      words.forEach((w, i) => {
        if (w.end <= e.end - s) last = i;
      });
      // An entity over whitespace only covers no word: the .ann line is wrong, not the text.
      if (first < 0 || last < first) throw new ShirabeError('annotationBratLineInvalid', { file: ann.name, line: e.line, content: show(`${e.id}\t${e.type} ${e.start} ${e.end}\t${e.text}`) });
      schema.entity(e.type);
      return { start: first, end: last + 1, type: e.type };
    });
    return { words: words.map((w) => sentenceText.slice(w.start, w.end)), entities: spans, relations: [], text: sentenceText, offsets: words.map((w) => [w.start, w.end] as [number, number]), source: name };
  });
  const byId = new Map(entities.map((e) => [e.id, e]));
  for (const r of relations) {
    for (const arg of [r.head, r.tail]) if (!byId.has(arg)) throw new ShirabeError('annotationBratRelationMissing', { file: ann.name, relation: r.id, argument: arg });
    const head = byId.get(r.head)!;
    const tail = byId.get(r.tail)!;
    const k = where.get(head.id)!;
    if (where.get(tail.id) !== k) throw new ShirabeError('annotationBratCrossSentence', { file: ann.name, relation: r.id, head: head.id, headText: show(head.text), tail: tail.id, tailText: show(tail.text) });
    const inSentence = sorted.filter((e) => where.get(e.id) === k);
    const triple: RelationTriple = { head: inSentence.indexOf(head), tail: inSentence.indexOf(tail), type: r.type };
    schema.relation(r.type);
    out[k].relations.push(triple);
  }
  return out;
}

/** Every .txt/.ann pair, in the order the .txt files were given; other files are listed in warnings. */
export function parseBrat(files: readonly AnnotationFile[], segmenter?: Segmenter): ParsedAnnotations {
  const warnings = noWarnings();
  const schema = new SchemaBuilder();
  const txt = new Map<string, AnnotationFile>();
  const ann = new Map<string, AnnotationFile>();
  for (const f of files) {
    if (/\.txt$/i.test(f.name)) txt.set(stem(f.name), f);
    else if (/\.ann$/i.test(f.name)) ann.set(stem(f.name), f);
    else warnings.ignoredFiles.push(f.name);
  }
  for (const [key, a] of ann) if (!txt.has(key)) throw new ShirabeError('annotationBratMissingTxt', { annFile: a.name, txtFile: `${key}.txt` });
  for (const [key, t] of txt) if (!ann.has(key)) throw new ShirabeError('annotationBratMissingAnn', { txtFile: t.name, annFile: `${key}.ann` });
  const sentences: AnnotatedSentence[] = [];
  for (const [key, t] of txt) {
    const a = ann.get(key)!;
    // brat counts offsets in the text as saved; only a BOM (which brat never writes) is removed.
    const text = t.text.replace(/^\uFEFF/, '');
    const { entities, relations } = readAnn(a, text, warnings);
    sentences.push(...documentSentences(key.replace(/^.*[\\/]/, ''), a, text, entities, relations, schema, segmenter));
  }
  return { sentences, schema: schema.build(), warnings };
}
