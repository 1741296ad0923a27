// Entities and relations end to end, as a researcher would in the browser: import a few CoNLL04
// sentences (train, dev and test files cut from the CoNLL04 dev set, to stay fast), train a tiny
// table-filling run (the default model frozen, a small CNN head, one epoch), read its scores, open a
// test sentence in the viewer (spans and arcs drawn), open its table heatmap and export it as SVG;
// extract with it; and run a two-point layer sweep.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir, runEnd, setNumber } from './e2eHarness';
import { sharedData } from './paths';

const conll04 = join(sharedData, 'conll04', 'conll04_dev.json');
const haveData = existsSync(conll04);

if (!canRunBrowser) console.warn(`end-to-end entities test skipped: ${browserMissing}`);
else if (!haveData) console.warn(`end-to-end entities test skipped: needs ${conll04}`);

/** Writes conll04_{train,dev,test}.json with a few sentences each (those with relations first, so the viewer has arcs). */
function writeSubset(dir: string): string[] {
  const all = JSON.parse(readFileSync(conll04, 'utf8')) as { relations: unknown[] }[];
  const withRelations = all.filter((s) => s.relations.length > 0);
  const parts = { train: withRelations.slice(0, 16), dev: withRelations.slice(16, 20), test: withRelations.slice(20, 24) };
  return Object.entries(parts).map(([split, sentences]) => {
    const path = join(dir, `conll04_${split}.json`);
    writeFileSync(path, JSON.stringify(sentences));
    return path;
  });
}

describe.skipIf(!canRunBrowser || !haveData)('entities and relations in the browser, end to end', () => {
  const session = browserSession('shirabe-e2e-entities-');
  const { dir } = session;

  it('imports CoNLL04 sentences, trains a tiny run, views a sentence and its table, and exports the table', async () => {
    const { app, page } = session;
    await createProject(page, app.url, join(dir, 'entities.shirabe'));
    await addModel(page, defaultModelDir);

    // Import: three files by their paths on the server, the split from each file's name.
    await page.getByTestId('nav-entities').click();
    await page.getByTestId('entities-import').waitFor();
    for (const path of writeSubset(dir)) {
      await page.getByTestId('entities-import-path').fill(path);
      await page.getByTestId('entities-import-path-add').click();
    }
    await page.getByTestId('entities-import-name').fill('conll04-mini');
    await page.getByTestId('entities-import-start').click();
    await page.getByTestId('entities-import-report').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('entities-report-sentences').innerText()).toContain('24');
    // The chosen corpus's schema: CoNLL04's entity types with their counts.
    await expect.poll(() => page.getByTestId('entities-schema-entities-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // A tiny run: the default model frozen, a one-layer CNN of 8 channels, one epoch.
    await page.getByTestId('entities-tab-train').click();
    await page.getByTestId('entities-new').click();
    await page.getByTestId('entities-wizard').waitFor();
    await page.getByTestId('entities-corpus-schema').waitFor({ timeout: 15_000 });
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('entities-encoder-frozen').check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('entities-head-cnn').check();
    await setNumber(page, 'entities-cnn-layers', 1);
    await setNumber(page, 'entities-cnn-channels', 8);
    await page.getByTestId('wizard-next').click();
    await setNumber(page, 'entities-epochs', 1);
    await setNumber(page, 'entities-batch-size', 4);
    await setNumber(page, 'entities-max-length', 64);
    await page.getByTestId('wizard-start').click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await runEnd(page, 240_000), await page.getByTestId('run-view').innerText()).toBe('done');
    await page.getByTestId('entities-results').waitFor({ timeout: 15_000 });
    expect(Number(await page.getByTestId('entities-f1-ner').locator('span').first().innerText())).toBeGreaterThanOrEqual(0);
    await page.screenshot({ path: join(dir, 'entities-run.png'), fullPage: true });

    // A test sentence in the viewer: gold and predicted spans, gold arcs.
    const row = page.getByTestId('entities-sentence-row').first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.getByTestId('entities-viewer').waitFor();
    const figure = page.getByTestId('entities-sentence-figure').first();
    await expect.poll(() => figure.locator('g.span').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await figure.locator('g.arc').count()).toBeGreaterThan(0);

    // Its table, and the table exported as SVG.
    await page.getByTestId('entities-open-table').first().click();
    const chart = page.getByTestId('entities-table-chart');
    await chart.waitFor({ timeout: 60_000 });
    await page.getByTestId('entities-table-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('entities-table-export-svg').click()]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toMatch(/^table-\d+-0-run-\d+\.svg$/);
    expect(readFileSync(saved, 'utf8')).toContain('<svg');
    expect(await page.getByTestId('error').count()).toBe(0);
    await page.screenshot({ path: join(dir, 'entities-viewer.png'), fullPage: true });

    // Extraction: the run applied to the corpus's test documents, its entity list, a row opening
    // its document in the viewer, and the results written as JSONL.
    await page.getByTestId('entities-viewer-back').click();
    await page.getByTestId('run-back').click();
    await page.getByTestId('entities-tab-extract').click();
    await expect.poll(() => page.getByTestId('extract-run').inputValue(), { timeout: 15_000 }).toMatch(/^#\d+/);
    await page.getByTestId('extract-split').click();
    await page.getByRole('option', { name: 'test', exact: true }).click();
    await page.getByTestId('extract-start-button').click();
    await page.getByTestId('extract-started').waitFor({ timeout: 15_000 });
    const extractRow = page.getByTestId('runs-row').first();
    await extractRow.waitFor({ timeout: 15_000 });
    await extractRow.getByTestId('runs-open').click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await runEnd(page, 120_000), await page.getByTestId('run-view').innerText()).toBe('done');
    await page.getByTestId('extract-mentions').waitFor({ timeout: 15_000 });
    await page.getByTestId('extract-relations').waitFor();
    const found = Number((await page.getByTestId('extract-found-entities').innerText()).replace(/\D/g, ''));
    // The tiny model may find nothing; what it found is listed (50 rows a page).
    if (found > 0) await expect.poll(() => page.getByTestId('extract-mention-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    else await page.getByTestId('extract-mentions').getByText(/見つかりませんでした/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(dir, 'entities-extraction.png'), fullPage: true });
    await page.getByTestId('entities-export-jsonl').check();
    await page.getByTestId('entities-export-start').click();
    await page.getByTestId('project-path').fill(join(dir, 'extracted.jsonl'));
    await page.getByTestId('project-path-ok').click();
    await page.getByTestId('entities-export-result').waitFor({ timeout: 30_000 });
    if (found > 0) {
      await page.getByTestId('extract-mention-row').first().click();
      await page.getByTestId('entities-viewer').waitFor();
      await expect.poll(() => page.getByTestId('entities-sentence-figure').first().locator('g.span').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('error').count()).toBe(0);

    // A layer sweep of two points (the CNN head frozen on layers 0 and 2, one epoch, 8 channels): its
    // figure (F1 by layer) exported as CSV, and a point's row opening that point's entities run.
    await page.getByTestId('nav-entities').click();
    await page.getByTestId('entities-tab-sweep').click();
    await page.getByTestId('sweep-start').waitFor();
    await page.getByTestId('sweep-head-biaffine').uncheck();
    await page.getByTestId('sweep-encoder-full').uncheck();
    await page.getByTestId('sweep-layers').fill('0, 2');
    await setNumber(page, 'sweep-epochs', 1);
    await setNumber(page, 'sweep-batch-size', 4);
    await setNumber(page, 'sweep-cnn-channels', 8);
    await expect.poll(() => page.getByTestId('sweep-run-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('2');
    await page.getByTestId('sweep-start-button').click();
    await page.getByTestId('sweep-started').waitFor({ timeout: 15_000 });
    const sweepRow = page.getByTestId('runs-row').first();
    await sweepRow.waitFor({ timeout: 15_000 });
    await sweepRow.getByTestId('runs-open').click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await runEnd(page, 240_000), await page.getByTestId('run-view').innerText()).toBe('done');
    await expect.poll(() => page.locator('[data-testid="sweep-point-row"][data-status="done"]').count(), { timeout: 15_000 }).toBe(2);
    await page.getByTestId('chart-sweep').waitFor({ timeout: 15_000 });
    await page.getByTestId('chart-sweep-export').click();
    const [sweepCsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-sweep-export-csv').click()]);
    const sweepSaved = join(dir, sweepCsv.suggestedFilename());
    await sweepCsv.saveAs(sweepSaved);
    expect(readFileSync(sweepSaved, 'utf8').trim().split(/\r?\n/)).toHaveLength(3);
    await page.screenshot({ path: join(dir, 'entities-sweep.png'), fullPage: true });
    await page.getByTestId('sweep-point-row').first().click();
    await page.getByTestId('entities-results').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('error').count()).toBe(0);
  }, 720_000);
});
