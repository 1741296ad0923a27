// `shirabe model search` and `shirabe model download` against the local Hub (test/hubServer.ts),
// with HF_ENDPOINT, HF_HUB_OFFLINE and HF_TOKEN as a researcher sets them; the CLI runs in-process.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/cli';
import { repoFromFolder, startLocalHub, type LocalHub } from './hubServer';
import { repoRoot } from './paths';

const modelDir = join(repoRoot, 'resources/models/shirabe-tiny-ja');
let hub: LocalHub;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shirabe-hubcli-'));
  hub = await startLocalHub([
    repoFromFolder('shirabe/tiny-ja', modelDir, { downloads: 50 }),
    repoFromFolder('shirabe/tiny-ja-gated', modelDir, { gatedToken: 'hf_cli', downloads: 5 }),
    repoFromFolder('shirabe/tiny-llama', modelDir, { override: { 'config.json': JSON.stringify({ model_type: 'llama' }) }, downloads: 1 }),
  ]);
});

afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

async function shirabe(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    root: repoRoot,
    version: 'test',
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { SHIRABE_CONFIG_DIR: join(dir, 'config'), HF_ENDPOINT: hub.endpoint, LANG: 'en_US.UTF-8', ...env },
  });
  return { code, stdout, stderr };
}

describe('shirabe model search | download', () => {
  it('searches the Hub', async () => {
    const human = await shirabe(['model', 'search', 'tiny', '--limit', '2']);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toBe('id\tdownloads\tlikes\tlicence\tlibrary\ttask');
    expect(human.stdout).toContain('shirabe/tiny-ja\t50\t3\tcc-by-sa-4.0\ttransformers\tfill-mask');
    expect(human.stdout).toContain('shirabe/tiny-ja-gated (gated)');
    const json = JSON.parse((await shirabe(['model', 'search', 'tiny', '--task', 'fill-mask', '--json'])).stdout);
    expect(json.map((m: { id: string }) => m.id)).toEqual(['shirabe/tiny-ja', 'shirabe/tiny-ja-gated', 'shirabe/tiny-llama']);
  });

  it('downloads into the models folder, then again is a no-op; --to chooses the folder', async () => {
    const repo = hub.repos.get('shirabe/tiny-ja')!;
    const first = await shirabe(['model', 'download', 'shirabe/tiny-ja', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ id: 'shirabe/tiny-ja', sha: repo.sha, already: false, path: join(dir, 'config', 'models', `shirabe--tiny-ja@${repo.sha.slice(0, 12)}`) });
    const weights = readFileSync(join(result.path, 'model.safetensors'));
    expect(createHash('sha256').update(weights).digest('hex')).toBe(createHash('sha256').update(readFileSync(join(modelDir, 'model.safetensors'))).digest('hex'));
    // The folder is on the Models page's list and checks as a model.
    const settings = JSON.parse(readFileSync(join(dir, 'config', 'settings.json'), 'utf8'));
    expect(settings.models[0]).toBe(result.path);
    const inspected = await shirabe(['model', 'inspect', result.path, '--json']);
    expect(JSON.parse(inspected.stdout).modelType).toBe('bert');

    const again = await shirabe(['model', 'download', 'shirabe/tiny-ja']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already downloaded');
    expect(again.stderr).toContain('memory:');

    const to = join(dir, 'chosen');
    const chosen = JSON.parse((await shirabe(['model', 'download', 'shirabe/tiny-ja', '--revision', repo.sha, '--to', to, '--json'])).stdout);
    expect(chosen.path).toBe(to);
    expect(readdirSync(to).sort()).toContain('shirabe-source.json');
  });

  it('uses HF_TOKEN for a gated model and says how to give one when it is missing', async () => {
    const refused = await shirabe(['model', 'download', 'shirabe/tiny-ja-gated']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('gated or private');
    expect(refused.stderr).toContain('HF_TOKEN');
    const ok = await shirabe(['model', 'download', 'shirabe/tiny-ja-gated', '--json'], { HF_TOKEN: 'hf_cli' });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).id).toBe('shirabe/tiny-ja-gated');
  });

  it('refuses what Shirabe cannot run, a missing model, and offline mode, in the user language', async () => {
    const llama = await shirabe(['model', 'download', 'shirabe/tiny-llama']);
    expect(llama.code).toBe(1);
    expect(llama.stderr).toContain('"llama" is not supported');
    expect(existsSync(join(dir, 'config', 'models', `shirabe--tiny-llama@${hub.repos.get('shirabe/tiny-llama')!.sha.slice(0, 12)}`))).toBe(false);
    const missing = await shirabe(['model', 'download', 'nobody/nothing']);
    expect(missing.stderr).toContain('no model nobody/nothing at revision main');
    const offline = await shirabe(['model', 'search', 'tiny'], { HF_HUB_OFFLINE: '1', LANG: 'ja_JP.UTF-8' });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('オフラインモード');
  });
});
