// Fine-tuning end to end, as a researcher would do it in the browser: import a small labelled
// corpus, add the default model, walk the training wizard to a LoRA run, watch its learning curves
// grow while it trains, and when it has finished read the test metrics and export the confusion
// matrix as SVG.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/common';
import { addModel, browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir, importCsv, setNumber, walkLoraWizard } from './e2eHarness';

if (!canRunBrowser) console.warn(`end-to-end training test skipped: ${browserMissing}`);

describe.skipIf(!canRunBrowser)('fine-tuning in the browser, end to end', () => {
  const session = browserSession('shirabe-e2e-train-');
  const { dir } = session;

  it('imports a labelled corpus and adds the default model', async () => {
    const { app, page } = session;
    await createProject(page, app.url, join(dir, 'train.shirabe'));
    await importCsv(page, writeSyntheticCsv(dir, 150, 11), { label: 'label', name: 'labelled' });
    await addModel(page, defaultModelDir);
  }, 120_000);

  it('walks the wizard to a LoRA run whose curves grow, then shows and exports the confusion matrix', async () => {
    const { page } = session;
    // The wizard's steps (data, model, LoRA, hyperparameters): two learning rates (two curves), two epochs, short sequences.
    await walkLoraWizard(page, { corpus: /labelled/, rates: ['1e-3', '3e-3'], epochs: 2, batchSize: 8, maxLength: 32 });

    // Review: the config as JSON says what will run.
    const json = await page.getByTestId('train-config-json').innerText();
    expect(JSON.parse(json)).toMatchObject({ method: 'lora', learningRates: [1e-3, 3e-3], epochs: 2, batchSize: 8, maxLength: 32 });
    await page.getByTestId('wizard-start').click();

    // The run page: the step curve grows while the run trains (sampled until the run ends).
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    const status = page.getByTestId('run-status');
    const seen = new Set<number>();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const s = await status.getAttribute('data-status');
      const curves = page.getByTestId('run-curves');
      if ((await curves.count()) > 0) seen.add(Number(await curves.getAttribute('data-steps')));
      if (s && !['queued', 'running'].includes(s)) break;
      await page.waitForTimeout(150);
    }
    expect(await status.getAttribute('data-status'), await page.getByTestId('run-view').innerText()).toBe('done');
    const finalSteps = Number(await page.getByTestId('run-curves').getAttribute('data-steps'));
    // 2 rates × 2 epochs × ceil(training documents / 8) steps; seen partway as well as at the end.
    expect(finalSteps).toBeGreaterThanOrEqual(8);
    expect([...seen].some((n) => n > 0 && n < finalSteps), `step counts seen: ${[...seen].join(', ')}`).toBe(true);
    expect(Number(await page.getByTestId('run-curves').getAttribute('data-epochs'))).toBe(4);

    // Results: test metrics and the confusion matrix, exported as SVG.
    await page.getByTestId('run-test').waitFor({ timeout: 15_000 });
    const matrix = page.getByTestId('confusion-matrix');
    await matrix.waitFor();
    await matrix.getByTestId('confusion-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('confusion-export-svg').click()]);
    expect(download.suggestedFilename()).toMatch(/confusion-matrix\.svg$/);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const svg = readFileSync(saved, 'utf8');
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg).toContain('</svg>');
    // Gold and predicted label names on the axes.
    expect(svg).toMatch(/label\d/);
    await page.screenshot({ path: join(dir, 'run.png'), fullPage: true });

    // Why was a document misclassified? Integrated Gradients of its gold and predicted classes side by side.
    const errorRow = page.getByTestId('errors-row').first();
    await errorRow.waitFor({ timeout: 15_000 });
    await errorRow.getByTestId('explain-prediction').click();
    const sides = page.getByTestId('explain-side');
    await expect.poll(() => sides.count(), { timeout: 15_000 }).toBe(2);
    expect((await sides.evaluateAll((els) => els.map((e) => e.getAttribute('data-role')))).sort()).toEqual(['gold', 'predicted']);
    await expect.poll(() => page.getByTestId('attribution-heatmap').count(), { timeout: 120_000 }).toBe(2);
    expect(await page.getByTestId('heatmap-unit-span').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('error').count()).toBe(0);
    await page.screenshot({ path: join(dir, 'explain.png'), fullPage: true });
    await page.keyboard.press('Escape');
  }, 300_000);

  it('walks the pretraining wizard to a BERT from scratch whose loss curves grow, then compares masked-LM losses', async () => {
    const { page } = session;
    await page.getByTestId('nav-pretraining').click();
    await page.getByTestId('pretrain-new').click();
    await page.getByTestId('pretrain-wizard').waitFor();

    // Data: the corpus, its dev split held out.
    await page.getByTestId('pretrain-corpus').click();
    await page.getByRole('option', { name: /labelled/ }).click();
    await expect.poll(() => page.getByTestId('pretrain-documents').innerText(), { timeout: 15_000 }).toMatch(/\d/);
    await page.getByTestId('wizard-next').click();

    // Model: from scratch, a tiny shape; the parameter count follows the fields.
    await page.getByTestId('pretrain-mode').getByText(/scratch|ゼロから/).click();
    await page.getByTestId('pretrain-shape').waitFor();
    const before = await page.getByTestId('pretrain-parameters').innerText();
    for (const [k, v] of [['vocabSize', 400], ['hiddenSize', 32], ['numLayers', 1], ['numHeads', 2], ['intermediateSize', 64], ['maxPositions', 64]] as const) await setNumber(page, `pretrain-${k}`, v);
    await expect.poll(() => page.getByTestId('pretrain-parameters').innerText()).not.toBe(before);
    await page.getByTestId('wizard-next').click();

    // Training: short sequences, two epochs.
    for (const [k, v] of [['maxLength', 32], ['epochs', 2], ['batchSize', 8], ['learningRate', 0.003], ['checkpointEvery', 5]] as const) await setNumber(page, `pretrain-${k}`, v);
    await page.getByTestId('wizard-next').click();

    // Output: a new folder; the config is shown as JSON for the CLI.
    const output = join(dir, 'scratch-model');
    await page.getByTestId('pretrain-output').fill(output);
    expect(JSON.parse(await page.getByTestId('pretrain-config-json').innerText())).toMatchObject({ mode: 'scratch', maxLength: 32, epochs: 2, output });
    await page.getByTestId('wizard-start').click();

    // The run page: the curves grow while it trains, then the held-out losses show.
    // The scaffold's run page (run-view), once the pretraining run's record has come (data-status).
    const run = page.getByTestId('run-view');
    await page.locator('[data-testid="run-view"][data-kind="pretrain"][data-status]').waitFor({ timeout: 15_000 });
    const seen = new Set<number>();
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const curves = page.getByTestId('pretrain-curves');
      if ((await curves.count()) > 0) seen.add(Number(await curves.getAttribute('data-steps')));
      const s = await run.getAttribute('data-status');
      if (s && s !== 'running') break;
      await page.waitForTimeout(150);
    }
    expect(await run.getAttribute('data-status'), await run.innerText()).toBe('done');
    const steps = Number(await page.getByTestId('pretrain-curves').getAttribute('data-steps'));
    expect(steps).toBeGreaterThan(4);
    expect([...seen].some((n) => n > 0 && n < steps), `step counts seen: ${[...seen].join(', ')}`).toBe(true);
    expect(Number(await page.getByTestId('pretrain-curves').getAttribute('data-evals'))).toBe(3);
    const initial = Number((await page.getByTestId('pretrain-initial-loss').locator('td').nth(1).innerText()));
    const final = Number((await page.getByTestId('pretrain-final-loss').locator('td').nth(1).innerText()));
    expect(final).toBeLessThan(initial);
    await page.getByTestId('pretrain-add-model').click();

    // Masked-LM loss: the new model and the default model, on the test split; different tokenizers are flagged.
    await page.getByTestId('run-back').click();
    await page.getByTestId('pretrain-tab-mlm').click();
    // The multi-select's own input is hidden behind its pills: focus it and type to filter.
    for (const name of ['scratch-model', 'shirabe-tiny-ja']) {
      await page.getByTestId('mlm-models').focus();
      await page.keyboard.type(name.slice(0, 6));
      await page.getByRole('option', { name }).click();
    }
    await page.keyboard.press('Escape');
    await setNumber(page, 'mlm-max-length', 32);
    await page.getByTestId('mlm-start').click();
    await expect.poll(() => page.getByTestId('mlm-row').count(), { timeout: 120_000 }).toBe(2);
    await page.getByTestId('mlm-not-comparable').waitFor();
    for (const text of await page.getByTestId('mlm-loss').allInnerTexts()) expect(Number(text)).toBeGreaterThan(0);
    await page.screenshot({ path: join(dir, 'pretrain.png'), fullPage: true });
  }, 300_000);
});
