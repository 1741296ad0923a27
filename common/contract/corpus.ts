// Corpus: import (CSV, TSV, JSONL, Excel, a folder of .txt), browsing, full-text search, KWIC,
// statistics and the morphology cache.
import { z } from 'zod';
import type { ErrorInfo } from '../errors';
import { empty, id, job, limit, method, path, section } from './define';

export const importFormats = ['auto', 'csv', 'tsv', 'jsonl', 'xlsx', 'dir'] as const;
export type ImportFormat = (typeof importFormats)[number];
export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;
/** How a stored corpus was made: a file or folder import, or annotated sentences (the Entities workflow's import). */
export type CorpusFormat = ConcreteFormat | 'conll04' | 'conll' | 'brat';

export const encodings = ['auto', 'utf-8', 'utf-16', 'shift_jis', 'euc-jp'] as const;
export type EncodingChoice = (typeof encodings)[number];
export type Encoding = Exclude<EncodingChoice, 'auto'>;

export const splitNames = ['train', 'dev', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

const splitRatios = z.tuple([z.number(), z.number(), z.number()]);

/** Everything the user chooses in the import dialog; the CLI flags map 1:1 onto it. */
export const importOptionsSchema = z.object({
  name: z.string(),
  format: z.enum(importFormats),
  encoding: z.enum(encodings),
  /** CSV/TSV/xlsx: first row names the columns. Without it columns are "1", "2", …. */
  hasHeader: z.boolean(),
  /** Excel: sheet name; empty = first sheet. */
  sheet: z.string(),
  /** Column (CSV/TSV/xlsx header name or 1-based number as a string; JSONL key) holding the text. */
  textColumn: z.string(),
  titleColumn: z.string().nullable(),
  labelColumn: z.string().nullable(),
  /** Columns stored as metadata JSON; null = every column not used above. */
  metadataColumns: z.array(z.string()).nullable(),
  /** Folder of .txt: the first N lines of each file become fields (e.g. url, date, title). */
  headerLines: z.number().int(),
  /** Names for those N lines; a line named "title" fills the title. */
  headerFields: z.array(z.string()),
  skipBadRows: z.boolean(),
  split: splitRatios,
  seed: z.number().int(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const defaultImportOptions: ImportOptions = {
  name: '',
  format: 'auto',
  encoding: 'auto',
  hasHeader: true,
  sheet: '',
  textColumn: '',
  titleColumn: null,
  labelColumn: null,
  metadataColumns: null,
  headerLines: 0,
  headerFields: [],
  skipBadRows: false,
  split: [0.8, 0.1, 0.1],
  seed: 42,
};

export interface EncodingGuess {
  encoding: Encoding;
  /** 0..1: share of the sampled bytes that decode cleanly and plausibly in this encoding. */
  confidence: number;
  hasBom: boolean;
}

export interface ImportPreview {
  path: string;
  format: ConcreteFormat;
  /** What was detected; the options used for the preview may override it. */
  detectedEncoding: EncodingGuess;
  encoding: Encoding;
  /** Other encodings that also decode the sample, best first. */
  candidates: EncodingGuess[];
  sheets: string[];
  columns: string[];
  /** The first rows as the importer would read them, as strings by column. */
  rows: Record<string, string>[];
  /** For a folder: number of .txt files and the labels (subfolder names) found. */
  fileCount: number;
  labels: string[];
  /** Suggested column choices (text = longest average string column, label = few distinct values). */
  suggested: { textColumn: string; titleColumn: string | null; labelColumn: string | null };
  totalBytes: number;
}

export interface BadRow {
  line: number;
  error: ErrorInfo;
}

export interface ImportReport {
  corpusId: number;
  name: string;
  documents: number;
  emptySkipped: number;
  duplicates: number;
  badRows: BadRow[];
  badRowCount: number;
  encoding: Encoding;
  format: ConcreteFormat;
  splits: Record<SplitName, number>;
  seconds: number;
}
export interface CorpusSummary {
  id: number;
  name: string;
  documents: number;
  createdAt: string;
  source: string;
  format: CorpusFormat;
  encoding: Encoding;
  seed: number;
  split: [number, number, number];
  labels: { label: string; count: number }[];
  splits: Record<SplitName, number>;
  emptySkipped: number;
  duplicates: number;
  badRows: number;
}

/** [start, end) character offsets (UTF-16 code units, as JavaScript strings index). */
export type Span = [number, number];

export interface DocumentRow {
  id: number;
  corpusId: number;
  ordinal: number;
  title: string | null;
  label: string | null;
  split: SplitName;
  chars: number;
  duplicateOf: number | null;
  /** A window of text; with a query, around the first hit, with all hits in it highlighted. */
  snippet: { text: string; highlights: Span[] };
  /** What the query's prediction run predicted for the document (only when the query names one; null where the run has not reached it). */
  prediction?: { labels: string[]; confidence: number } | null;
}

export interface DocumentDetail {
  id: number;
  corpusId: number;
  ordinal: number;
  title: string | null;
  label: string | null;
  split: SplitName;
  text: string;
  metadata: Record<string, string>;
  duplicateOf: number | null;
}

export interface Morpheme {
  surface: string;
  /** e.g. 名詞, with sub-categories as in IPADIC: 名詞,固有名詞,地域,一般 */
  pos: string;
  posDetail: string[];
  baseForm: string;
  reading: string;
  pronunciation: string;
  start: number;
  end: number;
}

export interface DocumentQuery {
  corpusId: number;
  query: string;
  label: string | null;
  split: SplitName | null;
  offset: number;
  limit: number;
  /** A prediction run's labels beside each row, filtered by a predicted label and sorted by confidence if asked (left out: none). */
  prediction?: DocumentPredictionQuery | null;
}

export const documentSorts = ['ordinal', 'confidence-desc', 'confidence-asc'] as const;
export type DocumentSort = (typeof documentSorts)[number];

export interface DocumentPredictionQuery {
  runId: number;
  /** Only the documents predicted as this label. */
  label: string | null;
  sort: DocumentSort;
}

export interface KwicLine {
  documentId: number;
  title: string | null;
  label: string | null;
  /** Offset of the keyword in the document text. */
  start: number;
  left: string;
  keyword: string;
  right: string;
}

export type KwicSort = 'document' | 'left' | 'right';

export interface Histogram {
  /** Bin edges, length = counts.length + 1; bin i is [edges[i], edges[i+1]) except the last, which is closed. */
  edges: number[];
  counts: number[];
}

export interface CorpusStats {
  corpusId: number;
  documents: number;
  labels: { label: string; count: number }[];
  splits: Record<SplitName, number>;
  unit: 'chars' | 'morphemes';
  histogram: Histogram;
  mean: number;
  median: number;
  min: number;
  max: number;
  emptySkipped: number;
  duplicates: number;
  /** For morphemes: how many documents have been analysed (cache); the rest need a job. */
  analysed: number;
}
/** What a document can be grouped by on a map: its gold label, its split, or one metadata field. */
export type FacetKind = 'label' | 'split' | 'metadata';

export interface CorpusFacet {
  name: string;
  kind: FacetKind;
  /** The field's distinct values, most frequent first (ties in code-point order). */
  values: string[];
  /** [n] each document's value as an index into values, -1 where the document has none. */
  codes: Int32Array;
}

export interface CorpusFacets {
  /** [n] the corpus's documents in ordinal order; every field's codes follow it. */
  documentIds: Int32Array;
  /** The gold label (when any document has one), the split, then the metadata fields in order of first appearance. */
  fields: CorpusFacet[];
}

export interface CorpusKeyword {
  word: string;
  /** c-TF-IDF of the word in the selection, with the rest of the corpus as the other class. */
  score: number;
  /** Occurrences in the selected documents. */
  count: number;
  /** Selected documents that contain it. */
  documents: number;
  /** P(word | selection) / P(word | corpus), over documents. */
  lift: number;
}

export interface CorpusKeywords {
  words: CorpusKeyword[];
  /** Selected documents the words were counted over (those with a morphological analysis). */
  selected: number;
  /** Documents without a cached analysis that were left out: of the selection and of the whole corpus (analyse the corpus to include them). */
  unanalysed: { selected: number; corpus: number };
}

const byDocument = z.object({ documentId: id });

export const corpus = section({
  methods: {
    'import.preview': method<ImportPreview>()(z.object({ path, options: importOptionsSchema.partial() })),
    'import.start': method<{ jobId: string }>()(z.object({ path, options: importOptionsSchema })),

    'corpus.list': method<CorpusSummary[]>()(empty),
    'corpus.documents': method<{ total: number; rows: DocumentRow[] }>()(
      z.object({
        corpusId: id,
        query: z.string(),
        label: z.string().nullable(),
        split: z.enum(splitNames).nullable(),
        offset: z.number().int().nonnegative(),
        limit,
        prediction: z.object({ runId: id, label: z.string().nullable(), sort: z.enum(documentSorts) }).nullable().optional(),
      }),
    ),
    'corpus.document': method<DocumentDetail>()(byDocument),
    'corpus.morphology': method<Morpheme[]>()(byDocument),
    'corpus.kwic': method<{ total: number; lines: KwicLine[] }>()(
      z.object({
        corpusId: id.nullable(),
        word: z.string(),
        width: z.number().int().min(1).max(500),
        sort: z.enum(['document', 'left', 'right']),
        limit,
      }),
    ),
    'corpus.stats': method<CorpusStats>()(
      z.object({ corpusId: id, unit: z.enum(['chars', 'morphemes']), bins: z.number().int().min(1).max(200) }),
    ),
    /** Each document's gold label, split and metadata fields, for colouring a map by any of them. */
    'corpus.facets': method<CorpusFacets>()(z.object({ corpusId: id })),
    /** The ids of every document matching a search (as corpus.documents matches), ordinal order. */
    'corpus.matches': method<{ documentIds: Int32Array }>()(z.object({ corpusId: id, query: z.string() })),
    /**
     * The words most over-represented in a set of documents against the rest of their corpus, by
     * c-TF-IDF over their cached MeCab morphemes; a few unanalysed documents are analysed first,
     * more are left out and counted in the result.
     */
    'corpus.keywords': method<CorpusKeywords>()(
      z.object({ corpusId: id, documentIds: z.array(id).min(1).max(1_000_000), limit: z.number().int().min(1).max(200) }),
    ),
    /** Analyses every not-yet-analysed document of a corpus as a job (for the morpheme histogram). */
    'corpus.analyse': method<{ jobId: string }>()(z.object({ corpusId: id })),
  },
  jobs: { import: job<ImportReport>(), morphology: job<{ documents: number }>() },
});
