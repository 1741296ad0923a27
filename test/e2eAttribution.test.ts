// Attribution end to end, as a researcher would do it in the browser: import a small labelled
// corpus, open Attribution, explain the default model's sentence embedding of two documents (the
// estimate, so it is quick), open the run, read a document's heatmap by words, switch to morphemes
// and keep only the nouns, export the heatmap as SVG, PNG and CSV, and correlate the run's word
// contributions with their information −log P(w); the corpus's document viewer shows the heatmap too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir, importCsv } from './e2eHarness';

if (!canRunBrowser) console.warn(`end-to-end attribution test skipped: ${browserMissing}`);

function writeCorpus(dir: string): string {
  const rows = ['title,label,text'];
  const topics: Record<string, string[]> = { movie: ['映画', '監督', '俳優'], baseball: ['野球', '投手', '試合'] };
  let n = 0;
  for (let i = 0; i < 6; i++) for (const [label, w] of Object.entries(topics)) rows.push(`${label}の記事${++n},${label},${w[i % 3]}と${w[(i + 1) % 3]}について${w[(i + 2) % 3]}の話をした。東京で見た。`);
  const path = join(dir, 'docs.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

describe.skipIf(!canRunBrowser)('attribution in the browser, end to end', () => {
  const session = browserSession('shirabe-e2e-attribution-');
  const { dir } = session;

  it("explains the default model's sentence embedding of two documents and shows, filters and exports the heatmap", async () => {
    const { app, page } = session;
    await createProject(page, app.url, join(dir, 'attribution.shirabe'));
    await importCsv(page, writeCorpus(dir));
    await addModel(page, defaultModelDir);

    await page.getByTestId('nav-attribution').click();
    await page.getByTestId('attribution-view').waitFor();
    await page.getByTestId('attribution-target').getByText('文埋め込み').click();
    await page.getByTestId('attribution-source').getByText('モデルフォルダ').click();
    await expect.poll(() => page.getByTestId('attribution-model').inputValue(), { timeout: 10_000 }).toBe('shirabe-tiny-ja');
    await page.getByTestId('attribution-estimate').check();
    await page.getByTestId('attribution-projections').fill('16');
    await page.getByTestId('attribution-ids').fill('1, 2');
    await page.getByTestId('attribution-start-button').click();
    await page.getByTestId('attribution-started').waitFor({ timeout: 15_000 });
    const job = page.locator('[data-testid="job-item"][data-kind="attribution"]').last();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toMatch(/^(done|failed|cancelled)$/);
    expect(await job.getAttribute('data-status'), await job.innerText()).toBe('done');
    expect(await job.innerText()).toContain('根拠の可視化');

    const row = page.getByTestId('runs-row').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    expect(await row.getByTestId('runs-done').innerText()).toBe('2 / 2');
    await row.getByTestId('runs-open').click();
    await page.locator('[data-testid="run-view"][data-kind="attribution"][data-status="done"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('attribution-document-row').count(), { timeout: 15_000 }).toBe(2);

    // The first document's heatmap by words: every word coloured, the summary says the gap.
    const heatmap = page.getByTestId('attribution-heatmap');
    await expect.poll(() => heatmap.getAttribute('data-unit'), { timeout: 15_000 }).toBe('word');
    const words = Number(await heatmap.getAttribute('data-units'));
    expect(words).toBeGreaterThan(3);
    expect(await page.getByTestId('heatmap-unit-span').count()).toBe(words);
    expect(await page.getByTestId('heatmap-summary').innerText()).toMatch(/ずれ [\d.]+%/);
    expect(await page.getByTestId('heatmap-text').innerText()).toContain('の話をした');
    expect(Number(await page.getByTestId('heatmap-unit-span').first().getAttribute('data-score'))).toBeGreaterThan(0);

    // Morphemes, then nouns only.
    await page.getByTestId('heatmap-unit').getByText('形態素').click();
    await expect.poll(() => heatmap.getAttribute('data-unit')).toBe('morpheme');
    const morphemes = Number(await heatmap.getAttribute('data-units'));
    // Mantine's MultiSelect keeps its test id on a hidden input: open it by its visible box.
    await heatmap.locator('.mantine-MultiSelect-input').click();
    await page.getByRole('option', { name: '名詞', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect.poll(async () => Number(await heatmap.getAttribute('data-units'))).toBeLessThan(morphemes);
    const nouns = await page.getByTestId('heatmap-unit-span').allInnerTexts();
    expect(nouns).toContain('東京');
    expect(nouns).not.toContain('を');

    // The second document, then the exports.
    await page.getByTestId('attribution-document-row').nth(1).click();
    await expect.poll(() => heatmap.getAttribute('data-document')).toBe('2');
    await page.getByTestId('heatmap-export').click();
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('heatmap-export-svg').click()]);
    const svgPath = join(dir, svg.suggestedFilename());
    await svg.saveAs(svgPath);
    expect(svg.suggestedFilename()).toMatch(/^attribution-\d+-2-morpheme\.svg$/);
    const svgText = readFileSync(svgPath, 'utf8');
    expect(svgText).toMatch(/^<svg/);
    expect(svgText).toContain('東京');
    await page.getByTestId('heatmap-export').click();
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('heatmap-export-png').click()]);
    const pngPath = join(dir, png.suggestedFilename());
    await png.saveAs(pngPath);
    expect([...readFileSync(pngPath).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await page.getByTestId('heatmap-export').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('heatmap-export-csv').click()]);
    const csvPath = join(dir, csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('unit,start,end,text,score,pos');
    expect(lines.slice(1).every((l) => l.startsWith('morpheme,') && l.endsWith(',名詞'))).toBe(true);
    // Back on the runs page: the information analysis of the run against the corpus's frequencies.
    await page.getByTestId('run-back').click();
    const panel = page.getByTestId('information-panel');
    await panel.waitFor({ timeout: 15_000 });
    await panel.locator('.mantine-MultiSelect-input').click();
    await page.getByRole('option').first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('information-start').click();
    await page.getByTestId('information-result').waitFor({ timeout: 120_000 });
    const pearson = Number(await page.getByTestId('information-row').first().getAttribute('data-pearson'));
    expect(pearson).toBeGreaterThanOrEqual(-1);
    expect(pearson).toBeLessThanOrEqual(1);
    await page.getByTestId('information-scatter').waitFor();
    await page.screenshot({ path: join(dir, 'attribution.png'), fullPage: true });

    // The corpus's document viewer shows the document's heatmap too.
    await page.getByTestId('nav-corpus').click();
    await page.getByTestId('tab-documents').click();
    await expect.poll(() => page.getByTestId('doc-row').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByTestId('doc-row').first().click();
    const inViewer = page.getByTestId('doc-view').getByTestId('attribution-heatmap');
    await inViewer.waitFor({ timeout: 15_000 });
    expect(Number(await inViewer.getAttribute('data-units'))).toBeGreaterThan(3);
    await page.keyboard.press('Escape');
    console.log(`attribution e2e screenshot: ${join(dir, 'attribution.png')}`);
    expect(await page.getByTestId('error').count()).toBe(0);
  }, 300_000);
});
