// From a record (column → value) to a DocumentInput, and the column suggestions of the preview.
import type { ImportOptions } from '../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../common/errors';
import type { ReadHooks, ReadItem } from './types';

export interface Mapping {
  text: string;
  title: string | null;
  label: string | null;
  metadata: string[];
}

/** A column named by header name, or (CSV/xlsx) by 1-based number. */
export function resolveColumn(column: string, columns: readonly string[], byNumber: boolean): string {
  if (columns.includes(column)) return column;
  if (byNumber && /^\d+$/.test(column)) {
    const n = Number(column);
    if (n >= 1 && n <= columns.length) return columns[n - 1];
  }
  throw new ShirabeError('columnMissing', { column, columns: columns.join(', ') });
}

export function resolveMapping(
  options: Pick<ImportOptions, 'textColumn' | 'titleColumn' | 'labelColumn' | 'metadataColumns'>,
  columns: readonly string[],
  byNumber: boolean,
): Mapping {
  const text = resolveColumn(options.textColumn, columns, byNumber);
  const title = options.titleColumn ? resolveColumn(options.titleColumn, columns, byNumber) : null;
  const label = options.labelColumn ? resolveColumn(options.labelColumn, columns, byNumber) : null;
  const used = new Set([text, title, label].filter((c): c is string => c !== null));
  const metadata =
    options.metadataColumns === null
      ? columns.filter((c) => !used.has(c))
      : options.metadataColumns.map((c) => resolveColumn(c, columns, byNumber));
  return { text, title, label, metadata };
}

/** Metadata values are strings: non-strings are stored as JSON. */
export function asString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function optional(value: unknown): string | null {
  const s = asString(value);
  return s === null || s.trim() === '' ? null : s;
}

/** One record as a ReadItem; a text that is not a string is a bad row. */
export function mapRecord(
  record: Record<string, unknown>,
  line: number,
  mapping: Mapping,
  extra?: { label?: string | null; sourceName?: string },
): ReadItem | ErrorInfo {
  const raw = record[mapping.text];
  if (raw === undefined || raw === null) return { kind: 'empty', line };
  if (typeof raw !== 'string') return { code: 'textNotString', params: { line, column: mapping.text } };
  if (raw.trim() === '') return { kind: 'empty', line };
  const metadata: Record<string, string> = {};
  for (const c of mapping.metadata) {
    const v = asString(record[c]);
    if (v !== null) metadata[c] = v;
  }
  const label = extra && extra.label !== undefined ? extra.label : mapping.label ? optional(record[mapping.label]) : null;
  return {
    kind: 'document',
    document: {
      text: raw,
      title: mapping.title ? optional(record[mapping.title]) : null,
      label,
      metadata,
      line,
      ...(extra?.sourceName !== undefined ? { sourceName: extra.sourceName } : {}),
    },
  };
}

export function isErrorInfo(x: ReadItem | ErrorInfo): x is ErrorInfo {
  return 'code' in x;
}

/** A bad row: thrown, or (skipBadRows) reported as an item. */
export function badRow(line: number, error: ErrorInfo, skip: boolean): ReadItem {
  if (!skip) throw ShirabeError.from(error);
  return { kind: 'bad', bad: { line, error } };
}

export function checkAborted(hooks: ReadHooks): void {
  if (hooks.signal?.aborted) throw new ShirabeError('cancelled');
}

// ---------------------------------------------------------------- suggestions

const titleNames = /^(title|titles|headline|subject|タイトル|見出し|表題|題名|件名)$/i;
const labelNames = /^(label|labels|category|class|tag|genre|カテゴリ|カテゴリー|ラベル|分類|ジャンル)$/i;

interface ColumnStats {
  column: string;
  meanLength: number;
  distinct: number;
  nonEmpty: number;
  numeric: boolean;
}

function statsOf(column: string, rows: readonly Record<string, string>[]): ColumnStats {
  let total = 0;
  let nonEmpty = 0;
  let numeric = true;
  const values = new Set<string>();
  for (const r of rows) {
    const v = r[column] ?? '';
    total += v.length;
    if (v.trim() !== '') {
      nonEmpty++;
      values.add(v);
      if (numeric && !/^\s*-?[\d.,:/ -]+\s*$/.test(v)) numeric = false;
    }
  }
  return { column, meanLength: rows.length ? total / rows.length : 0, distinct: values.size, nonEmpty, numeric: numeric && nonEmpty > 0 };
}

/**
 * text = the column with the longest mean length; label = few distinct short values (≤ 50 and
 * at most half the rows); title = a column named like a title, else the longest remaining short
 * column whose values are mostly distinct.
 */
export function suggestColumns(
  columns: readonly string[],
  rows: readonly Record<string, string>[],
): { textColumn: string; titleColumn: string | null; labelColumn: string | null } {
  if (columns.length === 0) return { textColumn: '', titleColumn: null, labelColumn: null };
  const stats = columns.map((c) => statsOf(c, rows));
  const byLength = [...stats].sort((a, b) => b.meanLength - a.meanLength);
  const text = byLength[0].column;
  const n = rows.length;
  const labelOk = (s: ColumnStats) =>
    s.column !== text && s.nonEmpty > 0 && s.distinct <= 50 && s.distinct <= n / 2 && s.meanLength <= 30 && s.distinct < n;
  const labelCandidates = stats.filter(labelOk);
  const namedLabel = labelCandidates.find((s) => labelNames.test(s.column.trim()));
  const label =
    namedLabel ??
    labelCandidates.filter((s) => !s.numeric && s.distinct >= 2).sort((a, b) => a.distinct - b.distinct)[0] ??
    null;
  const namedTitle = stats.find((s) => s.column !== text && s.column !== label?.column && titleNames.test(s.column.trim()));
  const title =
    namedTitle ??
    byLength.find(
      (s) =>
        s.column !== text &&
        s.column !== label?.column &&
        !s.numeric &&
        s.nonEmpty > 0 &&
        s.meanLength <= 100 &&
        s.distinct >= Math.max(1, s.nonEmpty * 0.5),
    ) ??
    null;
  return { textColumn: text, titleColumn: title?.column ?? null, labelColumn: label?.column ?? null };
}
