// What an exported embedding file holds, byte for byte, apart from the file system: the format an
// extension names, NPY's header, the CSV layouts and the Parquet schema.
import type { SchemaElement } from 'hyparquet-writer';
import { extname } from 'node:path';
import type { EmbeddingExportFormat, SplitName } from '../../../common/contract';
import { csvLine, float32Text } from '../../../common/csv';
import { ShirabeError } from '../../../common/errors';

/** One exported row's document: the columns every format has before the vector. */
export interface ExportRow {
  documentId: number;
  title: string | null;
  label: string | null;
  split: SplitName;
}

export function exportFormatOf(path: string): EmbeddingExportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.npy') return 'npy';
  if (ext === '.parquet') return 'parquet';
  throw new ShirabeError('embeddingExportFormat', { path });
}

/** The file beside OUT.npy that says which document each row of the matrix is: OUT.rows.csv. */
export function npyRowsPath(npyPath: string): string {
  return `${npyPath.slice(0, npyPath.length - extname(npyPath).length)}.rows.csv`;
}

/**
 * NPY format version 1.0 (numpy.lib.format): the magic, the version, a little-endian uint16 header
 * length and the header, a Python dict literal padded with spaces and ended by \n so that the data
 * starts at a multiple of 64 bytes, as numpy's own writer aligns it.
 */
export function npyHeader(rows: number, dimensions: number): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dimensions}), }`;
  const preamble = 10; // \x93NUMPY, major, minor, uint16 header length
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const headerLength = total - preamble;
  if (headerLength > 0xffff) throw new Error('NPY 1.0 header longer than 65535 bytes');
  const out = new Uint8Array(total);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0, headerLength & 0xff, headerLength >> 8]);
  const text = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[preamble + i] = text.charCodeAt(i);
  return out;
}

/** The CSV's header: the document's columns, then d0 … d(n−1). */
export function embeddingCsvHeader(dimensions: number): string {
  return csvLine(['document_id', 'title', 'label', 'split', ...Array.from({ length: dimensions }, (_, i) => `d${i}`)]);
}

/** One CSV record: the document, then its vector as shortest round-trip float32 text. */
export function embeddingCsvLine(row: ExportRow, vector: Float32Array): string {
  const cells: (string | number | null)[] = [row.documentId, row.title, row.label, row.split];
  for (let i = 0; i < vector.length; i++) cells.push(float32Text(vector[i]));
  return csvLine(cells);
}

/** OUT.rows.csv beside OUT.npy: row i of the matrix is the document on line i + 2. */
export const npyRowsHeader = csvLine(['row', 'document_id', 'title', 'label', 'split']);
export const npyRowsLine = (i: number, row: ExportRow) => csvLine([i, row.documentId, row.title, row.label, row.split]);

/**
 * The Parquet schema: the document's columns and the vector as one list<float> column named
 * `embedding` (the standard three-level LIST), which pyarrow and pandas read as one array per row
 * (np.stack(df.embedding) is the matrix), as Hugging Face datasets and DuckDB store embeddings.
 */
export const parquetSchema: SchemaElement[] = [
  { name: 'schema', num_children: 5 },
  { name: 'document_id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'title', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'split', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'embedding', converted_type: 'LIST', repetition_type: 'REQUIRED', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];
