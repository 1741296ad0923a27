// End to end: the Models page's Hugging Face Hub in browser mode (`shirabe serve` with HF_ENDPOINT
// set to the local Hub of test/hubServer.ts): search, a model's files and memory, a download with
// its progress to the verified folder that then lists as a model, and a refused architecture; then a
// project shared from another computer, whose base model is downloaded again by its recorded commit.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/common';
import { defaultImportOptions, trainConfigSchema } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { browserMissing, browserSession, canRunBrowser, createProject, defaultModelDir } from './e2eHarness';
import { tempDir } from './fixtures';
import { repoFromFolder, startLocalHub, type LocalHub } from './hubServer';
import { fontPath } from './paths';

if (!canRunBrowser) console.warn(`end-to-end test skipped: ${browserMissing}`);

describe.skipIf(!canRunBrowser)('the Hub on the Models page, end to end', () => {
  let hub: LocalHub;
  beforeAll(async () => {
    hub = await startLocalHub([
      repoFromFolder('shirabe/tiny-ja', defaultModelDir, { downloads: 900 }),
      repoFromFolder('shirabe/tiny-llama', defaultModelDir, { override: { 'config.json': JSON.stringify({ model_type: 'llama' }) }, downloads: 10 }),
    ]);
  });
  afterAll(async () => {
    await hub?.close();
  });
  // Started after the local Hub (and closed before it: after-hooks run in reverse).
  const session = browserSession('shirabe-e2e-hub-', { env: () => ({ HF_ENDPOINT: hub.endpoint }) });
  const { dir } = session;

  it('searches, shows the files and memory, downloads with progress, and lists the model', async () => {
    const { app, page } = session;
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
    const { page } = session;
    await page.getByTestId('hub-result').nth(1).getByTestId('hub-open').click();
    const model = page.getByTestId('hub-model');
    await expect.poll(() => model.getAttribute('data-id'), { timeout: 15_000 }).toBe('shirabe/tiny-llama');
    await expect.poll(() => model.getByTestId('hub-refusal').count(), { timeout: 15_000 }).toBe(1);
    expect(await model.getByTestId('hub-refusal').innerText()).toContain('llama');
    expect(await model.getByTestId('hub-download').isDisabled()).toBe(true);
    expect(hub.log.filter((l) => l.url.includes('tiny-llama') && l.url.endsWith('model.safetensors'))).toEqual([]);
  });
});

describe.skipIf(!canRunBrowser)('a shared project whose base model is missing, end to end', () => {
  let hub: LocalHub;
  let trained = '';
  // What the server reads must be there before it starts: the first computer's work is done in a
  // beforeAll registered before the session's, and the local Hub closes after the server.
  const dir = tempDir('shirabe-e2e-shared-');
  const project = join(dir, 'shared.shirabe');

  beforeAll(async () => {
    hub = await startLocalHub([repoFromFolder('shirabe/tiny-ja', defaultModelDir)]);
    // On the first computer: the model downloaded from the Hub, a corpus, a fine-tuning run on the model.
    const first = buildServices({
      mode: 'browser',
      version: 'test',
      settings: fileSettings(join(dir, 'first', 'settings.json')),
      fontPath,
      hub: { configDir: join(dir, 'first'), env: { HF_ENDPOINT: hub.endpoint } },
    });
    const h = first.handlers;
    const download = await first.jobs.wait((await h['hub.download']({ id: 'shirabe/tiny-ja' })).jobId);
    if (download.kind !== 'hubDownload' || !download.result) throw new Error('download failed');
    trained = download.result.path;
    await h['project.create']({ path: project });
    const csv = writeSyntheticCsv(dir, 40, 3);
    await first.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
    const corpusId = (await h['corpus.list']({}))[0].id;
    const { jobId } = await h['train.start'](trainConfigSchema.parse({ corpusId, modelPath: trained, method: 'lora', learningRates: [2e-3], epochs: 1, batchSize: 8, maxLength: 16, seed: 7 }));
    first.jobs.cancel(jobId);
    await first.jobs.wait(jobId);
    await first.shutdown();
    // The second computer has no such folder, and its own models folder.
    rmSync(join(dir, 'first'), { recursive: true, force: true });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });
  const session = browserSession('', { dir, env: () => ({ HF_ENDPOINT: hub.endpoint }) });

  it('offers the missing model as soon as the project opens, by its recorded id and commit; downloads it and links the run', async () => {
    const { app, page } = session;
    await page.goto(app.url);
    await page.getByTestId('open-project').click();
    await page.getByTestId('project-path').fill(project);
    await page.getByTestId('project-path-ok').click();
    // The notice opens over the first page, before anyone visits the Models page.
    const notice = page.getByTestId('missing-on-open-body');
    const row = notice.getByTestId('missing-model');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getAttribute('data-path')).toBe(trained);
    expect(await row.innerText()).toContain(`shirabe/tiny-ja@${hub.repos.get('shirabe/tiny-ja')!.sha.slice(0, 12)}`);
    expect(await notice.getByTestId('missing-locate').count()).toBe(1);
    // Later: the notice goes, and the Models page keeps the same offer.
    await notice.getByTestId('missing-on-open-later').click();
    await expect.poll(() => notice.count(), { timeout: 5_000 }).toBe(0);
    await page.getByTestId('nav-models').click();
    await expect.poll(() => page.getByTestId('missing-models').getByTestId('missing-model').count(), { timeout: 15_000 }).toBe(1);
    // Opened again (the page reloaded on the open project): offered again; Download fetches the
    // commit, checks its hash and links the run, and the notice closes by itself.
    await page.reload();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByTestId('missing-download').click();
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId('nav-models').click();
    expect(await page.getByTestId('missing-models').count()).toBe(0);
    const name = trained.split(/[\\/]/).pop()!;
    const card = page.getByTestId('model-card').filter({ hasText: name });
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    expect(await card.getAttribute('data-path')).toBe(join(dir, 'config', 'models', name));
    expect(await page.getByTestId('error').count()).toBe(0);
  });
});
