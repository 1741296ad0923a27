// Downloading a model from the Hub into the models folder: the files Shirabe needs, each fetched
// into a `.part` file (resumed by HTTP Range after an interruption or a pause), checked against the
// Hub's LFS sha256 (or the git blob's SHA-1 for small files), and the whole folder moved into place
// only when every file is verified, with the commit it came from in shirabe-source.json. So a
// model folder under its final name is always complete, and one cut short leaves only the
// staging folder the next download resumes from.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { commitPattern, hubIdPattern, type HubDownloadResult, type HubFile, type HubPlan } from '../../common/contract/hub';
import { ShirabeError, toErrorInfo } from '../../common/errors';
import { estimate } from '../ml/models/estimate';
import { parseModelConfig } from '../ml/models';
import type { HubClient } from './client';

/** Written beside the files: where the model came from, so a project that uses it can record and find it again. */
export const sourceFile = 'shirabe-source.json';
/** Downloads in progress, inside the models folder (a rename from there is atomic: same file system). */
export const stagingFolder = '.shirabe-downloads';

export interface ModelSource {
  endpoint: string;
  id: string;
  /** The revision asked for, and the commit it resolved to. */
  revision: string;
  sha: string;
  downloadedAt: string;
  files: { path: string; size: number; sha256: string }[];
}

const tokenizerFiles = new Set([
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.txt',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'merges.txt',
  'sentencepiece.bpe.model',
  'spiece.model',
  'tokenizer.model',
]);

/** The files Shirabe reads, from a repository's list: config, tokenizer, and one set of weights (safetensors preferred). */
export function selectFiles(files: readonly HubFile[]): { selected: HubFile[]; weights: 'safetensors' | 'sharded' | 'bin' | 'sharded-bin' | null } {
  const top = files.filter((f) => !f.path.includes('/'));
  const has = (name: string) => top.some((f) => f.path === name);
  const base = top.filter((f) => f.path === 'config.json' || f.path === 'README.md' || tokenizerFiles.has(f.path));
  let weights: ReturnType<typeof selectFiles>['weights'] = null;
  let chosen: HubFile[] = [];
  if (has('model.safetensors')) {
    weights = 'safetensors';
    chosen = top.filter((f) => f.path === 'model.safetensors');
  } else if (has('model.safetensors.index.json')) {
    weights = 'sharded';
    chosen = top.filter((f) => f.path === 'model.safetensors.index.json' || /^model-\d+-of-\d+\.safetensors$/.test(f.path));
  } else if (has('pytorch_model.bin')) {
    weights = 'bin';
    chosen = top.filter((f) => f.path === 'pytorch_model.bin');
  } else if (has('pytorch_model.bin.index.json')) {
    weights = 'sharded-bin';
    chosen = top.filter((f) => f.path === 'pytorch_model.bin.index.json' || /^pytorch_model-\d+-of-\d+\.bin$/.test(f.path));
  }
  return { selected: [...base, ...chosen], weights };
}

/** `<org>--<name>@<12 hex of the commit>`: one folder per model and commit; an id or commit that could name another folder is refused. */
export function folderName(id: string, sha: string): string {
  if (!hubIdPattern.test(id) || !commitPattern.test(sha)) throw new ShirabeError('hubBadModelRef', { id: id.slice(0, 200), sha: sha.slice(0, 100) });
  return `${id.replace('/', '--')}@${sha.slice(0, 12)}`;
}

/** The verified source record of a folder, or null when it is not a finished download of that commit. */
export function readSource(dir: string): ModelSource | null {
  try {
    return JSON.parse(readFileSync(join(dir, sourceFile), 'utf8')) as ModelSource;
  } catch {
    return null;
  }
}

/** What downloading `id` at `revision` would fetch and need, and whether Shirabe can run it: nothing is written. */
export async function planDownload(client: HubClient, id: string, revision: string, modelsFolder: string, to?: string): Promise<HubPlan> {
  const info = await client.info(id, revision);
  const { selected, weights } = selectFiles(info.files);
  const target = to ?? join(modelsFolder, folderName(info.id, info.sha));
  const plan: HubPlan = {
    id: info.id,
    revision,
    sha: info.sha,
    license: info.license,
    gated: info.gated,
    pipelineTag: info.pipelineTag,
    files: info.files,
    selected: selected.map((f) => f.path),
    totalBytes: selected.reduce((n, f) => n + (f.size ?? 0), 0),
    modelType: null,
    refusal: null,
    parameters: null,
    memory: null,
    target,
    downloaded: readSource(target)?.sha === info.sha,
  };
  const names = new Set(selected.map((f) => f.path));
  if (!names.has('config.json')) {
    plan.refusal = { code: 'hubNoConfig', params: { id: info.id, revision } };
    return plan;
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await client.text(info.id, info.sha, 'config.json')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ShirabeError) throw err;
    plan.refusal = { code: 'modelConfigNotJson', params: { path: `${info.id}/config.json` } };
    return plan;
  }
  plan.modelType = typeof raw.model_type === 'string' ? raw.model_type : null;
  try {
    const { config } = parseModelConfig(raw);
    // Inference holds the float32 weights; fine-tuning adds gradients, AdamW's moments and a step's activations.
    const e = estimate(config, 'sequence-classification', { numLabels: 2, batch: { batchSize: 16, maxLength: 128 } });
    plan.parameters = e.backbone;
    plan.memory = { inferenceBytes: 4 * e.backbone, fineTuneBytes: e.memoryBytes };
  } catch (err) {
    plan.refusal = toErrorInfo(err);
    return plan;
  }
  if (!weights) plan.refusal = { code: 'hubNoWeights', params: { id: info.id, revision } };
  else if (!names.has('tokenizer.json') && !names.has('vocab.txt')) plan.refusal = { code: 'hubNoTokenizer', params: { id: info.id, revision } };
  return plan;
}

export interface DownloadProgress {
  done: number;
  total: number;
  file: string;
  /** The bytes counted were there already (a file verified by an earlier try, a .part continued): not this session's download speed. */
  carried?: boolean;
}

export interface DownloadOptions {
  client: HubClient;
  id: string;
  revision?: string;
  modelsFolder: string;
  /** A folder of the user's choice instead of `<modelsFolder>/<org>--<name>@<sha>`. */
  to?: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Tries per file after a dropped connection, each resuming by Range (default 5). */
  retries?: number;
  /** Pause between tries (ms; default 500 × try). */
  backoffMs?: number;
}

/** Downloads, verifies and moves a model into place; refuses (before any download) what Shirabe cannot run. */
export async function downloadModel(o: DownloadOptions): Promise<HubDownloadResult> {
  const revision = o.revision ?? 'main';
  const plan = await planDownload(o.client, o.id, revision, o.modelsFolder, o.to);
  if (plan.refusal) throw ShirabeError.from(plan.refusal);
  const final = plan.target;
  const done = alreadyThere(plan, final);
  if (done) return done;
  if (existsSync(final) && readdirSync(final).length > 0) throw new ShirabeError('hubTargetNotEmpty', { path: final, id: plan.id, sha: plan.sha });

  const staging = join(dirname(final), stagingFolder, basename(final));
  mkdirSync(dirname(staging), { recursive: true });
  // Two downloads of one model at once (the app and the command line, two windows) would append to the same .part files.
  const lock = lockStaging(staging, plan);
  try {
    return await fetchInto(o, plan, staging, final, revision);
  } finally {
    lock.release();
    const stagingRoot = dirname(staging);
    if (existsSync(stagingRoot) && readdirSync(stagingRoot).length === 0) rmSync(stagingRoot, { recursive: true, force: true });
  }
}

/** The result for a folder that is already a finished download of the plan's commit; null otherwise. */
function alreadyThere(plan: HubPlan, final: string): HubDownloadResult | null {
  const existing = readSource(final);
  if (existing?.sha !== plan.sha) return null;
  return { id: plan.id, sha: plan.sha, path: final, files: existing.files, bytes: existing.files.reduce((n, f) => n + f.size, 0), resumedBytes: 0, already: true };
}

/** `<staging>.lock`, made exclusively with this process's id; one left by a process that is gone is taken over. */
function lockStaging(staging: string, plan: HubPlan): { release(): void } {
  const file = `${staging}.lock`;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new ShirabeError('hubDownloadBusy', { id: plan.id, sha: plan.sha, path: plan.target, pid });
    rmSync(file, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: there is such a process, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The verified files into `staging`, then `staging` renamed to `final`. */
async function fetchInto(o: DownloadOptions, plan: HubPlan, staging: string, final: string, revision: string): Promise<HubDownloadResult> {
  // Another download may have finished it between the check above and the lock.
  const done = alreadyThere(plan, final);
  if (done) return done;
  mkdirSync(staging, { recursive: true });
  const files = plan.files.filter((f) => plan.selected.includes(f.path));
  const total = plan.totalBytes;
  let finished = 0;
  let resumedBytes = 0;
  const verified: ModelSource['files'] = [];
  for (const file of files) {
    const dest = join(staging, file.path);
    const part = `${dest}.part`;
    // A file verified by an earlier, interrupted download stays verified: its name is given only after the check.
    if (existsSync(dest) && file.size !== null && statSync(dest).size === file.size) {
      const sums = await hashFile(dest);
      if (matches(file, sums)) {
        verified.push({ path: file.path, size: file.size, sha256: sums.sha256 });
        finished += file.size;
        o.onProgress?.({ done: finished, total, file: file.path, carried: true });
        continue;
      }
      rmSync(dest, { force: true });
    }
    const url = o.client.fileUrl(plan.id, plan.sha, file.path);
    const fetched = await fetchResumable(o, url, part, file, (have, carried) => o.onProgress?.({ done: finished + have, total, file: file.path, ...(carried ? { carried } : {}) }));
    resumedBytes += fetched.resumed;
    const size = statSync(part).size;
    if (file.size !== null && size !== file.size) {
      rmSync(part, { force: true });
      throw new ShirabeError('hubSizeMismatch', { id: plan.id, file: file.path, found: size, expected: file.size });
    }
    const sums = await hashFile(part);
    if (!matches(file, sums)) {
      rmSync(part, { force: true });
      const lfs = file.sha256 !== null;
      throw new ShirabeError('hubChecksumMismatch', {
        id: plan.id,
        file: file.path,
        found: lfs ? sums.sha256 : `${sums.gitSha1} (git SHA-1)`,
        expected: lfs ? (file.sha256 ?? '') : `${file.gitSha1 ?? ''} (git SHA-1)`,
      });
    }
    renameSync(part, dest);
    verified.push({ path: file.path, size, sha256: sums.sha256 });
    finished += size;
    o.onProgress?.({ done: finished, total, file: file.path });
  }

  const source: ModelSource = { endpoint: o.client.endpoint, id: plan.id, revision, sha: plan.sha, downloadedAt: new Date().toISOString(), files: verified };
  writeFileSync(join(staging, sourceFile), `${JSON.stringify(source, null, 2)}\n`);
  // An empty folder of the user's choosing (--to) is replaced by the finished one; one that has
  // filled up since the download began is left alone (rmdir, never rm -r, on the user's folder).
  if (existsSync(final)) {
    try {
      rmdirSync(final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (err as NodeJS.ErrnoException).code === 'EEXIST') throw new ShirabeError('hubTargetNotEmpty', { path: final, id: plan.id, sha: plan.sha });
      throw err;
    }
  }
  mkdirSync(dirname(final), { recursive: true });
  renameSync(staging, final);
  return { id: plan.id, sha: plan.sha, path: final, files: verified, bytes: finished, resumedBytes, already: false };
}

/** Fetches `url` into `part`, continuing what is there by Range and after dropped connections; returns the bytes fetched by Range. */
async function fetchResumable(o: DownloadOptions, url: string, part: string, file: HubFile, progress: (have: number, carried?: boolean) => void): Promise<{ resumed: number }> {
  const retries = o.retries ?? 5;
  let resumed = 0;
  mkdirSync(dirname(part), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    let have = existsSync(part) ? statSync(part).size : 0;
    if (file.size !== null && have > file.size) {
      rmSync(part, { force: true });
      have = 0;
    }
    if (file.size !== null && have === file.size) return { resumed };
    // What the .part holds was fetched before (an earlier try or job): counted, not timed.
    progress(have, true);
    const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
    const res = await o.client.request(url, { what: o.id, revision: o.revision }, { headers, signal: o.signal });
    // A server that ignores Range sends the whole file (200): start the file again.
    const append = have > 0 && res.status === 206;
    if (have > 0 && !append) have = 0;
    const startedAt = have;
    const handle = await open(part, append ? 'a' : 'w');
    try {
      if (!res.body) throw new Error('empty body');
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        have += chunk.length;
        if (append) resumed += chunk.length;
        progress(have);
      }
      return { resumed };
    } catch (err) {
      if (o.signal?.aborted) throw new ShirabeError('cancelled');
      if (attempt >= retries) {
        throw new ShirabeError('hubUnreachable', { endpoint: o.client.endpoint, detail: `${file.path}: ${describe(err)} after ${attempt + 1} tries (${have - startedAt} bytes in the last)` });
      }
      await sleep(o.backoffMs ?? 500 * (attempt + 1), o.signal);
    } finally {
      await handle.close();
    }
  }
}

const describe = (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err));

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new ShirabeError('cancelled'));
    }, { once: true });
  });
}

/** The file's SHA-256 (LFS) and git blob SHA-1 in one pass. */
export async function hashFile(path: string): Promise<{ sha256: string; gitSha1: string }> {
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1');
  sha1.update(`blob ${statSync(path).size}\0`);
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
  }
  return { sha256: sha256.digest('hex'), gitSha1: sha1.digest('hex') };
}

function matches(file: HubFile, sums: { sha256: string; gitSha1: string }): boolean {
  if (file.sha256) return file.sha256 === sums.sha256;
  if (file.gitSha1) return file.gitSha1 === sums.gitSha1;
  return true; // the Hub gave no hash: the size check is all there is
}
