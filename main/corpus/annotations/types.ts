// What every annotation parser takes and gives, and the schema they build as they read: types in
// the order first seen (the label indices follow it, so the same files always give the same model
// outputs), unless a types file fixes the order first.
import type { AnnotatedSentence, EntitySchema } from '../../../common/entities';

export type AnnotationFileFormat = 'conll04' | 'conll' | 'brat';

/** One file as read from disk: its name (for messages and brat pairing) and its text (BOM removed). */
export interface AnnotationFile {
  name: string;
  text: string;
}

/** main/ml/tokenizers/types.ts's WordSegmenter, restated (main/corpus may import only common/; the shapes match). */
export interface WordSegmenter {
  segment(text: string): { surface: string; start: number; end: number }[];
}

/**
 * Anything that cuts Japanese into words with offsets: a WordSegmenter, or the corpus's Morphology
 * (its analyse() gives morphemes with offsets; it has no segment(), so it is adapted here rather
 * than changed for this one caller).
 */
export type Segmenter = WordSegmenter | { analyse(text: string): { surface: string; start: number; end: number }[] };

export interface ParseOptions {
  /** Cuts Japanese (CJK) brat text into words; without it such text falls back to runs of one script. */
  segmenter?: Segmenter;
}

/** What was read but not imported (brat's events, attributes, notes; files that are not .txt/.ann). Never an error. */
export interface AnnotationWarnings {
  events: number;
  attributes: number;
  normalizations: number;
  notes: number;
  ignoredFiles: string[];
}

export interface ParsedAnnotations {
  sentences: AnnotatedSentence[];
  schema: EntitySchema;
  warnings: AnnotationWarnings;
}

export function noWarnings(): AnnotationWarnings {
  return { events: 0, attributes: 0, normalizations: 0, notes: 0, ignoredFiles: [] };
}

/** Collects entity and relation types in first-seen order. */
export class SchemaBuilder {
  private readonly entities = new Set<string>();
  private readonly relations = new Set<string>();
  entity(type: string): void {
    this.entities.add(type);
  }
  relation(type: string): void {
    this.relations.add(type);
  }
  build(): EntitySchema {
    return { entityTypes: [...this.entities], relationTypes: [...this.relations] };
  }
}

/** Words of `text` with offsets, from either kind of segmenter; whitespace-only pieces dropped. */
export function segmentWith(segmenter: Segmenter, text: string): { surface: string; start: number; end: number }[] {
  const pieces = 'segment' in segmenter ? segmenter.segment(text) : segmenter.analyse(text);
  return pieces.filter((p) => p.end > p.start && p.surface.trim() !== '').map((p) => ({ surface: text.slice(p.start, p.end), start: p.start, end: p.end }));
}
