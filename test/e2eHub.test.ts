// End to end: the Models page's Hugging Face Hub in browser mode (`shirabe serve` with HF_ENDPOINT
// set to the local Hub of test/hubServer.ts): search, a model's files and memory, a download with
// its progress to the verified folder that then lists as a model, and a refused architecture.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, canRunBrowser, createProject, defaultModelDir, startBrowserMode, type BrowserMode } from './e2eHarness';
import { tempDir } from './fixtures';
import { repoFromFolder, startLocalHub, type LocalHub } from './hubServer';

if (!canRunBrowser) console.warn(`end-to-end test skipped: ${browserMissing}`);

describe.skipIf(!canRunBrowser)('the Hub on the Models page, end to end', () => {
  const dir = tempDir('shirabe-e2e-hub-');
  let hub: LocalHub;
  let app: BrowserMode;
  let page: Page;

  beforeAll(async () => {
    hub = await startLocalHub([
      repoFromFolder('shirabe/tiny-ja', defaultModelDir, { downloads: 900 }),
      repoFromFolder('shirabe/tiny-llama', defaultModelDir, { override: { 'config.json': JSON.stringify({ model_type: 'llama' }) }, downloads: 10 }),
    ]);
    app = await startBrowserMode(dir, { HF_ENDPOINT: hub.endpoint });
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });

  it('searches, shows the files and memory, downloads with progress, and lists the model', async () => {
    await createProject(page, app.url, join(dir, 'hub.shirabe'));
    await page.getByTestId('nav-models').click();
    await page.getByTestId('hub-query').fill('tiny');
    await page.getByTestId('hub-search').click();
    const rows = page.getByTestId('hub-result');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await rows.first().getAttribute('data-id')).toBe('shirabe/tiny-ja');

    await rows.first().getByTestId('hub-open').click();
    const model = page.getByTestId('hub-model');
    await expect.poll(() => model.getByTestId('hub-files').innerText(), { timeout: 15_000 }).toContain('model.safetensors');
    expect(await model.getByTestId('hub-memory').innerText()).toMatch(/MiB/);
    await model.getByTestId('hub-download').click();
    await expect.poll(() => model.getByTestId('hub-done').count(), { timeout: 30_000 }).toBe(1);
    const sha = hub.repos.get('shirabe/tiny-ja')!.sha.slice(0, 12);
    const card = page.getByTestId('model-card').filter({ hasText: `shirabe--tiny-ja@${sha}` });
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => card.getByTestId('model-architecture').innerText(), { timeout: 30_000 }).toContain('BERT');
    expect(await page.getByTestId('error').count()).toBe(0);
  });

  it('refuses a model Shirabe cannot run, with the reason, before downloading', async () => {
    await page.getByTestId('hub-result').nth(1).getByTestId('hub-open').click();
    const model = page.getByTestId('hub-model');
    await expect.poll(() => model.getAttribute('data-id'), { timeout: 15_000 }).toBe('shirabe/tiny-llama');
    await expect.poll(() => model.getByTestId('hub-refusal').count(), { timeout: 15_000 }).toBe(1);
    expect(await model.getByTestId('hub-refusal').innerText()).toContain('llama');
    expect(await model.getByTestId('hub-download').isDisabled()).toBe(true);
    expect(hub.log.filter((l) => l.url.includes('tiny-llama') && l.url.endsWith('model.safetensors'))).toEqual([]);
  });
});
