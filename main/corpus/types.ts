import type { BadRow, SplitName } from '../../common/contract';

/** One document as a reader yields it, before it is stored. */
export interface DocumentInput {
  text: string;
  title: string | null;
  label: string | null;
  metadata: Record<string, string>;
  /** 1-based line (CSV/TSV/JSONL: physical line where the record starts; xlsx: row; folder: file ordinal). */
  line: number;
  /** Folder import: the file's path relative to the folder. */
  sourceName?: string;
  /** A split the source itself gives (annotated data: its train/dev/test files); when any document has one, none is drawn. */
  split?: SplitName;
}

export type ReadItem =
  | { kind: 'document'; document: DocumentInput }
  | { kind: 'empty'; line: number }
  | { kind: 'bad'; bad: BadRow };

export interface ReadHooks {
  signal?: AbortSignal;
  /** Called as bytes (or files, for a folder) are consumed, for progress and ETA. */
  onProgress?: (done: number, total: number) => void;
}
