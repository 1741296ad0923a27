// Annotated sentences into a new corpus: every file is read and checked before anything is written
// (a bad annotation anywhere names its file and line and imports nothing), then one transaction
// writes the corpus (one document per sentence, the split from each file's name unless one is
// chosen), its schema and each document's words, offsets and gold entities and relations.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AnnotationFormat, AnnotationImportReport, SplitName } from '../../../common/contract';
import type { AnnotatedSentence, EntitySchema } from '../../../common/entities';
import { ShirabeError } from '../../../common/errors';
import { isConll04TypesFile } from '../../corpus/annotations/conll04';
import { parseAnnotations } from '../../corpus/annotations/index';
import type { Morphology } from '../../corpus/morphology';
import type { ProjectStore } from '../../project/store';

/** The split a file's name says (conll04_dev.json → dev), or null. */
export function splitOfName(name: string): SplitName | null {
  const stem = basename(name).toLowerCase();
  const named = ([
    ['dev', /(^|[^a-z])(dev|valid|validation)([^a-z]|$)/],
    ['test', /(^|[^a-z])test([^a-z]|$)/],
    ['train', /(^|[^a-z])train([^a-z]|$)/],
  ] as const).filter(([, re]) => re.test(stem));
  // SpERT's conll04_train_dev.json is train and dev together: never guessed into one of them.
  if (named.length > 1) throw new ShirabeError('annotationSplitAmbiguous', { file: basename(name) });
  return named[0]?.[0] ?? null;
}

/** The words' offsets in a text that is the words joined by single spaces. */
function joinedOffsets(words: readonly string[]): { text: string; offsets: [number, number][] } {
  const offsets: [number, number][] = [];
  let at = 0;
  for (const w of words) {
    offsets.push([at, at + w.length]);
    at += w.length + 1;
  }
  return { text: words.join(' '), offsets };
}

/** Types in first-seen order over every group (the first group's order leads). */
function mergeSchemas(schemas: readonly EntitySchema[]): EntitySchema {
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  return { entityTypes: union(schemas.map((s) => s.entityTypes)), relationTypes: union(schemas.map((s) => s.relationTypes)) };
}


export async function importAnnotations(
  store: ProjectStore,
  request: { paths: string[]; format: AnnotationFormat; name: string; split: SplitName | null },
  morphology: () => Promise<Morphology>,
): Promise<AnnotationImportReport> {
  const started = Date.now();
  const name = request.name.trim();
  if (name === '') throw new ShirabeError('corpusNameRequired');
  // A folder stands for the files in it (a brat collection, a split's CoNLL files), in name order.
  const paths = request.paths.flatMap((path) => {
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      // Reported as not found below.
    }
    if (!folder) return [path];
    return readdirSync(path)
      .filter((f) => !f.startsWith('.'))
      .sort()
      .map((f) => join(path, f))
      .filter((f) => {
        try {
          return statSync(f).isFile();
        } catch (err) {
          throw new ShirabeError('fileUnreadable', { path: f, detail: err instanceof Error ? err.message : String(err) });
        }
      });
  });
  const files = paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw code === 'ENOENT' ? new ShirabeError('fileNotFound', { path }) : new ShirabeError('fileUnreadable', { path, detail: err instanceof Error ? err.message : String(err) });
    }
    return { path, name: basename(path), text: text.replace(/^\uFEFF/, '') };
  });
  // Files grouped by split: a types file (CoNLL04's conll04_types.json) goes with every group.
  const isTypes = (f: { name: string; text: string }) => request.format === 'conll04' && isConll04TypesFile(f);
  const types = files.filter(isTypes);
  const groups = new Map<SplitName, typeof files>();
  for (const f of files) {
    if (isTypes(f)) continue;
    const split = request.split ?? splitOfName(f.name) ?? 'train';
    groups.set(split, [...(groups.get(split) ?? []), f]);
  }
  if (groups.size === 0) throw new ShirabeError('annotationEmpty', { file: files.map((f) => f.name).join(', ') });
  const japanese = files.some((f) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(f.text));
  const segmenter = request.format === 'brat' && japanese ? await morphology() : undefined;
  const parsed: { split: SplitName; sentences: AnnotatedSentence[]; schema: EntitySchema }[] = [];
  for (const split of (['train', 'dev', 'test'] as const).filter((s) => groups.has(s))) {
    const r = parseAnnotations(request.format, [...types, ...groups.get(split)!].map((f) => ({ name: f.name, text: f.text })), { segmenter });
    parsed.push({ split, sentences: r.sentences, schema: r.schema });
  }
  // A relation joins two different entities (a table cell off the diagonal); one from an entity to itself cannot be learned or scored.
  for (const p of parsed) {
    p.sentences.forEach((sentence, i) => {
      sentence.relations.forEach((r, k) => {
        if (r.head === r.tail) throw new ShirabeError('annotationRelationSelf', { sentence: i + 1, source: sentence.source ?? p.split, relation: k, type: r.type });
      });
    });
  }
  const schema = mergeSchemas(parsed.map((p) => p.schema));
  const total = parsed.reduce((n, p) => n + p.sentences.length, 0);
  if (total === 0) throw new ShirabeError('annotationEmpty', { file: files.map((f) => f.name).join(', ') });

  const writer = store.corpora.beginImport({
    name,
    source: request.paths.join('; '),
    format: request.format,
    encoding: 'utf-8',
    options: { format: request.format, split: request.split, files: files.map((f) => f.name) },
    seed: 0,
    split: [1, 0, 0],
  });
  const splits: Record<SplitName, number> = { train: 0, dev: 0, test: 0 };
  let entities = 0;
  let relations = 0;
  try {
    const rows: { documentId: number; sentence: AnnotatedSentence; offsets: [number, number][] }[] = [];
    let line = 0;
    for (const p of parsed) {
      for (const sentence of p.sentences) {
        const { text, offsets } = sentence.text !== undefined && sentence.offsets ? { text: sentence.text, offsets: sentence.offsets } : joinedOffsets(sentence.words);
        const documentId = writer.add({ text, title: null, label: null, metadata: {}, line: ++line, sourceName: sentence.source, split: p.split });
        rows.push({ documentId, sentence, offsets });
        splits[p.split]++;
        entities += sentence.entities.length;
        relations += sentence.relations.length;
      }
    }
    store.entities.saveAnnotations(writer.corpusId, schema, rows);
    const summary = writer.commit();
    return { corpusId: summary.corpusId, name: summary.name, format: request.format, sentences: total, entities, relations, schema, splits, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    writer.rollback();
    throw err;
  }
}
