// End to end, as a researcher would: headless Chromium against browser mode (`shirabe serve`).
// Creates a project, imports a Shift_JIS CSV through the UI, searches a Japanese word, opens
// the KWIC view and exports the length histogram as SVG.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeShiftJisCsv } from './fixtures';
import { repoRoot } from './paths';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const built = existsSync(join(repoRoot, 'dist', 'renderer', 'index.html')) && existsSync(join(repoRoot, 'dist', 'cli.cjs'));
const canRun = existsSync(chromiumPath) && built;
if (!canRun) console.warn(`end-to-end test skipped: needs ${chromiumPath} and a build (npm run build)`);

describe.skipIf(!canRun)('browser mode, end to end', () => {
  const dir = tempDir('shirabe-e2e-');
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url = '';

  beforeAll(async () => {
    server = spawn(process.execPath, [join(repoRoot, 'bin', 'shirabe.cjs'), 'serve', '--json'], {
      env: { ...process.env, SHIRABE_CONFIG_DIR: join(dir, 'config'), LANG: 'ja_JP.UTF-8' },
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve((JSON.parse(out) as { url: string }).url);
        } catch {
          /* partial */
        }
      });
      server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  it('creates a project, imports Shift_JIS, searches, concords and exports the histogram', async () => {
    await page.goto(url);
    // New project (browser mode asks for a path on the server).
    await page.getByTestId('new-project').click();
    const projectPath = join(dir, 'e2e.shirabe');
    await page.getByTestId('project-path').fill(projectPath);
    await page.getByTestId('project-path-ok').click();
    await expect.poll(() => existsSync(projectPath), { timeout: 15_000 }).toBe(true);

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
});
