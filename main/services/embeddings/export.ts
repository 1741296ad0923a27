// embed.export: an embedding run's vectors, with each document's id, title, label and split, as CSV,
// NPY (the matrix, and OUT.rows.csv beside it naming each row's document) or Parquet. Every file is
// written under a temporary name in its own folder and renamed into place only when complete, so a
// failed write (a full disk, a missing folder) leaves nothing half-written. The rows go out in
// chunks with a turn of the event loop between them, so a large run does not freeze the app.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EmbeddingExportResult } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { ProjectStore } from '../../project/store';
import {
  embeddingCsvHeader,
  embeddingCsvLine,
  exportFormatOf,
  npyHeader,
  npyRowsHeader,
  npyRowsLine,
  npyRowsPath,
  parquetSchema,
  type ExportRow,
} from './formats';
import { csvBom } from '../../../common/csv';
import { writeAtomically } from '../files';

/** Rows per chunk: about 6 MB of a 768-dimension run. */
const chunkRows = 2048;

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function exportEmbeddings(store: ProjectStore, runId: number, path: string, version: string): Promise<EmbeddingExportResult> {
  const target = resolve(path);
  const format = exportFormatOf(target);
  const { run, documentIds, vectors } = store.embeddings.vectors(runId);
  const d = run.dimensions;
  const rows = rowsOf(store, run.corpusId, documentIds);
  const vector = (i: number) => vectors.subarray(i * d, (i + 1) * d);

  let files: string[];
  let bytes: number;
  if (format === 'csv') {
    files = [target];
    bytes = await writeAtomically(files, async ([tmp]) => {
      await writeText(tmp, function* () {
        yield csvBom + embeddingCsvHeader(d);
        for (let i = 0; i < rows.length; i++) yield embeddingCsvLine(rows[i], vector(i));
      });
    });
  } else if (format === 'npy') {
    files = [target, npyRowsPath(target)];
    bytes = await writeAtomically(files, async ([npy, rowsCsv]) => {
      const fd = openSync(npy, 'wx');
      try {
        writeAll(fd, npyHeader(rows.length, d));
        // Little-endian float32 in C order: the repository keeps them so (it refuses a big-endian machine).
        writeAll(fd, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
      } finally {
        closeSync(fd);
      }
      await writeText(rowsCsv, function* () {
        yield csvBom + npyRowsHeader;
        for (let i = 0; i < rows.length; i++) yield npyRowsLine(i, rows[i]);
      });
    });
  } else {
    files = [target];
    // Loaded when first needed: an ES module, and only this export uses it.
    const { ParquetWriter, fileWriter } = await import('hyparquet-writer');
    bytes = await writeAtomically(files, async ([tmp]) => {
      const writer = new ParquetWriter({
        writer: fileWriter(tmp),
        schema: parquetSchema,
        createdBy: `shirabe ${version} (hyparquet-writer)`,
        kvMetadata: [
          {
            key: 'shirabe.embedding_run',
            value: JSON.stringify({
              id: run.id,
              corpus: run.corpusName,
              model: run.model.name,
              modelHash: run.model.hash,
              pooling: run.pooling,
              layer: run.layer,
              maxLength: run.maxLength,
              dimensions: d,
            }),
          },
        ],
      });
      for (let start = 0; start < rows.length; start += chunkRows) {
        const chunk = rows.slice(start, start + chunkRows);
        // One row group per chunk; the writer wants each list as a plain array.
        await writer.write({
          rowGroupSize: chunk.length,
          columnData: [
            { name: 'document_id', data: Int32Array.from(chunk, (r) => r.documentId) },
            { name: 'title', data: chunk.map((r) => r.title) },
            { name: 'label', data: chunk.map((r) => r.label) },
            { name: 'split', data: chunk.map((r) => r.split) },
            { name: 'embedding', data: chunk.map((_, j) => Array.from(vector(start + j))) },
          ],
        });
        await yieldToEventLoop();
      }
      await writer.finish();
    });
  }
  return { path: target, format, files, rows: rows.length, dimensions: d, bytes };
}

/** Each run document's id, title, label and split, in the run's row order. */
function rowsOf(store: ProjectStore, corpusId: number, documentIds: readonly number[]): ExportRow[] {
  const { rows } = store.documents.page({ corpusId, query: '', label: null, split: null, offset: 0, limit: 2 ** 31 - 1 });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return documentIds.map((id) => {
    const doc = byId.get(id);
    if (!doc) throw new ShirabeError('documentNotFound', { id });
    return { documentId: id, title: doc.title, label: doc.label, split: doc.split };
  });
}

/** Writes the pieces as UTF-8, a few megabytes at a time, letting the event loop run in between. */
async function writeText(path: string, pieces: () => Iterable<string>): Promise<void> {
  const fd = openSync(path, 'wx');
  try {
    let buffered: string[] = [];
    let size = 0;
    for (const piece of pieces()) {
      buffered.push(piece);
      size += piece.length;
      if (size >= 4 << 20) {
        writeAll(fd, Buffer.from(buffered.join(''), 'utf8'));
        buffered = [];
        size = 0;
        await yieldToEventLoop();
      }
    }
    writeAll(fd, Buffer.from(buffered.join(''), 'utf8'));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}
