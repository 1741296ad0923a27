// What the end-to-end tests share: browser mode (`shirabe serve` from the build) driven by
// headless Chromium, and the steps every scenario begins with (a new project, a model).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { tempDir } from './fixtures';
import { repoRoot } from './paths';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const built = existsSync(join(repoRoot, 'dist', 'renderer', 'index.html')) && existsSync(join(repoRoot, 'dist', 'cli.cjs'));
/** Chromium and a build (npm run build) are there: an end-to-end test can run. */
export const canRunBrowser = existsSync(chromiumPath) && built;
export const browserMissing = `needs ${chromiumPath} and a build (npm run build)`;
/** resources/models/shirabe-tiny-ja: the model the app ships (npm run model:default). */
export const defaultModelDir = join(repoRoot, 'resources', 'models', 'shirabe-tiny-ja');

export interface BrowserMode {
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Starts `shirabe serve --json` with its settings under dir (Japanese UI), and `env` added to its environment, and opens a page. */
export async function startBrowserMode(dir: string, env: Record<string, string> = {}): Promise<BrowserMode> {
  const server: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin', 'shirabe.cjs'), 'serve', '--json'], {
    env: { ...process.env, SHIRABE_CONFIG_DIR: join(dir, 'config'), LANG: 'ja_JP.UTF-8', ...env },
  });
  let browser: Browser | undefined;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  /** Closes the browser and stops the server, resolving once it has exited (the project file is free). */
  const close = async () => {
    await browser?.close();
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
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
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    return { url, browser, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Browser mode for a describe block: a fresh folder (`prefix`, or `dir` when given), the server and
 * browser started before its tests (with `env()` added, read then, so a beforeAll registered earlier
 * can prepare it) and closed after them. `app` and `page` are there once the tests run.
 */
export function browserSession(prefix: string, options: { env?: () => Record<string, string>; dir?: string } = {}): { dir: string; readonly app: BrowserMode; readonly page: Page } {
  const dir = options.dir ?? tempDir(prefix);
  let app: BrowserMode | undefined;
  beforeAll(async () => {
    app = await startBrowserMode(dir, options.env?.() ?? {});
  });
  afterAll(async () => {
    await app?.close();
  });
  const started = (): BrowserMode => {
    if (!app) throw new Error('browser mode has not started');
    return app;
  };
  return {
    dir,
    get app() {
      return started();
    },
    get page() {
      return started().page;
    },
  };
}

/** Types a number into a Mantine NumberInput, replacing what it held. */
export async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

/**
 * Walks the training wizard to a LoRA run of the default model on a labelled corpus, stopping at the
 * review step (its config JSON shown, not started): data (the corpus and its split counts), model
 * (checked), method (LoRA with its settings), hyperparameters (the rates, epochs, batch, length).
 */
export async function walkLoraWizard(page: Page, o: { corpus: RegExp; rates: string[]; epochs: number; batchSize: number; maxLength: number }): Promise<void> {
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-new').click();
  await page.getByTestId('train-wizard').waitFor();
  await page.getByTestId('train-corpus').click();
  await page.getByRole('option', { name: o.corpus }).click();
  await page.getByTestId('train-split-counts').waitFor({ timeout: 15_000 });
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('train-model').click();
  await page.getByRole('option', { name: 'shirabe-tiny-ja' }).click();
  await page.getByTestId('train-model-info').waitFor({ timeout: 30_000 });
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('train-method-lora').click();
  await page.getByTestId('train-lora-settings').waitFor();
  await page.getByTestId('wizard-next').click();
  const rates = page.getByTestId('train-lr-list');
  await rates.click();
  for (let i = 0; i < 8; i++) await rates.press('Backspace');
  for (const rate of o.rates) {
    await rates.fill(rate);
    await rates.press('Enter');
  }
  await setNumber(page, 'train-epochs', o.epochs);
  await setNumber(page, 'train-batch-size', o.batchSize);
  await setNumber(page, 'train-max-length', o.maxLength);
  await expect.poll(() => page.getByTestId('train-steps-estimate').innerText()).toMatch(/\d/);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('train-config-json').waitFor();
}

/** Waits on a run page until its run has ended, and returns its status. */
export async function runEnd(page: Page, timeout: number): Promise<string | null> {
  const status = page.getByTestId('run-status');
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const s = await status.getAttribute('data-status');
    if (s && !['queued', 'running'].includes(s)) return s;
    await page.waitForTimeout(200);
  }
  return status.getAttribute('data-status');
}

/** Opens the app and creates a project at path (browser mode asks for a path on the server). */
export async function createProject(page: Page, url: string, projectPath: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-path').fill(projectPath);
  await page.getByTestId('project-path-ok').click();
  await expect.poll(() => existsSync(projectPath), { timeout: 15_000 }).toBe(true);
}

/** Models page: adds a model folder by its path on the server and waits for its card to say BERT. */
export async function addModel(page: Page, modelDir: string): Promise<void> {
  expect(existsSync(join(modelDir, 'config.json')), `the default model is missing from ${modelDir}: make it with npm run model:default`).toBe(true);
  await page.getByTestId('nav-models').click();
  await page.getByTestId('model-path-input').fill(modelDir);
  await page.getByTestId('model-add').click();
  const name = modelDir.split(/[\\/]/).filter(Boolean).pop()!;
  const card = page.getByTestId('model-card').filter({ hasText: name });
  await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => card.getByTestId('model-architecture').innerText(), { timeout: 30_000 }).toContain('BERT');
  expect(await page.getByTestId('error').count()).toBe(0);
}

/**
 * The import wizard on a CSV with a "text" column: the upload, the text column awaited, the label
 * column and the corpus name when given, the import, its report closed.
 */
export async function importCsv(page: Page, csvPath: string, options: { label?: string; name?: string } = {}): Promise<void> {
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-file').setInputFiles(csvPath);
  await expect.poll(() => page.getByTestId('import-text-column').inputValue(), { timeout: 20_000 }).toBe('text');
  if (options.label) {
    await page.getByTestId('import-label-column').click();
    await page.getByRole('option', { name: options.label, exact: true }).click();
  }
  if (options.name) await page.getByTestId('import-name').fill(options.name);
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-report').waitFor({ timeout: 30_000 });
  await page.getByTestId('import-report-close').click();
}
