// Applying a classifier end to end, as a researcher would in the browser: import a labelled corpus,
// fine-tune the default model briefly (LoRA, one epoch), apply the run to the whole corpus, read the
// metrics against gold on the run's page, then in the Corpus page's document table show the run's
// predicted column, filter by a predicted label and sort by confidence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/common';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir, importCsv, runEnd, walkLoraWizard } from './e2eHarness';

if (!canRunBrowser) console.warn(`end-to-end prediction test skipped: ${browserMissing}`);

describe.skipIf(!canRunBrowser)('applying a classifier in the browser, end to end', () => {
  const session = browserSession('shirabe-e2e-predict-');
  const { dir } = session;

  it('fine-tunes briefly, applies the run to the corpus, shows the predicted column, filters and sorts by it', async () => {
    const { app, page } = session;
    await createProject(page, app.url, join(dir, 'predict.shirabe'));
    await importCsv(page, writeSyntheticCsv(dir, 90, 11), { label: 'label', name: 'labelled' });
    await addModel(page, defaultModelDir);

    // A brief LoRA run through the training wizard.
    await walkLoraWizard(page, { corpus: /labelled/, rates: ['3e-3'], epochs: 1, batchSize: 8, maxLength: 32 });
    await page.getByTestId('wizard-start').click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await runEnd(page, 180_000), await page.getByTestId('run-view').innerText()).toBe('done');

    // Apply it to every document of the corpus.
    await page.getByTestId('nav-prediction').click();
    await page.getByTestId('prediction-start').waitFor();
    await expect.poll(() => page.getByTestId('prediction-run').inputValue(), { timeout: 15_000 }).toMatch(/^#\d+/);
    await page.getByTestId('prediction-start-button').click();
    await page.getByTestId('prediction-started').waitFor({ timeout: 15_000 });
    const row = page.getByTestId('runs-row').first();
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('runs-open').click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await runEnd(page, 120_000), await page.getByTestId('run-view').innerText()).toBe('done');
    // The metrics against gold, and the predicted documents.
    await page.getByTestId('prediction-evaluation').waitFor({ timeout: 15_000 });
    expect(Number(await page.getByTestId('run-test-accuracy').innerText())).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.getByTestId('prediction-row').count(), { timeout: 15_000 }).toBe(90);
    await page.screenshot({ path: join(dir, 'prediction-run.png'), fullPage: true });

    // The Corpus page: the predicted column, a filter by a predicted label, a sort by confidence.
    await page.getByTestId('nav-corpus').click();
    await page.getByTestId('doc-prediction-run').click();
    await page.getByRole('option', { name: /^#\d+/ }).first().click();
    const predicted = page.getByTestId('doc-predicted');
    await expect.poll(() => predicted.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = (await predicted.first().innerText()).replace(/ \([\d.]+\)$/, '');
    expect(first).toMatch(/^label\d+$/);
    await page.getByTestId('doc-prediction-label').click();
    await page.getByRole('option', { name: first, exact: true }).click();
    await expect.poll(async () => (await predicted.allInnerTexts()).every((s) => s.startsWith(`${first} (`)), { timeout: 15_000 }).toBe(true);
    // The count comes with its own answer (読み込み中… until then).
    await expect.poll(() => page.getByTestId('doc-total').innerText(), { timeout: 15_000 }).toMatch(/\d/);
    await page.getByTestId('doc-prediction-sort').click();
    await page.getByRole('option', { name: /↓/ }).click();
    await expect
      .poll(
        async () => {
          const c = (await predicted.allInnerTexts()).map((s) => Number(/\(([\d.]+)\)$/.exec(s)?.[1]));
          return c.length > 1 && c.every((x, i) => i === 0 || c[i - 1] >= x);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await page.getByTestId('error').count()).toBe(0);
    await page.screenshot({ path: join(dir, 'corpus-predicted.png'), fullPage: true });
  }, 420_000);
});
