// The Hub client and download against a local Hub (test/hubServer.ts) serving the bundled demo
// model: search, download with progress, a connection cut mid-file resumed by Range to the same
// sha256, a corrupted file refused with nothing half-written, a gated model's 401, a 404,
// offline mode and an architecture Shirabe cannot run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShirabeError } from '../common/errors';
import { errorMessage } from '../common/messages';
import { HubClient } from '../main/hub/client';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { encodeSafetensors } from '../main/ml/weights/safetensorsWrite';
import { openSharded } from '../main/ml/weights/sharded';
import { bytesSource } from '../main/ml/weights/types';
import { downloadModel, folderName, planDownload, readSource, selectFiles, stagingFolder } from '../main/hub/download';
import { repoFromFolder, startLocalHub, type LocalHub } from './hubServer';
import { repoRoot } from './paths';

const defaultModelPath = join(repoRoot, 'resources/models/shirabe-tiny-ja');
let hub: LocalHub;
let root: string;
const weights = readFileSync(join(defaultModelPath, 'model.safetensors'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The demo model's weights in two shards with their index, as transformers saves a large model. */
function shards(): Record<string, Buffer> {
  const reader = openSafetensors(bytesSource(weights));
  const names = [...reader.tensors.keys()].sort();
  const halves = [names.slice(0, names.length >> 1), names.slice(names.length >> 1)];
  const files: Record<string, Buffer> = {};
  const weightMap: Record<string, string> = {};
  halves.forEach((part, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    files[file] = Buffer.from(encodeSafetensors(part.map((n) => [n, { shape: reader.tensors.get(n)!.shape, data: reader.read(n) }])));
    for (const n of part) weightMap[n] = file;
  });
  files['model.safetensors.index.json'] = Buffer.from(JSON.stringify({ metadata: { total_size: weights.length }, weight_map: weightMap }));
  return files;
}
const llamaConfig = JSON.stringify({ model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 2, vocab_size: 8000 });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'shirabe-hub-'));
  hub = await startLocalHub([
    repoFromFolder('shirabe/tiny-ja', defaultModelPath, { downloads: 500 }),
    repoFromFolder('shirabe/tiny-ja-resume', defaultModelPath, { downloads: 40 }),
    repoFromFolder('shirabe/tiny-ja-corrupt', defaultModelPath, { downloads: 30 }),
    repoFromFolder('shirabe/tiny-ja-gated', defaultModelPath, { gatedToken: 'hf_secret', downloads: 20 }),
    repoFromFolder('shirabe/tiny-llama', defaultModelPath, { override: { 'config.json': llamaConfig }, tags: ['transformers', 'text-generation'], pipelineTag: 'text-generation', downloads: 10 }),
    repoFromFolder('shirabe/tiny-ja-sharded', defaultModelPath, { override: shards(), omit: ['model.safetensors'], downloads: 1 }),
    repoFromFolder('other/sentence-model', defaultModelPath, { tags: ['sentence-transformers', 'feature-extraction'], library: 'sentence-transformers', pipelineTag: 'feature-extraction', downloads: 5 }),
  ]);
});

afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

const client = (o: { token?: string; offline?: boolean } = {}) => new HubClient({ endpoint: hub.endpoint, offline: o.offline ?? false, token: o.token ?? null });
const folder = (name: string) => join(root, name);
/** Every file under a folder, relative to it. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
async function failure(p: Promise<unknown>): Promise<ShirabeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ShirabeError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('Hub search and info', () => {
  it('finds models by id, most downloaded first, with their licence, library and task', async () => {
    const found = await client().search({ query: 'tiny', limit: 10 });
    expect(found.map((m) => m.id)).toEqual(['shirabe/tiny-ja', 'shirabe/tiny-ja-resume', 'shirabe/tiny-ja-corrupt', 'shirabe/tiny-ja-gated', 'shirabe/tiny-llama', 'shirabe/tiny-ja-sharded']);
    expect(found[0]).toMatchObject({ downloads: 500, license: 'cc-by-sa-4.0', library: 'transformers', pipelineTag: 'fill-mask', gated: false });
    expect(found[3].gated).toBe(true);
    const filtered = await client().search({ query: '', library: 'sentence-transformers', task: 'feature-extraction' });
    expect(filtered.map((m) => m.id)).toEqual(['other/sentence-model']);
    expect((await client().search({ query: 'tiny', limit: 2 })).length).toBe(2);
  });

  it('plans a download: commit, files with sizes and LFS sha256, the memory it needs, the target folder', async () => {
    const models = folder('plan');
    const plan = await planDownload(client(), 'shirabe/tiny-ja', 'main', models);
    const repo = hub.repos.get('shirabe/tiny-ja')!;
    expect(plan.sha).toBe(repo.sha);
    expect(plan.refusal).toBeNull();
    expect(plan.modelType).toBe('bert');
    const st = plan.files.find((f) => f.path === 'model.safetensors')!;
    expect(st).toEqual({ path: 'model.safetensors', size: weights.length, sha256: sha256(weights), gitSha1: null });
    expect(plan.files.find((f) => f.path === 'config.json')?.gitSha1).toMatch(/^[0-9a-f]{40}$/);
    expect(plan.selected).toContain('vocab.txt');
    expect(plan.selected).not.toContain('pretraining.json');
    // 1.51 M parameters (README), as float32.
    expect(plan.parameters).toBeGreaterThan(1_400_000);
    expect(plan.parameters).toBeLessThan(1_600_000);
    expect(plan.memory!.inferenceBytes).toBe(4 * plan.parameters!);
    expect(plan.memory!.fineTuneBytes).toBeGreaterThan(plan.memory!.inferenceBytes);
    expect(plan.target).toBe(join(models, `shirabe--tiny-ja@${repo.sha.slice(0, 12)}`));
    expect(plan.downloaded).toBe(false);
    expect(existsSync(models)).toBe(false); // planning writes nothing
  });

  it('chooses one set of weights: safetensors first, a sharded index with its shards, then pytorch_model.bin', () => {
    const f = (path: string) => ({ path, size: 1, sha256: null, gitSha1: null });
    const names = (files: string[]) => selectFiles(files.map(f)).selected.map((x) => x.path);
    expect(names(['config.json', 'model.safetensors', 'pytorch_model.bin', 'tf_model.h5', 'vocab.txt', 'onnx/model.onnx'])).toEqual(['config.json', 'vocab.txt', 'model.safetensors']);
    expect(names(['config.json', 'model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'pytorch_model.bin', 'tokenizer.json'])).toEqual([
      'config.json',
      'tokenizer.json',
      'model.safetensors.index.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect(names(['config.json', 'pytorch_model.bin', 'vocab.txt'])).toEqual(['config.json', 'vocab.txt', 'pytorch_model.bin']);
    expect(selectFiles([f('config.json'), f('tf_model.h5')]).weights).toBeNull();
  });
});

describe('Hub download', () => {
  it('downloads with progress into <org>--<name>@<sha>, verified, with the commit recorded', async () => {
    const models = folder('models-a');
    const progress: number[] = [];
    const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: models, onProgress: (p) => progress.push(p.done) });
    const repo = hub.repos.get('shirabe/tiny-ja')!;
    expect(result.path).toBe(join(models, folderName('shirabe/tiny-ja', repo.sha)));
    expect(result.already).toBe(false);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(result.bytes);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    expect(readFileSync(join(result.path, 'vocab.txt'))).toEqual(readFileSync(join(defaultModelPath, 'vocab.txt')));
    const source = readSource(result.path)!;
    expect(source).toMatchObject({ endpoint: hub.endpoint, id: 'shirabe/tiny-ja', revision: 'main', sha: repo.sha });
    expect(source.files.find((f) => f.path === 'model.safetensors')?.sha256).toBe(sha256(weights));
    // Nothing else in the models folder: no staging folder, no .part file.
    expect(readdirSync(models)).toEqual([folderName('shirabe/tiny-ja', repo.sha)]);
    expect(tree(result.path).some((f) => f.endsWith('.part'))).toBe(false);
    // The LFS file came through the 302 to storage.
    expect(hub.log.some((l) => l.url.includes('/shirabe/tiny-ja/resolve/') && l.url.endsWith('model.safetensors') && l.status === 302)).toBe(true);

    // Asked again (by commit hash this time), the verified folder is recognised and nothing is fetched.
    const before = hub.log.length;
    const again = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', revision: repo.sha, modelsFolder: models });
    expect(again.already).toBe(true);
    expect(hub.log.slice(before).filter((l) => l.url.includes('/lfs/'))).toEqual([]);
  });

  it('resumes a download the server cut mid-file with Range, ending with the identical sha256', async () => {
    const models = folder('models-b');
    hub.cutAfter('model.safetensors', 2_000_000);
    const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja-resume', modelsFolder: models, backoffMs: 10 });
    const ranged = hub.log.filter((l) => l.url.startsWith('/lfs/') && l.range !== null);
    // The resume starts where the .part file ends: the cut, or a little before it when the last
    // chunks received had not reached the disk as the connection closed (seen under load).
    expect(ranged.map((l) => l.status)).toEqual([206]);
    const start = Number(/^bytes=(\d+)-$/.exec(ranged[0].range!)?.[1]);
    expect(start).toBeGreaterThan(1_000_000);
    expect(start).toBeLessThanOrEqual(2_000_000);
    expect(result.resumedBytes).toBe(weights.length - start);
    expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    expect(readSource(result.path)!.files.find((f) => f.path === 'model.safetensors')?.sha256).toBe(sha256(weights));
    expect(readdirSync(models)).toEqual([basename(result.path)]);
  });

  it('pauses on cancel, keeping the .part file, and a later download continues it', async () => {
    const models = folder('models-c');
    const controller = new AbortController();
    // Cancel once a megabyte of the weights has arrived.
    const first = downloadModel({
      client: client(),
      id: 'shirabe/tiny-ja',
      modelsFolder: models,
      signal: controller.signal,
      onProgress: (p) => p.file === 'model.safetensors' && p.done > 1_000_000 && controller.abort(),
    });
    expect((await failure(first)).code).toBe('cancelled');
    const parts = tree(models).filter((f) => f.endsWith('.part'));
    expect(parts.length).toBe(1);
    expect(parts[0].startsWith(stagingFolder)).toBe(true);
    const kept = statSync(join(models, parts[0])).size;
    expect(kept).toBeGreaterThan(0);
    expect(readdirSync(models)).toEqual([stagingFolder]); // no model folder under its final name
    // Everything on disk already: the files verified before the cancel and the .part.
    const onDisk = tree(models).reduce((sum, f) => sum + statSync(join(models, f)).size, 0);
    const events: { done: number; carried: boolean }[] = [];
    const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: models, onProgress: (p) => events.push({ done: p.done, carried: Boolean(p.carried) }) });
    expect(result.resumedBytes).toBe(weights.length - kept);
    expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    expect(readdirSync(models)).toEqual([basename(result.path)]);
    // The bytes already there come as carried progress, so the ETA times only this session's bytes.
    let timed = 0;
    events.forEach((e, i) => {
      if (!e.carried) timed += e.done - (events[i - 1]?.done ?? 0);
    });
    expect(events.some((e) => e.carried && e.done >= kept)).toBe(true);
    expect(timed).toBe(result.bytes - onDisk);
  });

  it('lets one download of a model at a time write its files: a second at once is refused, a lock left by a dead process is taken over', async () => {
    const models = folder('models-busy');
    // The first is held up (a cut connection and a pause before its retry) while the second starts.
    hub.cutAfter('model.safetensors', 1_000_000);
    let second: Promise<ShirabeError> | null = null;
    const first = downloadModel({
      client: client(),
      id: 'shirabe/tiny-ja',
      modelsFolder: models,
      backoffMs: 400,
      onProgress: (p) => {
        if (p.file === 'model.safetensors' && !second) second = failure(downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: models }));
      },
    });
    const result = await first;
    const err = await second!;
    expect(err.code).toBe('hubDownloadBusy');
    expect(errorMessage(err.toInfo(), 'en')).toContain(`process ${process.pid}`);
    expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    expect(readdirSync(models)).toEqual([basename(result.path)]); // no lock, no staging folder left
    // A download cut short by a crash leaves its lock: the next one, finding its process gone, goes on.
    const again = folder('models-stale');
    const name = basename(result.path);
    mkdirSync(join(again, stagingFolder), { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(again, stagingFolder, `${name}.lock`), String(dead));
    const resumed = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: again });
    expect(resumed.already).toBe(false);
    expect(readdirSync(again)).toEqual([name]);
  });

  it("replaces an empty folder of the user's choosing, but never deletes what was put in it during the download", async () => {
    const chosen = folder('chosen');
    mkdirSync(chosen);
    const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: folder('models-to'), to: chosen });
    expect(result.path).toBe(chosen);
    expect(readSource(chosen)?.sha).toBe(result.sha);
    // The folder was empty when the download began; the user saves a file into it before it ends.
    const busy = folder('chosen-busy');
    mkdirSync(busy);
    const err = await failure(
      downloadModel({
        client: client(),
        id: 'shirabe/tiny-ja',
        modelsFolder: folder('models-to-busy'),
        to: busy,
        onProgress: (p) => p.file === 'model.safetensors' && !existsSync(join(busy, 'notes.txt')) && writeFileSync(join(busy, 'notes.txt'), 'mine'),
      }),
    );
    expect(err.code).toBe('hubTargetNotEmpty');
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('downloads a sharded model: the index and every shard, each verified, readable as one checkpoint', async () => {
    const models = folder('models-sharded');
    const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja-sharded', modelsFolder: models });
    expect(result.files.map((f) => f.path).filter((p) => p.includes('safetensors')).sort()).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
    ]);
    const reader = openSharded(readFileSync(join(result.path, 'model.safetensors.index.json'), 'utf8'), (f) => openSafetensors(bytesSource(readFileSync(join(result.path, f)))));
    const original = openSafetensors(bytesSource(weights));
    expect([...reader.tensors.keys()].sort()).toEqual([...original.tensors.keys()].sort());
    const name = [...original.tensors.keys()][0];
    expect(reader.read(name)).toEqual(original.read(name));
  });

  it('starts a file again when the server ignores Range', async () => {
    const models = folder('models-d');
    hub.cutAfter('model.safetensors', 1_000_000);
    hub.ignoreRange = true;
    try {
      const result = await downloadModel({ client: client(), id: 'shirabe/tiny-ja', modelsFolder: models, backoffMs: 10 });
      expect(result.resumedBytes).toBe(0);
      expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    } finally {
      hub.ignoreRange = false;
    }
  });

  it('refuses a corrupted file with a clear message and leaves nothing half-written', async () => {
    const models = folder('models-e');
    const repo = hub.repos.get('shirabe/tiny-ja-corrupt')!;
    // The storage serves altered bytes behind the listing's hash.
    const good = repo.files.get('model.safetensors')!;
    hub.corrupt('model.safetensors');
    let err: ShirabeError;
    try {
      err = await failure(downloadModel({ client: client(), id: 'shirabe/tiny-ja-corrupt', modelsFolder: models }));
    } finally {
      hub.corrupt('model.safetensors', false);
    }
    expect(err.code).toBe('hubChecksumMismatch');
    expect(err.params).toMatchObject({ id: 'shirabe/tiny-ja-corrupt', file: 'model.safetensors', expected: sha256(good) });
    expect(errorMessage(err.toInfo(), 'en')).toContain('arrived corrupted');
    expect(errorMessage(err.toInfo(), 'ja')).toContain('壊れて届きました');
    // No model folder, no .part: only the small files verified before it, in the staging folder.
    expect(readdirSync(models)).toEqual([stagingFolder]);
    expect(tree(models).filter((f) => f.endsWith('.part') || f.endsWith('model.safetensors'))).toEqual([]);
    expect(existsSync(join(models, folderName(repo.id, repo.sha)))).toBe(false);
  });

  it('says a gated model needs a token (401), and downloads it with one', async () => {
    const models = folder('models-f');
    const err = await failure(downloadModel({ client: client(), id: 'shirabe/tiny-ja-gated', modelsFolder: models }));
    expect(err.code).toBe('hubGated');
    expect(err.params).toMatchObject({ id: 'shirabe/tiny-ja-gated', status: 401 });
    expect(errorMessage(err.toInfo(), 'en')).toContain('HF_TOKEN');
    const wrong = await failure(planDownload(client({ token: 'hf_wrong' }), 'shirabe/tiny-ja-gated', 'main', models));
    expect(wrong.code).toBe('hubTokenRefused');
    const result = await downloadModel({ client: client({ token: 'hf_secret' }), id: 'shirabe/tiny-ja-gated', modelsFolder: models });
    expect(sha256(readFileSync(join(result.path, 'model.safetensors')))).toBe(sha256(weights));
    // The token went to the Hub's routes, never to the storage the LFS file was redirected to.
    expect(hub.log.filter((l) => l.url.startsWith('/lfs/') && l.authorization !== null)).toEqual([]);
    expect(hub.log.some((l) => l.url.includes('tiny-ja-gated') && l.authorization === 'Bearer hf_secret')).toBe(true);
    // The token is in no file Shirabe wrote.
    for (const f of tree(result.path)) expect(readFileSync(join(result.path, f)).includes('hf_secret')).toBe(false);
  });

  it('says a model or revision that does not exist is not there (404)', async () => {
    const missing = await failure(planDownload(client(), 'nobody/no-such-model', 'main', folder('x')));
    expect(missing.code).toBe('hubNotFound');
    expect(errorMessage(missing.toInfo(), 'en')).toContain('no model nobody/no-such-model at revision main');
    const revision = await failure(planDownload(client(), 'shirabe/tiny-ja', 'v9.9', folder('x')));
    expect(revision.code).toBe('hubNotFound');
    expect(revision.params.revision).toBe('v9.9');
  });

  it('in offline mode says so and touches no network', async () => {
    const before = hub.log.length;
    const err = await failure(client({ offline: true }).search({ query: 'tiny' }));
    expect(err.code).toBe('hubOffline');
    expect((await failure(downloadModel({ client: client({ offline: true }), id: 'shirabe/tiny-ja', modelsFolder: folder('y') }))).code).toBe('hubOffline');
    expect(hub.log.length).toBe(before);
    expect(errorMessage(err.toInfo(), 'ja')).toContain('オフラインモード');
  });

  it('says when the Hub cannot be reached', async () => {
    const err = await failure(new HubClient({ endpoint: 'http://127.0.0.1:9', offline: false, token: null }).search({ query: 'x' }));
    expect(err.code).toBe('hubUnreachable');
  });

  it('refuses an architecture Shirabe cannot run before downloading anything, with the reason', async () => {
    const models = folder('models-g');
    const plan = await planDownload(client(), 'shirabe/tiny-llama', 'main', models);
    expect(plan.modelType).toBe('llama');
    expect(plan.refusal?.code).toBe('modelUnknownArchitecture');
    expect(plan.memory).toBeNull();
    const before = hub.log.length;
    const err = await failure(downloadModel({ client: client(), id: 'shirabe/tiny-llama', modelsFolder: models }));
    expect(err.code).toBe('modelUnknownArchitecture');
    expect(errorMessage(err.toInfo(), 'en')).toContain('"llama" is not supported');
    expect(hub.log.slice(before).some((l) => l.url.startsWith('/lfs/'))).toBe(false);
    expect(existsSync(models)).toBe(false);
  });

  it('says which file failed without the signature of the storage URL it was redirected to', async () => {
    const signed = 'https://cdn-lfs.example/repos/ab/cd?X-Amz-Signature=s3cr3t&Expires=1';
    const seen: { url: string; authorization: string | null }[] = [];
    const fake: typeof fetch = async (input, init) => {
      const url = String(input);
      seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      if (!url.startsWith('https://cdn-lfs.example/')) return new Response(null, { status: 302, headers: { location: signed } });
      const res = new Response('busy', { status: 503 });
      Object.defineProperty(res, 'url', { value: url });
      return res;
    };
    const c = new HubClient({ endpoint: 'https://hub.example', offline: false, token: 'hf_token', fetch: fake });
    const err = await failure(c.request(c.fileUrl('shirabe/tiny-ja', 'a'.repeat(40), 'model.safetensors'), { what: 'shirabe/tiny-ja' }));
    expect(err.code).toBe('hubHttpError');
    expect(JSON.stringify(err.toInfo())).not.toContain('s3cr3t');
    expect(errorMessage(err.toInfo(), 'en')).toContain('https://cdn-lfs.example/repos/ab/cd');
    // The token went to the Hub's route, not to the storage.
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer hf_token', null]);
  });

  it('refuses an id or commit from the Hub that would name a folder outside the models folder', async () => {
    // A mirror (or anything at HF_ENDPOINT) answers the info route with its own id and sha: both become the folder's name.
    const answers = [
      { id: 'evil/x/../../../../escaped', sha: 'a'.repeat(40) },
      { id: 'shirabe/tiny-ja', sha: '/../../../../escaped' },
      { id: '../..', sha: 'b'.repeat(40) },
    ];
    for (const answer of answers) {
      const fake: typeof fetch = async (input) => {
        const url = String(input);
        if (url.includes('/api/models/')) return Response.json({ ...answer, siblings: [{ rfilename: 'config.json', size: 2, blobId: 'c'.repeat(40) }] });
        return new Response('{}');
      };
      const evil = new HubClient({ endpoint: 'http://127.0.0.1:1', offline: false, token: null, fetch: fake });
      const models = folder('models-traversal/inner/models');
      const err = await failure(planDownload(evil, 'shirabe/tiny-ja', 'main', models));
      expect(err.code).toBe('hubBadAnswer');
    }
    expect(existsSync(folder('escaped'))).toBe(false);
    // A shared project's recorded id and commit name a folder too.
    for (const [id, sha] of [['a/../../x', 'a'.repeat(40)], ['..', 'a'.repeat(40)], ['a/..', 'a'.repeat(40)], ['shirabe/tiny-ja', '../../../../../x']]) {
      expect(() => folderName(id, sha)).toThrow(ShirabeError);
    }
    expect(folderName('shirabe/tiny-ja', 'a'.repeat(40))).toBe('shirabe--tiny-ja@aaaaaaaaaaaa');
    expect(folderName('bert-base.v1', 'a'.repeat(40))).toBe('bert-base.v1@aaaaaaaaaaaa');
  });
});

function basename(p: string): string {
  return p.split(/[\\/]/).pop()!;
}
