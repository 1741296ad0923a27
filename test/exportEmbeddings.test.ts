// embed.export end to end through the services: a real embedding run (the default model in the
// compute worker) written to CSV, NPY and Parquet, each read back by an independent reader (the
// corpus importer's RFC 4180 parser, the NPY header parsed by hand, hyparquet) and compared exactly
// with store.embeddings.vectors; bad extensions, missing runs and unwritable paths refused with
// nothing left behind.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions } from '../common/contract';
import { CsvParser } from '../main/corpus/csvParser';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const out = join(dir, 'out');
mkdirSync(out);
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const projectPath = join(dir, 'p.shirabe');
/** Titles that need quoting in CSV, one missing. */
const titles = ['映画の話', 'Comma, "quoted" title', 'two\nlines', '', 'R&D 100%', '料理', 'プログラム', '野球'];
let runId = 0;
let expected: { documentIds: number[]; vectors: Float32Array; dimensions: number; docs: Map<number, { title: string | null; label: string | null; split: string }> };

beforeAll(async () => {
  await h['project.create']({ path: projectPath });
  const field = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = ['title,text,label', ...titles.map((t, i) => `${field(t)},${field(`${t || '無題'}について書いた文書 ${i} です。`)},${i % 2 ? 'b' : 'a'}`)];
  const csv = join(dir, 'docs.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const imported = await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'docs', textColumn: 'text', titleColumn: 'title', labelColumn: 'label' } })).jobId);
  expect(imported.error).toBeNull();
  const corpusId = (await h['corpus.list']({}))[0].id;
  const embedded = await services.jobs.wait((await h['embed.start']({ corpusId, modelPath: defaultModelPath, pooling: 'mean', layer: -1, maxLength: 32, batchSize: 8, truncation: 'head' })).jobId);
  expect(embedded.error).toBeNull();
  runId = (await h['embed.runs']({ corpusId }))[0].id;
  // What the project holds, read through its repositories (not through the export under test).
  const source = services.projects.require();
  const v = source.embeddings.vectors(runId);
  const page = source.documents.page({ corpusId, query: '', label: null, split: null, offset: 0, limit: 1000 });
  expected = { documentIds: v.documentIds, vectors: v.vectors, dimensions: v.run.dimensions, docs: new Map(page.rows.map((r) => [r.id, { title: r.title, label: r.label, split: r.split }])) };
  expect(expected.documentIds.length).toBe(titles.length);
}, 120_000);

const leftovers = () => readdirSync(out).filter((f) => f.includes('.tmp'));

function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parser = new CsvParser(',');
  const events = [...parser.push(text.slice(1)), ...parser.end()];
  expect(events.every((e) => e.kind === 'record')).toBe(true);
  return events.map((e) => (e.kind === 'record' ? e.fields : []));
}

function expectDocument(id: number, title: string, label: string, split: string) {
  const doc = expected.docs.get(id)!;
  expect(title).toBe(doc.title ?? '');
  expect(label).toBe(doc.label ?? '');
  expect(split).toBe(doc.split);
}

describe('embed.export', () => {
  it('writes CSV: header, one quoted record per document, floats that read back exactly', async () => {
    const path = join(out, 'run.csv');
    const result = await h['embed.export']({ runId, path });
    const d = expected.dimensions;
    expect(result).toMatchObject({ path, format: 'csv', files: [path], rows: titles.length, dimensions: d });
    const bytes = readFileSync(path);
    expect(result.bytes).toBe(bytes.length);
    const [header, ...records] = parseCsv(bytes.toString('utf8'));
    expect(header).toEqual(['document_id', 'title', 'label', 'split', ...Array.from({ length: d }, (_, i) => `d${i}`)]);
    expect(records.map((r) => Number(r[0]))).toEqual(expected.documentIds);
    expect(records.map((r) => r[1])).toEqual(titles.map((t) => t));
    records.forEach((r, i) => {
      expectDocument(expected.documentIds[i], r[1], r[2], r[3]);
      const values = Float32Array.from(r.slice(4), Number);
      expect(values).toEqual(expected.vectors.subarray(i * d, (i + 1) * d));
    });
    expect(leftovers()).toEqual([]);
  });

  it('writes NPY 1.0 (<f4, C order, (n, d)) and OUT.rows.csv naming the document of each row', async () => {
    const path = join(out, 'run.npy');
    const result = await h['embed.export']({ runId, path });
    const rowsPath = join(out, 'run.rows.csv');
    expect(result).toMatchObject({ format: 'npy', files: [path, rowsPath], rows: titles.length });
    const bytes = readFileSync(path);
    expect(result.bytes).toBe(bytes.length + readFileSync(rowsPath).length);
    // The format by hand: magic, version 1.0, uint16 LE header length, a dict literal ending in \n, data aligned to 64.
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes.readUInt16LE(8);
    const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
    expect((10 + headerLength) % 64).toBe(0);
    expect(header.endsWith('\n')).toBe(true);
    const dict = header.trimEnd();
    expect(dict).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \((\d+), (\d+)\), \}$/);
    const [, n, d] = /\((\d+), (\d+)\)/.exec(dict)!.map(Number);
    expect([n, d]).toEqual([titles.length, expected.dimensions]);
    const data = bytes.subarray(10 + headerLength);
    expect(data.length).toBe(n * d * 4);
    const matrix = new Float32Array(n * d);
    for (let i = 0; i < n * d; i++) matrix[i] = data.readFloatLE(i * 4);
    expect(matrix).toEqual(expected.vectors);
    const [rowsHeader, ...rows] = parseCsv(readFileSync(rowsPath, 'utf8'));
    expect(rowsHeader).toEqual(['row', 'document_id', 'title', 'label', 'split']);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(rows.map((r) => Number(r[1]))).toEqual(expected.documentIds);
    rows.forEach((r) => expectDocument(Number(r[1]), r[2], r[3], r[4]));
    expect(leftovers()).toEqual([]);
  });

  it('writes Parquet: document_id int32, title/label/split strings, embedding list<float>', async () => {
    const path = join(out, 'run.parquet');
    const result = await h['embed.export']({ runId, path });
    expect(result).toMatchObject({ format: 'parquet', files: [path], rows: titles.length });
    const bytes = readFileSync(path);
    expect(result.bytes).toBe(bytes.length);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(file);
    expect(Number(meta.num_rows)).toBe(titles.length);
    expect(meta.schema.map((s) => [s.name, s.type ?? null, s.converted_type ?? null, s.repetition_type ?? null])).toEqual([
      ['schema', null, null, null],
      ['document_id', 'INT32', null, 'REQUIRED'],
      ['title', 'BYTE_ARRAY', 'UTF8', 'OPTIONAL'],
      ['label', 'BYTE_ARRAY', 'UTF8', 'OPTIONAL'],
      ['split', 'BYTE_ARRAY', 'UTF8', 'REQUIRED'],
      ['embedding', null, 'LIST', 'REQUIRED'],
      ['list', null, null, 'REPEATED'],
      ['element', 'FLOAT', null, 'REQUIRED'],
    ]);
    expect(JSON.parse(meta.key_value_metadata?.find((kv) => kv.key === 'shirabe.embedding_run')?.value ?? '{}')).toMatchObject({ id: runId, dimensions: expected.dimensions, pooling: 'mean' });
    const rows = (await parquetReadObjects({ file })) as { document_id: number; title: string | null; label: string | null; split: string; embedding: number[] }[];
    const d = expected.dimensions;
    expect(rows.map((r) => r.document_id)).toEqual(expected.documentIds);
    rows.forEach((r, i) => {
      const doc = expected.docs.get(r.document_id)!;
      expect([r.title, r.label, r.split]).toEqual([doc.title, doc.label, doc.split]);
      expect(Float32Array.from(r.embedding)).toEqual(expected.vectors.subarray(i * d, (i + 1) * d));
    });
    expect(leftovers()).toEqual([]);
  });

  it('refuses an unknown extension, a missing run and an unwritable path, leaving no file behind', async () => {
    await expect(h['embed.export']({ runId, path: join(out, 'run.arrow') })).rejects.toMatchObject({ code: 'embeddingExportFormat' });
    await expect(h['embed.export']({ runId: 999, path: join(out, 'none.csv') })).rejects.toMatchObject({ code: 'embeddingRunNotFound' });
    await expect(h['embed.export']({ runId, path: join(out, 'no such folder', 'run.csv') })).rejects.toMatchObject({ code: 'fileNotWritable', params: { reason: 'ENOENT' } });
    // A folder where the file should go: the complete temporary cannot be renamed over it, and is removed.
    mkdirSync(join(out, 'taken.parquet'));
    await expect(h['embed.export']({ runId, path: join(out, 'taken.parquet') })).rejects.toMatchObject({ code: 'fileNotWritable' });
    mkdirSync(join(out, 'taken.rows.csv'));
    await expect(h['embed.export']({ runId, path: join(out, 'taken.npy') })).rejects.toMatchObject({ code: 'fileNotWritable' });
    expect(readdirSync(out).sort()).toEqual(['run.csv', 'run.npy', 'run.parquet', 'run.rows.csv', 'taken.parquet', 'taken.rows.csv']);
  });
});
