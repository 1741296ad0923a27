// Readers for every import format. previewImport looks at a sample only; readDocuments streams
// the whole input (file → decoder → CSV parser / line splitter) and yields one item per record.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { extname } from 'node:path';
import {
  defaultImportOptions,
  type ConcreteFormat,
  type Encoding,
  type EncodingGuess,
  type ImportOptions,
  type ImportPreview,
} from '../../common/contract';
import { ShirabeError, type ErrorInfo } from '../../common/errors';
import { validateSeed, validateSplit } from './splits';
import { CsvParser, type CsvEvent } from './csvParser';
import { assertNotBinary, decoderFor, detectEncoding, type EncodingDetection } from './encoding';
import { badRow, checkAborted, isErrorInfo, mapRecord, resolveMapping, suggestColumns, type Mapping } from './mapping';
import {
  decodeFile,
  detectFolderEncoding,
  headerNames,
  listTextFiles,
  parseTextFile,
  readHead,
  type TextFile,
} from './textFolder';
import type { ReadHooks, ReadItem } from './types';
import { readSheet } from './xlsxSheet';

/** Bytes read for detection and the preview. */
const sampleBytes = 1024 * 1024;
const previewRows = 20;
/** Rows the column suggestions look at. */
const statsRows = 500;
/** Files of a folder sampled for its encoding. */
const folderSampleFiles = 24;
export const maxHeaderLines = 20;

// ---------------------------------------------------------------- options

function validateHeaderLines(headerLines: number): void {
  if (!Number.isInteger(headerLines) || headerLines < 0 || headerLines > maxHeaderLines) {
    throw new ShirabeError('headerLinesTooMany', { max: maxHeaderLines, value: String(headerLines) });
  }
}

/** Throws the first problem with the options a researcher chose. */
export function validateImportOptions(options: ImportOptions): void {
  validateSplit(options.split);
  validateSeed(options.seed);
  validateHeaderLines(options.headerLines);
  if (options.name.trim() === '') throw new ShirabeError('corpusNameRequired');
  if (options.format !== 'auto' && options.format !== 'dir' && options.textColumn === '') {
    throw new ShirabeError('textColumnRequired');
  }
}

// ---------------------------------------------------------------- files

function fsError(err: unknown, path: string): ShirabeError {
  if (err instanceof ShirabeError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ShirabeError('fileNotFound', { path }, { cause: err });
  const detail = err instanceof Error ? err.message : String(err);
  return new ShirabeError('fileUnreadable', { path, detail }, { cause: err });
}

async function statPath(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    throw fsError(err, path);
  }
}

async function sampleOf(path: string, size: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  try {
    const bytes = await readHead(path, Math.min(size, sampleBytes));
    return { bytes, complete: bytes.length >= size };
  } catch (err) {
    throw fsError(err, path);
  }
}

function firstLine(bytes: Uint8Array): string {
  const end = bytes.indexOf(0x0a);
  return Buffer.from(bytes.subarray(0, end < 0 ? Math.min(bytes.length, 4096) : end)).toString('latin1');
}

/** The format: chosen, or from the extension (and, where that says little, the content). */
export function detectFormat(path: string, st: Stats, chosen: ImportOptions['format'], head: Uint8Array | null): ConcreteFormat {
  if (chosen === 'dir') {
    if (!st.isDirectory()) throw new ShirabeError('notADirectory', { path });
    return 'dir';
  }
  if (st.isDirectory()) {
    if (chosen === 'auto') return 'dir';
    throw new ShirabeError('unknownFormat', { path });
  }
  if (chosen !== 'auto') return chosen;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (head && (ext === '.txt' || ext === '')) {
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 && ext === '') return 'xlsx';
    const line = firstLine(head);
    if (ext === '' && /^\s*\{/.test(line.replace(/^\u00ef\u00bb\u00bf/, ''))) return 'jsonl';
    if (line.includes('\t')) return 'tsv';
    if (line.includes(',')) return 'csv';
    if (ext === '.txt') return 'tsv'; // one column: each line a document
  }
  throw new ShirabeError('unknownFormat', { path });
}

function resolveEncoding(
  sample: Uint8Array,
  choice: ImportOptions['encoding'],
  path: string,
): { detection: EncodingDetection; encoding: Encoding } {
  let detection: EncodingDetection;
  if (choice === 'utf-16') {
    // Forced UTF-16 without a BOM has NUL bytes: no binary check.
    try {
      detection = detectEncoding(sample, path);
    } catch {
      detection = { best: { encoding: 'utf-16', confidence: 0.5, hasBom: false }, candidates: [] };
    }
  } else detection = detectEncoding(sample, path);
  return { detection, encoding: choice === 'auto' ? detection.best.encoding : choice };
}

// ---------------------------------------------------------------- tabular records

function delimiterOf(format: ConcreteFormat): string {
  return format === 'tsv' ? '\t' : ',';
}

/** Header names, checked for duplicates; empty names become their column number. */
function headerColumns(fields: readonly string[]): string[] {
  const columns = fields.map((f, i) => (f.trim() === '' ? String(i + 1) : f));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ShirabeError('csvDuplicateHeader', { column: c });
    seen.add(c);
  }
  return columns;
}

function numberedColumns(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i + 1));
}

function toRecord(columns: readonly string[], fields: readonly string[]): Record<string, string> {
  const r: Record<string, string> = {};
  columns.forEach((c, i) => {
    r[c] = fields[i] ?? '';
  });
  return r;
}

interface EncodingContext {
  encoding: Encoding;
  detected: Encoding;
}

function undecodable(line: number, enc: EncodingContext): ErrorInfo {
  return { code: 'encodingInvalid', params: { line, encoding: enc.encoding, detected: enc.detected } };
}

/**
 * Turns CSV events into records: the first (with hasHeader) names the columns, the rest are
 * checked for field count and undecodable bytes. Shared by the preview and the reader.
 */
class CsvRecords {
  columns: string[] | null = null;
  constructor(
    private readonly hasHeader: boolean,
    private readonly enc: EncodingContext,
  ) {}

  /** A record, a bad row (as ErrorInfo with its line), or null for the header. */
  take(e: CsvEvent): { line: number; record: Record<string, string> } | { line: number; error: ErrorInfo; fatal: boolean } | null {
    if (e.kind === 'fatal') return { line: e.line, error: e.error, fatal: true };
    if (this.columns === null) {
      // The first row fixes the columns: a problem here is a problem of the whole file.
      if (e.kind === 'bad') throw ShirabeError.from(e.error);
      if (e.fields.some((f) => f.includes('\ufffd'))) {
        const err = undecodable(e.line, this.enc);
        throw ShirabeError.from(err);
      }
      if (this.hasHeader) {
        this.columns = headerColumns(e.fields);
        return null;
      }
      this.columns = numberedColumns(e.fields.length);
    }
    if (e.kind === 'bad') return { line: e.line, error: e.error, fatal: false };
    if (e.fields.length !== this.columns.length) {
      return {
        line: e.line,
        error: { code: 'csvFieldCount', params: { line: e.line, expected: this.columns.length, found: e.fields.length } },
        fatal: false,
      };
    }
    if (e.fields.some((f) => f.includes('\ufffd'))) return { line: e.line, error: undecodable(e.line, this.enc), fatal: false };
    return { line: e.line, record: toRecord(this.columns, e.fields) };
  }
}

/** One JSONL line: an object, a bad row, or null for a blank line. */
function parseJsonLine(
  raw: string,
  line: number,
  enc: EncodingContext,
): { record: Record<string, unknown> } | { error: ErrorInfo } | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return null;
  if (text.includes('\ufffd')) return { error: undecodable(line, enc) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: { code: 'jsonlInvalid', params: { line, detail: err instanceof Error ? err.message : String(err) } } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: { code: 'jsonlNotObject', params: { line } } };
  }
  return { record: value as Record<string, unknown> };
}

/** Splits text into lines across chunks. */
class LineSplitter {
  private pending = '';
  push(text: string): string[] {
    const all = this.pending + text;
    const lines = all.split('\n');
    this.pending = lines.pop() ?? '';
    return lines;
  }
  end(): string[] {
    const last = this.pending;
    this.pending = '';
    return last === '' ? [] : [last];
  }
}

// ---------------------------------------------------------------- preview

interface Sampled {
  columns: string[];
  rows: Record<string, string>[];
  statsRows: Record<string, string>[];
}

function sampleCsv(text: string, complete: boolean, delimiter: string, hasHeader: boolean, enc: EncodingContext): Sampled {
  const parser = new CsvParser(delimiter);
  const events = parser.push(text);
  if (complete) events.push(...parser.end());
  const records = new CsvRecords(hasHeader, enc);
  const rows: Record<string, string>[] = [];
  for (const e of events) {
    const r = records.take(e);
    if (r && 'record' in r) rows.push(r.record);
    if (rows.length >= statsRows) break;
  }
  return { columns: records.columns ?? [], rows: rows.slice(0, previewRows), statsRows: rows };
}

function sampleJsonl(text: string, complete: boolean, enc: EncodingContext): Sampled {
  const lines = text.split('\n');
  if (!complete) lines.pop(); // possibly cut
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: Record<string, string>[] = [];
  const objects: Record<string, unknown>[] = [];
  lines.forEach((raw, i) => {
    if (objects.length >= statsRows) return;
    const parsed = parseJsonLine(raw, i + 1, enc);
    if (!parsed || 'error' in parsed) return;
    objects.push(parsed.record);
    for (const k of Object.keys(parsed.record)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  });
  for (const o of objects) {
    const r: Record<string, string> = {};
    for (const c of columns) {
      const v = o[c];
      r[c] = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    }
    rows.push(r);
  }
  return { columns, rows: rows.slice(0, previewRows), statsRows: rows };
}

function xlsxColumns(firstRow: readonly string[], width: number, hasHeader: boolean): string[] {
  if (hasHeader) return headerColumns(firstRow);
  return numberedColumns(width);
}

function emptyPreviewFields(path: string, format: ConcreteFormat, st: Stats) {
  return { path, format, sheets: [] as string[], fileCount: 0, labels: [] as string[], totalBytes: st.size };
}

/** What the import dialog shows: format, encoding, columns, the first rows, suggestions. */
export async function previewImport(path: string, partial: Partial<ImportOptions>): Promise<ImportPreview> {
  const options: ImportOptions = { ...defaultImportOptions, ...partial };
  const st = await statPath(path);
  if (st.isDirectory() || options.format === 'dir') {
    detectFormat(path, st, options.format, null);
    return previewFolder(path, options);
  }
  if (st.size === 0) throw new ShirabeError('fileEmpty', { path });
  const sample = await sampleOf(path, st.size);
  const format = detectFormat(path, st, options.format, sample.bytes);
  const base = emptyPreviewFields(path, format, st);
  if (format === 'xlsx') {
    const table = await readSheet(path, options.sheet);
    const width = table.rows.reduce((w, r) => Math.max(w, r.cells.length), 0);
    const columns = xlsxColumns(table.rows[0].cells, table.rows[0].cells.length, options.hasHeader);
    const dataRows = (options.hasHeader ? table.rows.slice(1) : table.rows).slice(0, statsRows);
    const cols = options.hasHeader ? columns : numberedColumns(width);
    const rows = dataRows.map((r) => toRecord(cols, r.cells));
    const guess: EncodingGuess = { encoding: 'utf-8', confidence: 1, hasBom: false };
    return {
      ...base,
      detectedEncoding: guess,
      encoding: 'utf-8',
      candidates: [guess],
      sheets: table.sheets,
      columns: cols,
      rows: rows.slice(0, previewRows),
      suggested: suggestColumns(cols, rows),
    };
  }
  const { detection, encoding } = resolveEncoding(sample.bytes, options.encoding, path);
  const decoder = decoderFor(encoding);
  let text = decoder.write(sample.bytes);
  if (sample.complete) text += decoder.end();
  if (sample.complete && text.trim() === '') throw new ShirabeError('fileEmpty', { path });
  const enc: EncodingContext = { encoding, detected: detection.best.encoding };
  const sampled =
    format === 'jsonl'
      ? sampleJsonl(text, sample.complete, enc)
      : sampleCsv(text, sample.complete, delimiterOf(format), options.hasHeader, enc);
  return {
    ...base,
    detectedEncoding: detection.best,
    encoding,
    candidates: detection.candidates,
    columns: sampled.columns,
    rows: sampled.rows,
    suggested: suggestColumns(sampled.columns, sampled.statsRows),
  };
}

function folderColumns(names: readonly string[]): string[] {
  const columns = [...names];
  if (!columns.includes('text')) columns.push('text');
  if (!columns.includes('label')) columns.push('label');
  return columns;
}

async function folderFiles(path: string): Promise<TextFile[]> {
  let files: TextFile[];
  try {
    files = await listTextFiles(path);
  } catch (err) {
    throw fsError(err, path);
  }
  if (files.length === 0) throw new ShirabeError('directoryEmpty', { path });
  return files;
}

/** A few files from each folder, so every label's folder has a say in the encoding. */
function encodingSample(files: readonly TextFile[]): TextFile[] {
  const byFolder = new Map<string, TextFile[]>();
  for (const f of files) {
    const key = f.label ?? '';
    const list = byFolder.get(key) ?? [];
    if (list.length < 3) list.push(f);
    byFolder.set(key, list);
  }
  return [...byFolder.values()].flat().slice(0, folderSampleFiles);
}

async function previewFolder(path: string, options: ImportOptions): Promise<ImportPreview> {
  validateHeaderLines(options.headerLines);
  const files = await folderFiles(path);
  const detection = await detectFolderEncoding(encodingSample(files));
  const encoding = options.encoding === 'auto' ? detection.best.encoding : options.encoding;
  const names = headerNames(options.headerLines, options.headerFields);
  const columns = folderColumns(names);
  const rows: Record<string, string>[] = [];
  for (const f of files.slice(0, previewRows)) {
    const bytes = await readFile(f.full);
    const { fields, text } = parseTextFile(decodeFile(bytes, encoding, f.full), names);
    rows.push({ ...fields, text, label: f.label ?? '' });
  }
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.full)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const labels = [...new Set(files.map((f) => f.label).filter((l): l is string => l !== null))].sort();
  return {
    path,
    format: 'dir',
    detectedEncoding: detection.best,
    encoding,
    candidates: detection.candidates,
    sheets: [],
    columns,
    rows,
    fileCount: files.length,
    labels,
    suggested: {
      textColumn: 'text',
      titleColumn: names.includes('title') ? 'title' : null,
      labelColumn: labels.length > 0 ? 'label' : null,
    },
    totalBytes,
  };
}

// ---------------------------------------------------------------- reading

/** Streams and decodes a file, reporting progress in bytes. */
async function* decodedChunks(path: string, encoding: Encoding, total: number, hooks: ReadHooks): AsyncGenerator<string> {
  const decoder = decoderFor(encoding);
  let done = 0;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      checkAborted(hooks);
      if (encoding !== 'utf-16') assertNotBinary(chunk, path, done);
      done += chunk.length;
      const text = decoder.write(chunk);
      if (text) yield text;
      hooks.onProgress?.(done, total);
    }
  } catch (err) {
    throw fsError(err, path);
  } finally {
    stream.destroy();
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Streams the documents of a file or folder. Bad rows are thrown, or with skipBadRows
 * yielded as 'bad' items; an abort of hooks.signal throws 'cancelled'.
 */
export async function* readDocuments(path: string, options: ImportOptions, hooks: ReadHooks = {}): AsyncGenerator<ReadItem> {
  checkAborted(hooks);
  const st = await statPath(path);
  if (st.isDirectory() || options.format === 'dir') {
    detectFormat(path, st, options.format, null);
    yield* readFolder(path, options, hooks);
    return;
  }
  if (st.size === 0) throw new ShirabeError('fileEmpty', { path });
  const sample = await sampleOf(path, st.size);
  const format = detectFormat(path, st, options.format, sample.bytes);
  if (options.textColumn === '') throw new ShirabeError('textColumnRequired');
  if (format === 'xlsx') {
    yield* readXlsx(path, options, st.size, hooks);
    return;
  }
  const { detection, encoding } = resolveEncoding(sample.bytes, options.encoding, path);
  const enc: EncodingContext = { encoding, detected: detection.best.encoding };
  if (format === 'jsonl') yield* readJsonl(path, options, enc, sample, st.size, hooks);
  else yield* readCsv(path, options, delimiterOf(format), enc, st.size, hooks);
}

async function* readCsv(
  path: string,
  options: ImportOptions,
  delimiter: string,
  enc: EncodingContext,
  total: number,
  hooks: ReadHooks,
): AsyncGenerator<ReadItem> {
  const parser = new CsvParser(delimiter);
  const records = new CsvRecords(options.hasHeader, enc);
  let mapping: Mapping | null = null;
  let sawRow = false;
  function* handle(events: CsvEvent[]): Generator<ReadItem, boolean> {
    for (const e of events) {
      checkAborted(hooks);
      const r = records.take(e);
      if (r === null) continue;
      sawRow = true;
      mapping ??= resolveMapping(options, records.columns ?? [], true);
      if ('error' in r) {
        yield badRow(r.line, r.error, options.skipBadRows);
        if (r.fatal) return false;
        continue;
      }
      const item = mapRecord(r.record, r.line, mapping);
      yield isErrorInfo(item) ? badRow(r.line, item, options.skipBadRows) : item;
    }
    return true;
  }
  for await (const text of decodedChunks(path, enc.encoding, total, hooks)) {
    if (!(yield* handle(parser.push(text)))) return;
  }
  yield* handle(parser.end());
  if (records.columns === null) throw new ShirabeError('fileEmpty', { path });
  // A header without rows: still check the columns, so a typo is reported as such.
  if (!sawRow) resolveMapping(options, records.columns, true);
}

async function* readJsonl(
  path: string,
  options: ImportOptions,
  enc: EncodingContext,
  sample: { bytes: Uint8Array; complete: boolean },
  total: number,
  hooks: ReadHooks,
): AsyncGenerator<ReadItem> {
  // The keys seen in the sample are the columns the mapping is checked against.
  const d = decoderFor(enc.encoding);
  const sampled = sampleJsonl(d.write(sample.bytes) + (sample.complete ? d.end() : ''), sample.complete, enc);
  const mapping = resolveMapping(options, sampled.columns.length ? sampled.columns : [options.textColumn], false);
  const splitter = new LineSplitter();
  let line = 0;
  function* handle(lines: string[]): Generator<ReadItem> {
    for (const raw of lines) {
      checkAborted(hooks);
      line++;
      const parsed = parseJsonLine(raw, line, enc);
      if (parsed === null) continue;
      if ('error' in parsed) {
        yield badRow(line, parsed.error, options.skipBadRows);
        continue;
      }
      const item = mapRecord(parsed.record, line, mapping);
      yield isErrorInfo(item) ? badRow(line, item, options.skipBadRows) : item;
    }
  }
  let any = false;
  for await (const text of decodedChunks(path, enc.encoding, total, hooks)) {
    if (text.trim() !== '') any = true;
    yield* handle(splitter.push(text));
  }
  yield* handle(splitter.end());
  if (!any) throw new ShirabeError('fileEmpty', { path });
}

async function* readXlsx(path: string, options: ImportOptions, total: number, hooks: ReadHooks): AsyncGenerator<ReadItem> {
  const table = await readSheet(path, options.sheet);
  checkAborted(hooks);
  const width = table.rows.reduce((w, r) => Math.max(w, r.cells.length), 0);
  const columns = options.hasHeader ? xlsxColumns(table.rows[0].cells, width, true) : numberedColumns(width);
  const mapping = resolveMapping(options, columns, true);
  const data = options.hasHeader ? table.rows.slice(1) : table.rows;
  let i = 0;
  for (const row of data) {
    checkAborted(hooks);
    if (++i % 1000 === 0) {
      hooks.onProgress?.(Math.round((total * i) / data.length), total);
    }
    const item = mapRecord(toRecord(columns, row.cells), row.line, mapping);
    yield isErrorInfo(item) ? badRow(row.line, item, options.skipBadRows) : item;
  }
  hooks.onProgress?.(total, total);
}

async function* readFolder(path: string, options: ImportOptions, hooks: ReadHooks): AsyncGenerator<ReadItem> {
  validateHeaderLines(options.headerLines);
  const files = await folderFiles(path);
  const names = headerNames(options.headerLines, options.headerFields);
  const columns = folderColumns(names);
  const textColumn = options.textColumn === '' ? 'text' : options.textColumn;
  const titleColumn = options.titleColumn ?? (names.includes('title') ? 'title' : null);
  const mapping = resolveMapping({ ...options, textColumn, titleColumn }, columns, false);
  // The folder label is the subfolder; only a header field chosen as the label replaces it.
  const labelFromFolder = mapping.label === null || (mapping.label === 'label' && !names.includes('label'));
  mapping.metadata = mapping.metadata.filter((c) => c !== 'label' || names.includes('label'));
  if (!names.includes('text')) mapping.metadata = mapping.metadata.filter((c) => c !== 'text');

  // Encoding: chosen, or detected per folder (a few files of each) so mixed folders still work.
  const perFolder = new Map<string, Encoding>();
  const byFolder = new Map<string, TextFile[]>();
  for (const f of files) {
    const key = f.rel.includes('/') ? f.rel.slice(0, f.rel.lastIndexOf('/')) : '';
    const list = byFolder.get(key) ?? [];
    list.push(f);
    byFolder.set(key, list);
  }
  async function encodingOf(f: TextFile): Promise<{ encoding: Encoding; detected: Encoding }> {
    const key = f.rel.includes('/') ? f.rel.slice(0, f.rel.lastIndexOf('/')) : '';
    let detected = perFolder.get(key);
    if (detected === undefined) {
      detected = (await detectFolderEncoding((byFolder.get(key) ?? []).slice(0, 8))).best.encoding;
      perFolder.set(key, detected);
    }
    return { encoding: options.encoding === 'auto' ? detected : options.encoding, detected };
  }

  const total = files.length;
  hooks.onProgress?.(0, total);
  for (const [index, f] of files.entries()) {
    checkAborted(hooks);
    const line = index + 1;
    let bytes: Buffer;
    try {
      bytes = await readFile(f.full);
    } catch (err) {
      throw fsError(err, f.full);
    }
    const { encoding, detected } = await encodingOf(f);
    let content = decodeFile(bytes, encoding, f.full);
    if (content.includes('\ufffd') && options.encoding === 'auto') {
      // A file unlike its folder: its own guess, where that decodes it cleanly.
      const own = detectEncoding(bytes, f.full).best.encoding;
      const retry = own === encoding ? content : decodeFile(bytes, own, f.full);
      if (!retry.includes('\ufffd')) content = retry;
    }
    if (content.includes('\ufffd')) {
      // A folder's "line" is a file: name it, so the researcher can find it.
      yield badRow(line, { code: 'fileEncodingInvalid', params: { file: f.rel, encoding, detected } }, options.skipBadRows);
    } else {
      const { fields, text } = parseTextFile(content, names);
      const record: Record<string, string> = { ...fields, text };
      if (names.includes('label')) record.label = fields.label;
      const item = mapRecord(record, line, mapping, {
        ...(labelFromFolder ? { label: f.label } : {}),
        sourceName: f.rel,
      });
      yield isErrorInfo(item) ? badRow(line, item, options.skipBadRows) : item;
    }
    hooks.onProgress?.(line, total);
  }
}
