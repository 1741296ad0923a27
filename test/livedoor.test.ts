// The real corpus: the livedoor news folder imports as 7,367 documents in the nine
// categories its README lists (skipped, with a message, where ../shared/data is absent).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultImportOptions, type ImportReport } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir } from './fixtures';
import { fontPath, hasSharedData, sharedData } from './paths';

const expected: Record<string, number> = {
  'dokujo-tsushin': 870,
  'it-life-hack': 870,
  'kaden-channel': 864,
  'livedoor-homme': 511,
  'movie-enter': 870,
  peachy: 842,
  smax: 870,
  'sports-watch': 900,
  'topic-news': 770,
};

if (!hasSharedData) console.warn(`livedoor integration test skipped: ${sharedData} is absent`);

describe.skipIf(!hasSharedData)('livedoor news corpus', () => {
  it('imports the folder with 7,367 documents and the nine label counts', async () => {
    const dir = tempDir();
    execFileSync('tar', ['xzf', join(sharedData, 'livedoor', 'ldcc-text.tar.gz'), '-C', dir]);
    const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath });
    const call = services.handlers;
    await call['project.create']({ path: join(dir, 'livedoor.shirabe') });
    const folder = join(dir, 'text');
    const preview = await call['import.preview']({ path: folder, options: { headerLines: 3, headerFields: ['url', 'date', 'title'] } });
    expect(preview.format).toBe('dir');
    expect(preview.labels.sort()).toEqual(Object.keys(expected).sort());
    const { jobId } = await call['import.start']({
      path: folder,
      options: { ...defaultImportOptions, name: 'livedoor', textColumn: 'text', titleColumn: 'title', labelColumn: 'label', headerLines: 3, headerFields: ['url', 'date', 'title'] },
    });
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    const report = job.result as ImportReport;
    expect(report.documents).toBe(7367);
    const [corpus] = await call['corpus.list']({});
    expect(corpus.documents).toBe(7367);
    expect(Object.fromEntries(corpus.labels.map((l) => [l.label, l.count]))).toEqual(expected);
    // Stratified: every label keeps its share in each split, within one document.
    const stats = await call['corpus.stats']({ corpusId: corpus.id, unit: 'chars', bins: 20 });
    expect(stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(7367);
    const doc = await call['corpus.document']({ documentId: (await call['corpus.documents']({ corpusId: corpus.id, query: '', label: 'peachy', split: null, offset: 0, limit: 1 })).rows[0].id });
    expect(doc.metadata.url).toMatch(/^http:\/\/news\.livedoor\.com\//);
    expect(doc.title).toBeTruthy();
    const search = await call['corpus.documents']({ corpusId: corpus.id, query: '映画', label: null, split: null, offset: 0, limit: 5 });
    expect(search.total).toBeGreaterThan(500);
    await services.shutdown();
  }, 300_000);
});
