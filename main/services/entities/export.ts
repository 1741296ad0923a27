// An extraction's (or a trained extractor's test predictions') entities and relations as files a
// researcher reads elsewhere: CSV (two files, entities and relations, one row each, with the
// document, the sentence, character offsets in the document and the score) or JSONL (one sentence
// per line: CoNLL04's tokens, BILOU tags and relations, which the import reads back, with each
// entity's text, character offsets and probability beside them).
import { bilouFromSpans } from '../../../common/bilou';
import { csvBom, csvLine } from '../../../common/csv';
import type { ExtractedSentence } from '../../project/repositories/entities';
import { writeFileAtomically } from '../files';

export interface ExportDocument {
  documentId: number;
  text: string;
  sentences: ExtractedSentence[];
}

/** Where the relations file goes beside the entities file: "x.csv" → "x.relations.csv". */
export function relationsPathOf(path: string): string {
  return /\.csv$/i.test(path) ? path.replace(/\.csv$/i, '.relations.csv') : `${path}.relations.csv`;
}

const score = (s: number) => (Number.isFinite(s) ? s.toFixed(6) : '');

export function entitiesCsv(docs: readonly ExportDocument[]): { entities: string; relations: string } {
  let entities = csvBom + csvLine(['document_id', 'sentence', 'entity', 'type', 'text', 'char_start', 'char_end', 'word_start', 'word_end', 'score']);
  let relations = csvBom + csvLine(['document_id', 'sentence', 'type', 'head', 'head_type', 'head_text', 'tail', 'tail_type', 'tail_text', 'score']);
  for (const d of docs) {
    d.sentences.forEach((s, si) => {
      const at = (e: ExtractedSentence['entities'][number]) => [s.offsets[e.start][0], s.offsets[e.end - 1][1]] as const;
      s.entities.forEach((e, ei) => {
        const [a, b] = at(e);
        entities += csvLine([d.documentId, si, ei, e.type, d.text.slice(a, b), a, b, e.start, e.end, score(e.score)]);
      });
      for (const r of s.relations) {
        const h = s.entities[r.head];
        const t = s.entities[r.tail];
        relations += csvLine([d.documentId, si, r.type, r.head, h.type, d.text.slice(...at(h)), r.tail, t.type, d.text.slice(...at(t)), score(r.score)]);
      }
    });
  }
  return { entities, relations };
}

/** One JSON object per sentence: CoNLL04's tokens, tags and relations (head and tail index the entities), then the document, sentence index and entities with text, character offsets and score. */
export function entitiesJsonl(docs: readonly ExportDocument[]): string {
  let out = '';
  for (const d of docs) {
    d.sentences.forEach((s, si) => {
      const entities = s.entities.map((e) => {
        const start = s.offsets[e.start][0];
        const end = s.offsets[e.end - 1][1];
        return { start: e.start, end: e.end, type: e.type, text: d.text.slice(start, end), charStart: start, charEnd: end, score: e.score };
      });
      const tags = bilouFromSpans(s.words.length, s.entities);
      out += `${JSON.stringify({ tokens: s.words, tags, relations: s.relations, documentId: d.documentId, sentence: si, entities })}\n`;
    });
  }
  return out;
}

export function writeEntityExport(docs: readonly ExportDocument[], format: 'csv' | 'jsonl', outPath: string): string[] {
  if (format === 'jsonl') {
    writeFileAtomically(outPath, entitiesJsonl(docs));
    return [outPath];
  }
  const { entities, relations } = entitiesCsv(docs);
  const second = relationsPathOf(outPath);
  writeFileAtomically(outPath, entities);
  writeFileAtomically(second, relations);
  return [outPath, second];
}
