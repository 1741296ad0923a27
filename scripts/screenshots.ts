// Screenshots for the README: the real UI in browser mode over the livedoor corpus.
// Run: node --import tsx scripts/screenshots.ts   (needs ../shared/data and /usr/bin/chromium)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'shirabe-shots-'));
const cli = join(root, 'bin', 'shirabe.cjs');
const env = { ...process.env, SHIRABE_CONFIG_DIR: join(dir, 'config'), LANG: 'ja_JP.UTF-8' };
const project = join(dir, 'livedoor.shirabe');

async function main(): Promise<void> {
  execFileSync('tar', ['xzf', join(root, '..', 'shared', 'data', 'livedoor', 'ldcc-text.tar.gz'), '-C', dir]);
  execFileSync(process.execPath, [cli, 'new', project], { env });
  execFileSync(process.execPath, [cli, 'import', project, join(dir, 'text'), '--name', 'livedoor', '--header-lines', '3', '--header-fields', 'url,date,title'], { env, stdio: 'inherit' });
  const server = spawn(process.execPath, [cli, 'serve', project, '--json'], { env });
  const url = await new Promise<string>((done) => server.stdout.on('data', (d: Buffer) => done((JSON.parse(d.toString()) as { url: string }).url)));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(url);
  await page.getByTestId('doc-search').fill('映画');
  await page.waitForTimeout(1500);
  await page.getByTestId('doc-row').nth(1).click();
  await page.waitForTimeout(800);
  await page.getByTestId('morph-toggle').click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(out, 'documents.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-kwic').click();
  await page.getByTestId('kwic-word').fill('映画');
  await page.getByTestId('kwic-sort').click();
  await page.getByRole('option').nth(2).click();
  await page.getByTestId('kwic-run').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'kwic.png') });
  await page.getByTestId('tab-stats').click();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: join(out, 'statistics.png') });
  await browser.close();
  server.kill('SIGTERM');
}

void main();
