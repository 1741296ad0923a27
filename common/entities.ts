// Annotated sentences for joint entity and relation extraction: what every import format
// (CoNLL04 JSON, CoNLL columns, brat standoff) becomes and what the table-filling model,
// its decoding and its metrics read. Plain data; word indices, never character offsets,
// except where a sentence keeps its text for the viewer.

/** An entity mention: words [start, end) of its sentence and its type ("Peop"). */
export interface EntitySpan {
  start: number;
  end: number;
  type: string;
}

/** A directed relation between two entities of a sentence, by their index in `entities` (sorted by start). */
export interface RelationTriple {
  head: number;
  tail: number;
  type: string;
}

export interface AnnotatedSentence {
  words: string[];
  /** Entities sorted by start word; never overlapping. */
  entities: EntitySpan[];
  relations: RelationTriple[];
  /** The sentence's text and each word's [start, end) in it (UTF-16), where the source gives them (brat, Japanese text). */
  text?: string;
  offsets?: [number, number][];
  /** Where the sentence came from: a document name or the source's id (CoNLL04's orig_id), for the viewer. */
  source?: string;
}

/** The entity and relation types of a dataset, in a fixed order (the label indices). */
export interface EntitySchema {
  entityTypes: string[];
  relationTypes: string[];
}
