// What each corpus tab remembers while another tab is shown.
import type { KwicLine, KwicSort, SplitName } from '../../../../common/contract';

export interface DocumentsState {
  query: string;
  label: string | null;
  split: SplitName | null;
}

export const emptyDocumentsState: DocumentsState = { query: '', label: null, split: null };

export interface KwicState {
  word: string;
  width: number;
  sort: KwicSort;
  /** 'all' or a corpus id; null = follow the selected corpus. */
  corpus: 'all' | number | null;
  result: { total: number; lines: KwicLine[]; word: string } | null;
}

export const emptyKwicState: KwicState = { word: '', width: 30, sort: 'document', corpus: null, result: null };
