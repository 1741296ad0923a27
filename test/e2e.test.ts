// End to end, as a researcher would: headless Chromium against browser mode (`shirabe serve`).
// Creates a project, imports a Shift_JIS CSV through the UI, searches a Japanese word, opens
// the KWIC view and exports the length histogram as SVG; then adds the default model, tries
// its tokenizer, embeds the imported corpus and reads the compute backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendNames } from '../common/contract';
import { describe, expect, it } from 'vitest';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir } from './e2eHarness';
import { writeShiftJisCsv } from './fixtures';

if (!canRunBrowser) console.warn(`end-to-end test skipped: ${browserMissing}`);

describe.skipIf(!canRunBrowser)('browser mode, end to end', () => {
  const session = browserSession('shirabe-e2e-');
  const { dir } = session;

  it('creates a project, imports Shift_JIS, searches, concords and exports the histogram', async () => {
    const { app, page } = session;
    // New project (browser mode asks for a path on the server).
    await createProject(page, app.url, join(dir, 'e2e.shirabe'));

    // Import a Shift_JIS CSV through the upload field; the preview detects the encoding.
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles(writeShiftJisCsv(dir));
    await expect.poll(() => page.getByTestId('import-encoding').inputValue(), { timeout: 20_000 }).toMatch(/shift_jis|Shift_JIS/i);
    await expect.poll(() => page.getByTestId('import-text-column').inputValue()).toBe('本文');
    await page.getByTestId('import-label-column').click();
    await page.getByRole('option', { name: 'カテゴリ', exact: true }).click();
    await page.getByTestId('import-name').fill('ニュース');
    await page.getByTestId('import-start').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    await expect.poll(() => report.innerText()).toContain('8');
    await page.getByTestId('import-report-close').click();

    // Search a Japanese word: hits are highlighted.
    await page.getByTestId('tab-documents').click();
    await page.getByTestId('doc-search').fill('映画');
    await expect.poll(() => page.getByTestId('doc-total').innerText(), { timeout: 10_000 }).toMatch(/4/);
    await expect.poll(() => page.getByTestId('doc-row').count()).toBe(4);
    expect(await page.locator('[data-testid="doc-row"] mark').first().innerText()).toBe('映画');

    // KWIC: keyword centred with its context.
    await page.getByTestId('tab-kwic').click();
    await page.getByTestId('kwic-word').fill('映画');
    await page.getByTestId('kwic-run').click();
    await expect.poll(() => page.getByTestId('kwic-line').count(), { timeout: 10_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('kwic-total').innerText()).toMatch(/5/);

    // Statistics: export the length histogram as SVG and check the file.
    await page.getByTestId('tab-stats').click();
    const histogram = page.getByTestId('chart-histogram');
    await histogram.waitFor({ timeout: 10_000 });
    await histogram.getByTestId('chart-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/\.svg$/);
    const svg = readFileSync(saved, 'utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg).toContain('</svg>');
    // Eight documents in the bars: one <path> per non-empty bin at least, and axis text.
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(3);
    expect(svg).toMatch(/<text/);
    await page.screenshot({ path: join(dir, 'stats.png') });
  }, 180_000);

  // Runs after the test above, on the corpus it imported.
  it('adds the default model, tokenizes Japanese, embeds the corpus and shows the compute backend', async () => {
    const { page } = session;
    expect(await page.getByTestId('tab-documents').count(), 'the first test must have opened a project with a corpus').toBe(1);

    // Models: add the folder by its path on the server; its check report says BERT.
    await addModel(page, defaultModelDir);

    // The tokenizer: MeCab words split into WordPieces, between [CLS] and [SEP].
    await page.getByTestId('tokenize-input').fill('東京の天気は晴れ');
    const chips = page.getByTestId('token-chip');
    await expect.poll(() => chips.count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const tokens = await chips.allInnerTexts();
    expect(tokens[0]).toContain('[CLS]');
    expect(tokens[tokens.length - 1]).toContain('[SEP]');
    expect(tokens.some((t) => t.startsWith('東'))).toBe(true);

    // Embed the corpus imported above; the job runs in the job bar, then the run is listed.
    await page.getByTestId('nav-corpus').click();
    await page.getByTestId('tab-embeddings').click();
    await page.getByTestId('embed-open').click();
    await expect.poll(() => page.getByTestId('embed-model').inputValue(), { timeout: 10_000 }).toBe('shirabe-tiny-ja');
    await page.getByTestId('embed-start').click();
    const job = page.locator('[data-testid="job-item"][data-kind="embed"]');
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toMatch(/^(done|failed|cancelled)$/);
    expect(await job.getAttribute('data-status'), await job.innerText()).toBe('done');
    await expect.poll(() => page.getByTestId('embed-runs-row').count(), { timeout: 15_000 }).toBe(1);
    const row = await page.getByTestId('embed-runs-row').innerText();
    expect(row).toContain('shirabe-tiny-ja');
    expect(row).toContain('128'); // the default max length; the model's hidden size is 128 too

    // The job list has the embedding job, done.
    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('jobs-view').waitFor();
    await expect.poll(() => page.locator('[data-testid="jobs-row"][data-kind="embed"]').getAttribute('data-status')).toBe('done');

    // Compute: the worker started for the job and says which backend it runs on.
    await page.getByTestId('nav-compute').click();
    const backend = page.getByTestId('compute-backend');
    await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 15_000 }).toMatch(new RegExp(`^(${backendNames.join('|')})$`));
    expect(await backend.innerText()).toContain((await backend.getAttribute('data-backend'))!);
    // Inference (the embedding just run) names its engine: onnxruntime where it loads, else the tfjs backend with why.
    await expect.poll(() => page.getByTestId('compute-inference').getAttribute('data-engine'), { timeout: 15_000 }).toMatch(/^(onnxruntime|tfjs)$/);
    await page.screenshot({ path: join(dir, 'compute.png') });
  }, 240_000);
});
