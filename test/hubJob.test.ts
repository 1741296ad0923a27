// The Hub as the app uses it: hub.* methods through the contract, the download as a job with byte
// progress and an ETA, cancelled and resumed, the finished folder on the Models page, the Hub settings
// (environment over saved, the token only in its store).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCsv } from '../bench/common';
import { attributionConfigSchema, defaultImportOptions, expectRunOf, trainConfigSchema, type Input, type JobInfo, type Method, type Output } from '../common/contract';
import { buildServices, type Services } from '../main/services';
import { dispatch } from '../main/services/dispatch';
import { memorySecretStore } from '../main/services/hub';
import { fileSettings } from '../main/services/settings';
import { repoFromFolder, startLocalHub, type LocalHub } from './hubServer';
import { fontPath, repoRoot } from './paths';

const modelDir = join(repoRoot, 'resources/models/shirabe-tiny-ja');
let hub: LocalHub;
let dir: string;
let services: Services;
const secrets = memorySecretStore();
let downloaded = '';
let trainRunId = 0;
let embeddingRunId = 0;
let attributionRunId = 0;

/** fetch with the storage's bodies slowed (15 ms a chunk), so a download lasts long enough to watch and cancel. */
const slowFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!String(input).includes('/lfs/') || !res.body) return res;
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      await new Promise((r) => setTimeout(r, 15));
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: res.status, headers: res.headers });
};

async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input);
  if (!reply.ok) throw reply.error;
  return reply.value as Output<M>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shirabe-hubjob-'));
  hub = await startLocalHub([repoFromFolder('shirabe/tiny-ja', modelDir), repoFromFolder('shirabe/tiny-ja-gated', modelDir, { gatedToken: 'hf_app' })]);
  services = buildServices({
    mode: 'browser',
    version: 'test',
    settings: fileSettings(join(dir, 'settings.json')),
    fontPath,
    hub: { configDir: join(dir, 'config'), env: { HF_ENDPOINT: hub.endpoint }, secrets, fetch: slowFetch },
  });
});

afterAll(async () => {
  await services.shutdown();
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hub.* and the download job', () => {
  it('reports settings: the endpoint from HF_ENDPOINT, the models folder in the data folder, no token', async () => {
    const s = await call('hub.settings', {});
    expect(s).toEqual({
      endpoint: hub.endpoint,
      offline: false,
      modelsFolder: join(dir, 'config', 'models'),
      hasToken: false,
      tokenSource: null,
      fromEnv: { endpoint: true, offline: false },
    });
    const moved = await call('hub.setSettings', { modelsFolder: join(dir, 'shared-models') });
    expect(moved.modelsFolder).toBe(join(dir, 'shared-models'));
    expect(JSON.parse(readFileSync(join(dir, 'config', 'hub.json'), 'utf8')).modelsFolder).toBe(join(dir, 'shared-models'));
  });

  it('downloads as a job with byte progress and an ETA; cancel keeps the .part; a new job resumes; the model joins the Models page', async () => {
    const updates: JobInfo[] = [];
    const off = services.events.on('job.update', (j) => updates.push(j));
    const { jobId } = await call('hub.download', { id: 'shirabe/tiny-ja' });
    // Cancel once a fifth of the bytes are in.
    await new Promise<void>((resolve) => {
      const stop = services.events.on('job.update', (j) => {
        if (j.id === jobId && j.total > 0 && j.done > j.total / 5) {
          stop();
          services.jobs.cancel(jobId);
          resolve();
        }
      });
    });
    expect((await services.jobs.wait(jobId)).status).toBe('cancelled');
    const models = join(dir, 'shared-models');
    expect(readdirSync(models)).toEqual(['.shirabe-downloads']);

    const second = await call('hub.download', { id: 'shirabe/tiny-ja' });
    const done = await services.jobs.wait(second.jobId);
    off();
    expect(done.status).toBe('done');
    if (done.kind !== 'hubDownload' || !done.result) throw new Error('not a download');
    expect(done.result.resumedBytes).toBeGreaterThan(0);
    expect(done.unit).toBe('bytes');
    expect(done.total).toBe(done.result.bytes);
    const running = updates.filter((u) => u.id === second.jobId && u.status === 'running' && u.done > 0 && u.done < u.total);
    expect(running.length).toBeGreaterThan(1);
    expect(running.some((u) => u.etaSeconds !== null && u.etaSeconds > 0)).toBe(true);
    expect(readdirSync(models)).toEqual([done.result.path.split('/').pop()]);
    expect((await call('settings.get', {})).models[0]).toBe(done.result.path);
    const info = await call('models.inspect', { path: done.result.path });
    expect(info.modelType).toBe('bert');
    expect(info.source).toEqual({ endpoint: hub.endpoint, id: 'shirabe/tiny-ja', revision: 'main', sha: hub.repos.get('shirabe/tiny-ja')!.sha });
    downloaded = done.result.path;
  });

  it('records the model\'s Hub id and commit in a fine-tuning run that uses it', async () => {
    await call('project.create', { path: join(dir, 'p.shirabe') });
    const csv = writeSyntheticCsv(dir, 60, 3);
    await services.jobs.wait((await call('import.start', { path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
    const corpusId = (await call('corpus.list', {}))[0].id;
    const config = trainConfigSchema.parse({ corpusId, modelPath: downloaded, method: 'lora', learningRates: [2e-3], epochs: 1, batchSize: 8, maxLength: 16, seed: 7 });
    const { jobId, runId } = await call('train.start', config);
    // The run's record is written before it trains: cancel at once.
    services.jobs.cancel(jobId);
    await services.jobs.wait(jobId);
    const run = expectRunOf(await call('runs.get', { runId }), 'train');
    expect(run.model.source).toEqual({ endpoint: hub.endpoint, id: 'shirabe/tiny-ja', revision: 'main', sha: hub.repos.get('shirabe/tiny-ja')!.sha });
    expect(run.model.hash).toBe((await call('models.inspect', { path: downloaded })).hash);
    trainRunId = runId;
  });

  it("records the model's Hub id and commit in embedding and attribution runs too", async () => {
    const source = { endpoint: hub.endpoint, id: 'shirabe/tiny-ja', revision: 'main', sha: hub.repos.get('shirabe/tiny-ja')!.sha };
    const corpusId = (await call('corpus.list', {}))[0].id;
    const embedded = await services.jobs.wait((await call('embed.start', { corpusId, modelPath: downloaded, pooling: 'mean', layer: -1, maxLength: 16, batchSize: 16, truncation: 'head' })).jobId);
    expect(embedded.error).toBeNull();
    const embedding = (await call('embed.runs', { corpusId }))[0];
    expect(embedding.model.source).toEqual(source);
    embeddingRunId = embedding.id;
    // An attribution of the model: one short document, few steps, an estimated norm (a cancel would not stop the worker mid-document).
    const ids = (await call('corpus.documents', { corpusId, query: '', label: null, split: null, offset: 0, limit: 1 })).rows.map((r) => r.id);
    const attribution = await call(
      'attribution.start',
      attributionConfigSchema.parse({ corpusId, source: { kind: 'model', path: downloaded }, target: { kind: 'embedding', estimate: 8 }, documents: { kind: 'ids', ids }, steps: 4, tolerance: null, maxLength: 8 }),
    );
    expect((await services.jobs.wait(attribution.jobId)).error).toBeNull();
    attributionRunId = attribution.runId;
    expect(expectRunOf(await call('runs.get', { runId: attribution.runId }), 'attribution').model.source).toEqual(source);
  });

  it('opened where its base model is missing, the project offers it by id and commit: downloaded, hash-checked, the runs relinked', async () => {
    // As on a colleague's computer: the folder the run recorded is not there, and the models folder is elsewhere.
    renameSync(downloaded, join(dir, 'moved-away'));
    await call('hub.setSettings', { modelsFolder: join(dir, 'colleague-models') });
    const missing = await call('hub.missing', {});
    expect(missing).toEqual([
      {
        path: downloaded,
        name: downloaded.split('/').pop(),
        hash: expect.any(String),
        source: { endpoint: hub.endpoint, id: 'shirabe/tiny-ja', revision: 'main', sha: hub.repos.get('shirabe/tiny-ja')!.sha },
        // Every run that used the model: the fine-tuning run's base, the embedding and the attribution.
        runs: [
          { kind: 'train', id: trainRunId, name: expect.any(String) },
          { kind: 'embedding', id: embeddingRunId, name: expect.stringContaining(`#${embeddingRunId}`) },
          { kind: 'attribution', id: attributionRunId, name: expect.any(String) },
        ],
        found: null,
      },
    ]);
    const { jobId } = await call('hub.restore', { path: downloaded });
    const job = await services.jobs.wait(jobId);
    expect(job.error).toBeNull();
    const restored = join(dir, 'colleague-models', downloaded.split('/').pop()!);
    const run = expectRunOf(await call('runs.get', { runId: trainRunId }), 'train');
    expect(run.model.path).toBe(restored);
    expect(run.config.modelPath).toBe(restored);
    expect((await call('embed.runs', { corpusId: run.corpusId })).find((r) => r.id === embeddingRunId)?.model.path).toBe(restored);
    const attributionRun = expectRunOf(await call('runs.get', { runId: attributionRunId }), 'attribution');
    expect(attributionRun.model.path).toBe(restored);
    expect(attributionRun.config.source).toEqual({ kind: 'model', path: restored });
    expect(await call('hub.missing', {})).toEqual([]);

    // Located by hand instead: a copy with the same weights links; another model is refused by its hash.
    renameSync(restored, join(dir, 'a-copy'));
    expect((await call('hub.missing', {})).map((m) => m.path)).toEqual([restored]);
    const other = join(dir, 'other-model');
    cpSync(modelDir, other, { recursive: true });
    writeFileSync(join(other, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')), hidden_dropout_prob: 0.2 }));
    await expect(call('hub.relink', { from: restored, to: other })).rejects.toMatchObject({ code: 'hubRestoreHashMismatch' });
    expect(await call('hub.relink', { from: restored, to: join(dir, 'a-copy') })).toEqual({ runs: 3 });
    expect(expectRunOf(await call('runs.get', { runId: trainRunId }), 'train').model.path).toBe(join(dir, 'a-copy'));
    expect(await call('hub.missing', {})).toEqual([]);

    // Every kind of run moves in one transaction: a failure in a later one leaves the first as it was.
    renameSync(join(dir, 'a-copy'), join(dir, 'b-copy'));
    const store = services.projects.require();
    const relinkPretraining = store.pretraining.relinkBase;
    store.pretraining.relinkBase = () => {
      throw new Error('disk I/O error');
    };
    try {
      await expect(call('hub.relink', { from: join(dir, 'a-copy'), to: join(dir, 'b-copy') })).rejects.toThrow();
    } finally {
      store.pretraining.relinkBase = relinkPretraining;
    }
    expect(expectRunOf(await call('runs.get', { runId: trainRunId }), 'train').model.path).toBe(join(dir, 'a-copy'));
    expect(await call('hub.relink', { from: join(dir, 'a-copy'), to: join(dir, 'b-copy') })).toEqual({ runs: 3 });
  });

  it('keeps the token in its store only, and uses it for a gated model', async () => {
    await expect(call('hub.plan', { id: 'shirabe/tiny-ja-gated' })).rejects.toMatchObject({ code: 'hubGated' });
    const s = await call('hub.setToken', { token: 'hf_app' });
    expect(s).toMatchObject({ hasToken: true, tokenSource: 'store' });
    expect(JSON.stringify(s)).not.toContain('hf_app');
    const plan = await call('hub.plan', { id: 'shirabe/tiny-ja-gated' });
    expect(plan.refusal).toBeNull();
    expect(readFileSync(join(dir, 'config', 'hub.json'), 'utf8')).not.toContain('hf_app');
    expect(existsSync(join(dir, 'settings.json')) && readFileSync(join(dir, 'settings.json'), 'utf8').includes('hf_app')).toBe(false);
    expect((await call('hub.setToken', { token: null })).hasToken).toBe(false);
  });

  it('refuses a download before queueing it when offline', async () => {
    await call('hub.setSettings', { offline: true });
    await expect(call('hub.download', { id: 'shirabe/tiny-ja' })).rejects.toMatchObject({ code: 'hubOffline' });
    await expect(call('hub.search', { query: 'tiny' })).rejects.toMatchObject({ code: 'hubOffline' });
    expect(services.jobs.list().filter((j) => j.status === 'queued')).toEqual([]);
    await call('hub.setSettings', { offline: false });
  });
});
