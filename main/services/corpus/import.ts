// An import is one job and one transaction: the reader streams documents from the file, the
// writer adds them inside BEGIN … COMMIT, and anything that stops it (a bad row without
// "skip bad rows", a cancel, a crash) rolls back, leaving the project exactly as before.
import { basename } from 'node:path';
import type { BadRow, ImportOptions, ImportPreview, ImportReport } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { previewImport, readDocuments, validateImportOptions } from '../../corpus/readers';
import type { JobContext } from '../../jobs/jobQueue';
import { BAD_ROW_LIMIT } from '../../project/repositories/corpus/corpora';
import type { ProjectStore } from '../../project/store';


export function preview(path: string, options: Partial<ImportOptions>): Promise<ImportPreview> {
  return previewImport(path, options);
}

export function defaultCorpusName(path: string): string {
  return basename(path).replace(/\.(csv|tsv|txt|jsonl|ndjson|xlsx)$/i, '') || 'corpus';
}

export async function runImport(
  store: ProjectStore,
  path: string,
  options: ImportOptions,
  ctx: Pick<JobContext, 'signal' | 'progress'>,
): Promise<ImportReport> {
  validateImportOptions(options);
  const started = Date.now();
  // Resolve 'auto' format and encoding once, so the record says what was really used.
  const detected = await previewImport(path, { ...options });
  const resolved: ImportOptions = { ...options, format: detected.format, encoding: detected.encoding };
  const writer = store.corpora.beginImport({
    name: options.name.trim(),
    source: path,
    format: detected.format,
    encoding: detected.encoding,
    options: resolved,
    seed: options.seed,
    split: options.split,
  });
  let empty = 0;
  let documents = 0;
  const bad: BadRow[] = [];
  let badCount = 0;
  try {
    for await (const item of readDocuments(path, resolved, { signal: ctx.signal, onProgress: ctx.progress })) {
      if (ctx.signal.aborted) throw new ShirabeError('cancelled');
      if (item.kind === 'document') {
        writer.add(item.document);
        documents++;
      } else if (item.kind === 'empty') empty++;
      else {
        badCount++;
        if (bad.length < BAD_ROW_LIMIT) bad.push(item.bad); // beyond it only the count grows
      }
    }
    if (ctx.signal.aborted) throw new ShirabeError('cancelled');
    writer.countEmpty(empty);
    writer.setBadRows(bad, badCount);
    if (documents === 0) throw new ShirabeError('noDocuments', { skipped: badCount, empty });
    const committed = writer.commit();
    return {
      corpusId: committed.corpusId,
      name: options.name.trim(),
      documents: committed.documents,
      emptySkipped: empty,
      duplicates: committed.duplicates,
      badRows: bad,
      badRowCount: badCount,
      encoding: detected.encoding,
      format: detected.format,
      splits: committed.splits,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    writer.rollback();
    throw err;
  }
}
