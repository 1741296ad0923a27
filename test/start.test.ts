// `npm start` without an Electron binary says so, how to get it, and points to browser mode.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths';

function start(lang: string) {
  // ELECTRON_OVERRIDE_DIST_PATH is honoured by the electron package: point it at nothing.
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
    env: { ...process.env, SHIRABE_NO_BUILD: '1', ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron', LANG: lang, LC_ALL: '' },
    encoding: 'utf8',
  });
}

describe('npm start without Electron', () => {
  it('explains in English', () => {
    const r = start('en_US.UTF-8');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The Electron binary is missing');
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    expect(r.stderr).toContain('npx shirabe serve');
  });
  it('explains in Japanese', () => {
    const r = start('ja_JP.UTF-8');
    expect(r.stderr).toContain('Electron の実行ファイルがありません');
    expect(r.stderr).toContain('ブラウザモード');
  });
});
