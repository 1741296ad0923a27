// Models from the Hugging Face Hub: search, a download's plan (files, support, memory), the download
// as a job (bytes with ETA, cancel keeps the .part files for the next try) whose finished folder joins
// the Models page, and the Hub settings. The files themselves are main/hub's work.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commitPattern, hubIdPattern, type Handlers, type MissingModel, type ModelSourceRef } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { downloadModel, folderName, planDownload, readSource } from '../../hub/download';
import type { ServiceContext } from '../context';
import type { WorkflowService } from '../workflow';
import { hubSettingsStore, type HubDeps } from './settings';

export { memorySecretStore, noSecretStore, type HubDeps, type SecretStore } from './settings';

type HubHandlers = Pick<Handlers, 'hub.search' | 'hub.plan' | 'hub.download' | 'hub.settings' | 'hub.setSettings' | 'hub.setToken' | 'hub.missing' | 'hub.restore' | 'hub.relink'>;

export function hubService(ctx: ServiceContext, deps: HubDeps): WorkflowService<HubHandlers> {
  const settings = hubSettingsStore(deps);

  /** The models the open project's runs recorded (a base model, or the model embedded, attributed or applied) that have no config.json where they were. */
  const missing = (): MissingModel[] => {
    const store = ctx.projects.require();
    const byModel = new Map<string, MissingModel>();
    const add = (m: { name: string; path: string; hash: string; source?: ModelSourceRef }, run: MissingModel['runs'][number]) => {
      if (existsSync(join(m.path, 'config.json'))) return;
      const key = `${m.path}\0${m.hash}`;
      let entry = byModel.get(key);
      if (!entry) {
        // The project's record may come from anyone: one that names no proper folder finds none.
        const valid = m.source && hubIdPattern.test(m.source.id) && commitPattern.test(m.source.sha);
        const candidate = valid && m.source ? join(settings.get().modelsFolder, folderName(m.source.id, m.source.sha)) : null;
        const found = candidate && readSource(candidate)?.sha === m.source?.sha ? candidate : null;
        entry = { path: m.path, name: m.name, hash: m.hash, source: m.source ?? null, runs: [], found };
        byModel.set(key, entry);
      }
      entry.runs.push(run);
    };
    for (const r of store.training.list(null)) add(r.model, { kind: 'train', id: r.id, name: r.name });
    for (const r of store.pretraining.list(null)) if (r.base) add(r.base, { kind: 'pretrain', id: r.id, name: r.name });
    // Embedding runs have no name of their own: their corpus and model say which.
    for (const r of store.embeddings.list(null)) add(r.model, { kind: 'embedding', id: r.id, name: `${r.corpusName} · ${r.model.name} (#${r.id})` });
    for (const r of store.attribution.list(null)) add(r.model, { kind: 'attribution', id: r.id, name: r.name });
    for (const r of store.prediction.list(null)) add(r.model, { kind: 'prediction', id: r.id, name: r.name });
    return [...byModel.values()];
  };
  const requireMissing = (path: string): MissingModel => {
    const m = missing().find((x) => x.path === path);
    if (!m) throw new ShirabeError('fileNotFound', { path });
    return m;
  };
  /** Points the runs of `m` at `to` once the folder there holds the same model (content hash). */
  const relink = async (m: MissingModel, to: string): Promise<number> => {
    const info = await ctx.inspect(to);
    if (info.hash !== m.hash) {
      throw new ShirabeError('hubRestoreHashMismatch', { id: m.source?.id ?? m.name, sha: m.source?.sha ?? info.path, expected: m.hash.slice(0, 12), found: info.hash.slice(0, 12) });
    }
    const store = ctx.projects.require();
    // Every run of the model moves, or none does.
    return store.transaction(
      () =>
        store.training.relinkBase(m.path, info.path, m.hash) +
        store.pretraining.relinkBase(m.path, info.path, m.hash) +
        store.embeddings.relinkModel(m.path, info.path, m.hash) +
        store.attribution.relinkModel(m.path, info.path, m.hash) +
        store.prediction.relinkModel(m.path, info.path, m.hash) +
        store.entities.relinkModel(m.path, info.path, m.hash),
    );
  };
  const handlers: HubHandlers = {
    'hub.search': async (q) => settings.client().search(q),
    'hub.plan': async ({ id, revision }) => planDownload(settings.client(), id, revision ?? 'main', settings.get().modelsFolder),
    'hub.download': async ({ id, revision, to }) => {
      const client = settings.client();
      const modelsFolder = settings.get().modelsFolder;
      // Refused before queueing: what Shirabe cannot run, a wrong id, offline, a gated model without a token.
      const plan = await planDownload(client, id, revision ?? 'main', modelsFolder, to);
      if (plan.refusal) throw ShirabeError.from(plan.refusal);
      const job = ctx.jobs.submit({
        kind: 'hubDownload',
        title: `${plan.id}@${plan.sha.slice(0, 12)}`,
        unit: 'bytes',
        body: async (job) => {
          const result = await downloadModel({
            client,
            id: plan.id,
            revision: revision ?? 'main',
            modelsFolder,
            to,
            signal: job.signal,
            onProgress: (p) => job.progress(p.done, p.total, p.carried),
          });
          ctx.settings.setModel(result.path, true);
          return result;
        },
      });
      ctx.remember(job.id, { id: plan.id, revision: revision ?? 'main', sha: plan.sha, to: plan.target, endpoint: client.endpoint });
      return { jobId: job.id };
    },
    'hub.settings': async () => settings.get(),
    'hub.setSettings': async (patch) => settings.set(patch),
    'hub.setToken': async ({ token }) => settings.setToken(token),
    'hub.missing': async () => missing(),
    'hub.relink': async ({ from, to }) => ({ runs: await relink(requireMissing(from), to) }),
    'hub.restore': async ({ path }) => {
      const m = requireMissing(path);
      if (!m.source) throw new ShirabeError('hubNoSource', { path });
      const source = m.source;
      // A shared project's record goes into a URL sent with the token and names a folder: checked first.
      if (!hubIdPattern.test(source.id) || !commitPattern.test(source.sha)) throw new ShirabeError('hubBadModelRef', { id: source.id.slice(0, 200), sha: source.sha.slice(0, 100) });
      const client = settings.client();
      const modelsFolder = settings.get().modelsFolder;
      // The recorded commit, from the endpoint set here (a colleague may use a mirror).
      const plan = await planDownload(client, source.id, source.sha, modelsFolder);
      if (plan.refusal) throw ShirabeError.from(plan.refusal);
      const job = ctx.jobs.submit({
        kind: 'hubDownload',
        title: `${source.id}@${source.sha.slice(0, 12)}`,
        unit: 'bytes',
        body: async (job) => {
          const result = await downloadModel({ client, id: source.id, revision: source.sha, modelsFolder, signal: job.signal, onProgress: (p) => job.progress(p.done, p.total, p.carried) });
          await relink(m, result.path);
          ctx.settings.setModel(result.path, true);
          return result;
        },
      });
      ctx.remember(job.id, { restore: path, id: source.id, sha: source.sha, endpoint: client.endpoint });
      return { jobId: job.id };
    },
  };
  return { handlers, runs: {} };
}
