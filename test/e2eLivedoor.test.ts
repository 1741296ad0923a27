// End to end on the real corpus, as a researcher would: in headless Chromium against browser
// mode, import the livedoor news folder (7,367 articles) through the import wizard, add the
// default model, start embedding the corpus, watch the job bar count documents and give an
// ETA, cancel it (nothing is stored, and the UI says so), then embed it again to the end and
// read the run and the job list. Kept apart from e2e.test.ts, which stays small and fast.
// Skipped, with a message, where ../shared/data/livedoor or Chromium (or a build) is absent.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { strings as uiStrings } from '../renderer/src/ui/i18n';
import { strings as embeddingsStrings } from '../renderer/src/workflows/embeddings/i18n';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir } from './e2eHarness';
import { sharedData } from './paths';

const archive = join(sharedData, 'livedoor', 'ldcc-text.tar.gz');
const hasLivedoor = existsSync(archive);
if (!hasLivedoor) console.warn(`livedoor end-to-end test skipped: ${archive} is absent`);
else if (!canRunBrowser) console.warn(`livedoor end-to-end test skipped: ${browserMissing}`);

const documents = 7367;

/** "1,234 / 7,367 文書" → [1234, 7367]. */
function parseCounts(text: string): [number, number] | null {
  const m = /([\d,]+)\s*\/\s*([\d,]+)/.exec(text);
  return m ? [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))] : null;
}

/** What the project file holds (read once the server has let go of it: it holds the file exclusively). */
function stored(projectPath: string): { runs: { documents: number; dimensions: number; truncated_documents: number; model_name: string }[]; vectors: number } {
  const db = new Database(projectPath, { readonly: true, fileMustExist: true });
  try {
    const runs = db.prepare('SELECT documents, dimensions, truncated_documents, model_name FROM embedding_runs').all() as ReturnType<typeof stored>['runs'];
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM embeddings').get() as { n: number };
    return { runs, vectors: n };
  } finally {
    db.close();
  }
}

async function openEmbedModalAndStart(page: Page): Promise<void> {
  await page.getByTestId('nav-corpus').click();
  await page.getByTestId('tab-embeddings').click();
  await page.getByTestId('embed-open').click();
  await expect.poll(() => page.getByTestId('embed-model').inputValue(), { timeout: 10_000 }).toBe('shirabe-tiny-ja');
  await expect.poll(() => page.getByTestId('embed-start').isEnabled(), { timeout: 10_000 }).toBe(true);
  await page.getByTestId('embed-start').click();
  await page.getByTestId('embed-modal').waitFor({ state: 'detached', timeout: 15_000 });
}

describe.skipIf(!hasLivedoor || !canRunBrowser)('livedoor news corpus, end to end in the browser', () => {
  const session = browserSession('shirabe-e2e-livedoor-');
  const { dir } = session;
  const projectPath = join(dir, 'livedoor.shirabe');

  beforeAll(() => {
    execFileSync('tar', ['xzf', archive, '-C', dir]);
  });

  it('imports the livedoor folder through the import wizard: 7,367 documents', async () => {
    const { app, page } = session;
    await createProject(page, app.url, projectPath);

    // The folder, by its path on the server: nine labels from the subfolder names.
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-path').fill(join(dir, 'text'));
    await page.getByTestId('import-path-ok').click();
    const summary = page.getByTestId('import-folder-summary');
    await summary.waitFor({ timeout: 60_000 });
    for (const label of ['dokujo-tsushin', 'it-life-hack', 'kaden-channel', 'livedoor-homme', 'movie-enter', 'peachy', 'smax', 'sports-watch', 'topic-news']) {
      expect(await summary.innerText()).toContain(label);
    }
    // Each article begins with its URL, date and title lines.
    await page.getByTestId('import-header-lines').fill('3');
    await page.getByTestId('import-header-fields').fill('url, date, title');
    await page.getByTestId('import-header-fields').blur();
    const headers = page.locator('[data-testid="import-preview"] th');
    await expect.poll(() => headers.allInnerTexts(), { timeout: 30_000 }).toEqual(expect.arrayContaining(['url', 'date', 'title', 'text', 'label']));
    await expect.poll(() => page.getByTestId('import-preview').innerText()).toContain('http://news.livedoor.com/');
    expect(await page.getByTestId('import-text-column').inputValue()).toBe('text');
    expect(await page.getByTestId('import-label-column').inputValue()).toBe('label');
    await page.getByTestId('import-title-column').click();
    await page.getByRole('option', { name: 'title', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-title-column').inputValue()).toBe('title');
    await page.getByTestId('import-name').fill('livedoor');
    await page.getByTestId('import-start').click();

    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 150_000 });
    expect(await report.innerText()).toMatch(/7,?367/);
    await page.getByTestId('import-report-close').click();

    await page.getByTestId('tab-documents').click();
    await expect.poll(() => page.getByTestId('doc-total').innerText(), { timeout: 30_000 }).toMatch(/7,367/);
  }, 240_000);

  it('adds the default model on the Models page', async () => {
    const { page } = session;
    await addModel(page, defaultModelDir);
  }, 60_000);

  it('embeds the corpus: the job bar counts documents with an ETA, and cancelling stores nothing', async () => {
    const { page } = session;
    await openEmbedModalAndStart(page);
    const job = page.locator('[data-testid="job-item"][data-kind="embed"]');
    await expect.poll(() => job.count(), { timeout: 15_000 }).toBe(1);

    // Watch the job bar as a researcher would: "n / 7,367 文書" going up, and "残り m:ss".
    const seen: number[] = [];
    let eta: string | null = null;
    const deadline = Date.now() + 180_000;
    while ((seen.length < 2 || eta === null) && Date.now() < deadline) {
      const status = await job.getAttribute('data-status');
      expect(status, await job.innerText()).toMatch(/^(queued|running)$/);
      const counts = parseCounts(await job.getByTestId('job-progress').innerText());
      if (counts) {
        expect(counts[1]).toBe(documents);
        if (counts[0] > 0 && counts[0] !== seen[seen.length - 1]) seen.push(counts[0]);
      }
      const etaLabel = job.getByTestId('job-eta');
      if ((await etaLabel.count()) > 0) eta = await etaLabel.innerText();
      await page.waitForTimeout(100);
    }
    expect(seen.length, `progress seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]).toBeLessThan(documents);
    // One value once the rate is known, a range ("残り 3:10〜4:20") while it is not.
    expect(eta).toMatch(/^残り \d+:\d\d(:\d\d)?(〜\d+:\d\d(:\d\d)?)?$/);
    // The Embeddings tab follows the same job, with its own cancel button.
    await expect.poll(() => page.getByTestId('embed-job-progress').innerText()).toMatch(/\d+ \/ 7,367 文書/);
    expect(await page.getByTestId('embed-job-cancel').count()).toBe(1);
    await page.screenshot({ path: join(dir, 'embedding.png') });

    await job.getByTestId('job-cancel').click();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
    expect(await job.getByTestId('job-status').innerText()).toBe(uiStrings.ja.jobs.status.cancelled);
    expect(await job.getByTestId('job-cancel').count()).toBe(0);
    const notice = page.getByTestId('embed-job');
    await expect.poll(() => notice.getAttribute('data-status')).toBe('cancelled');
    expect(await notice.innerText()).toContain(embeddingsStrings.ja.embed.jobCancelled);
    // No run: the table (embed.runs, read from the project) says so.
    await page.getByTestId('embed-no-runs').waitFor();
    expect(await page.getByTestId('embed-runs-row').count()).toBe(0);
    await page.screenshot({ path: join(dir, 'cancelled.png') });
  }, 240_000);

  it('embeds the corpus to the end: one run of 7,367 documents, 128 dimensions', async () => {
    const { app, page } = session;
    await openEmbedModalAndStart(page);
    const embedJobs = page.locator('[data-testid="job-item"][data-kind="embed"]');
    await expect.poll(() => embedJobs.count(), { timeout: 15_000 }).toBe(2);
    // Newest first in the job bar.
    const job = embedJobs.first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 360_000, interval: 1000 }).toMatch(/^(done|failed|cancelled)$/);
    expect(await job.getAttribute('data-status'), await job.innerText()).toBe('done');
    expect(parseCounts(await job.getByTestId('job-progress').innerText())).toEqual([documents, documents]);
    // The tab's progress panel gives way to the run.
    await expect.poll(() => page.getByTestId('embed-job').count()).toBe(0);

    const row = page.getByTestId('embed-runs-row');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getByTestId('embed-run-model').innerText()).toBe('shirabe-tiny-ja');
    expect(await row.getByTestId('embed-run-documents').innerText()).toBe('7,367');
    expect(await row.getByTestId('embed-run-dimensions').innerText()).toBe('128');
    const truncated = Number((await row.getByTestId('embed-run-truncated').innerText()).replace(/,/g, ''));
    // News articles run well past 128 tokens: most are cut.
    expect(truncated).toBeGreaterThan(documents / 2);
    expect(truncated).toBeLessThanOrEqual(documents);
    // The Jobs view lists both embedding jobs: the cancelled one and the finished one.
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('jobs-view').waitFor();
    const rows = page.locator('[data-testid="jobs-row"][data-kind="embed"]');
    await expect.poll(() => rows.count()).toBe(2);
    const statuses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(['done', 'cancelled']);
    expect(await rows.first().innerText()).toContain('7,367 / 7,367');
    await page.screenshot({ path: join(dir, 'jobs.png') });

    // The project file: the finished run with one vector per document, nothing left by the cancelled one.
    await app.close();
    expect(stored(projectPath)).toEqual({
      runs: [{ documents, dimensions: 128, truncated_documents: truncated, model_name: 'shirabe-tiny-ja' }],
      vectors: documents,
    });
  }, 420_000);
});
