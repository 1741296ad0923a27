// An import is one job and one transaction: cancelled or failed, the project is as before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, type ImportOptions, type ImportReport } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir, writeShiftJisCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath });
const h = services.handlers;
afterAll(() => services.shutdown());

async function snapshot() {
  const corpora = await h['corpus.list']({});
  const counts = await Promise.all(
    corpora.map(async (c) => (await h['corpus.documents']({ corpusId: c.id, query: '映画', label: null, split: null, offset: 0, limit: 1 })).total),
  );
  return { corpora: corpora.map((c) => [c.id, c.name, c.documents]), counts };
}

const options = (o: Partial<ImportOptions>): ImportOptions => ({ ...defaultImportOptions, ...o });

describe('import job', () => {
  it('imports, then a failing import and a cancelled import leave the project as it was', async () => {
    await h['project.create']({ path: join(dir, 'p.shirabe') });
    const csv = writeShiftJisCsv(dir);
    const first = await h['import.start']({ path: csv, options: options({ name: 'news', textColumn: '本文', labelColumn: 'カテゴリ' }) });
    const done = await services.jobs.wait(first.jobId);
    expect(done.status).toBe('done');
    expect((done.result as ImportReport).documents).toBe(8);
    const before = await snapshot();

    // A bad row in the middle of a file stops the import; nothing of it stays.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'text,label\n映画の話,a\n映画の話その二,b\n"閉じない引用符,c\n');
    const failed = await services.jobs.wait((await h['import.start']({ path: bad, options: options({ name: 'bad', textColumn: 'text' }) })).jobId);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('csvUnclosedQuote');
    expect(await snapshot()).toEqual(before);

    // Cancel while a big file streams in.
    const big = writeSyntheticCsv(dir, 60_000);
    const { jobId } = await h['import.start']({ path: big, options: options({ name: 'big', textColumn: 'text', labelColumn: 'label' }) });
    let copyError: unknown = null;
    const off = services.events.on('job.update', (job) => {
      if (job.id === jobId && job.status === 'running' && job.done > 0 && copyError === null) {
        // While the import's transaction is open, a copy would be half an import: refused, clearly.
        copyError = 'pending';
        h['project.saveCopy']({ path: join(dir, 'copy.shirabe') })
          .then(() => (copyError = 'none'))
          .catch((err: unknown) => (copyError = err))
          .finally(() => void h['jobs.cancel']({ jobId }));
      }
    });
    const cancelled = await services.jobs.wait(jobId);
    off();
    expect(cancelled.status).toBe('cancelled');
    expect(copyError).toMatchObject({ code: 'importRunning' });
    expect(await snapshot()).toEqual(before);

    // The name is free again, and a skip-bad-rows import keeps the good rows and lists the bad.
    const skipped = await services.jobs.wait((await h['import.start']({ path: bad, options: options({ name: 'bad', textColumn: 'text', skipBadRows: true }) })).jobId);
    expect(skipped.status).toBe('done');
    const report = skipped.result as ImportReport;
    expect(report.documents).toBe(2);
    expect(report.badRowCount).toBe(1);
    expect(report.badRows[0].line).toBe(4);
  });

  it('progress carries an ETA while it runs', async () => {
    const big = writeSyntheticCsv(dir, 20_000, 3);
    const etas: (number | null)[] = [];
    const { jobId } = await h['import.start']({ path: big, options: options({ name: 'eta', textColumn: 'text' }) });
    const off = services.events.on('job.update', (job) => job.id === jobId && job.status === 'running' && etas.push(job.etaSeconds));
    const job = await services.jobs.wait(jobId);
    off();
    expect(job.status).toBe('done');
    expect(etas.some((e) => e !== null && e >= 0)).toBe(true);
    expect(job.done).toBe(job.total);
  });
});

describe('morphology job', () => {
  it('analyses every document once and gives the morpheme-length histogram', async () => {
    const path = join(dir, 'morph.jsonl');
    // IPADIC: すもも/も/もも/も/もも/の/うち = 7 morphemes; 私/は/学生/です/。 = 5.
    writeFileSync(path, ['{"text":"すもももももももものうち"}', '{"text":"私は学生です。"}'].join('\n'));
    const done = await services.jobs.wait((await h['import.start']({ path, options: options({ name: 'morph', textColumn: 'text', split: [1, 0, 0] }) })).jobId);
    const corpusId = (done.result as ImportReport).corpusId;
    const before = await h['corpus.stats']({ corpusId, unit: 'morphemes', bins: 2 });
    expect(before.analysed).toBe(0);
    const job = await services.jobs.wait((await h['corpus.analyse']({ corpusId })).jobId);
    expect(job.status).toBe('done');
    const after = await h['corpus.stats']({ corpusId, unit: 'morphemes', bins: 2 });
    expect(after.analysed).toBe(2);
    expect(after.min).toBe(5);
    expect(after.max).toBe(7);
    expect(after.histogram).toEqual({ edges: [5, 6, 7], counts: [1, 1] });
    const rows = await h['corpus.documents']({ corpusId, query: '', label: null, split: null, offset: 0, limit: 10 });
    const morphemes = await h['corpus.morphology']({ documentId: rows.rows[0].id });
    expect(morphemes.map((m) => m.surface)).toEqual(['すもも', 'も', 'もも', 'も', 'もも', 'の', 'うち']);
  });
});

describe('job history', () => {
  it('keeps every finished job with its config and outcome in the project', async () => {
    const history = services.projects.require().jobs.history();
    const imports = history.filter((j) => j.kind === 'import');
    expect(imports.map((j) => j.status)).toEqual(expect.arrayContaining(['done', 'failed', 'cancelled']));
    const failed = imports.find((j) => j.status === 'failed')!;
    expect(failed.error?.code).toBe('csvUnclosedQuote');
    expect(failed.config).toMatchObject({ options: { name: 'bad', textColumn: 'text' }, version: 'test' });
    expect(history.some((j) => j.kind === 'morphology' && j.status === 'done')).toBe(true);
  });
});

describe('morphology job over several batches', () => {
  it('analyses every document of a corpus larger than one batch, each once', async () => {
    const path = join(dir, 'many.jsonl');
    writeFileSync(path, Array.from({ length: 450 }, (_, i) => JSON.stringify({ text: `私は学生です。番号${i}` })).join('\n'));
    const done = await services.jobs.wait((await h['import.start']({ path, options: options({ name: 'many', textColumn: 'text' }) })).jobId);
    const corpusId = (done.result as ImportReport).corpusId;
    const job = await services.jobs.wait((await h['corpus.analyse']({ corpusId })).jobId);
    expect(job).toMatchObject({ status: 'done', done: 450, total: 450, result: { documents: 450 } });
    expect((await h['corpus.stats']({ corpusId, unit: 'morphemes', bins: 5 })).analysed).toBe(450);
  });
});
