// What each corpus tab remembers while another tab is shown.
import type { DocumentPredictionQuery, KwicLine, KwicSort, SplitName } from '../../../../common/contract';

export interface DocumentsState {
  query: string;
  label: string | null;
  split: SplitName | null;
  /** A prediction run's labels as a column, with its filter and order (null: none shown). */
  prediction: DocumentPredictionQuery | null;
}

export const emptyDocumentsState: DocumentsState = { query: '', label: null, split: null, prediction: null };

export interface KwicState {
  word: string;
  width: number;
  sort: KwicSort;
  /** 'all' or a corpus id; null = follow the selected corpus. */
  corpus: 'all' | number | null;
  result: { total: number; lines: KwicLine[]; word: string } | null;
}

export const emptyKwicState: KwicState = { word: '', width: 30, sort: 'document', corpus: null, result: null };
