// Models from the Hugging Face Hub: search, a download's plan (files, support, memory), the download
// as a job (bytes with ETA, cancel keeps the .part files for the next try) whose finished folder joins
// the Models page, and the Hub settings. The files themselves are main/hub's work.
import type { Handlers } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { downloadModel, planDownload } from '../../hub/download';
import type { ServiceContext } from '../context';
import type { WorkflowService } from '../workflow';
import { hubSettingsStore, type HubDeps } from './settings';

export { memorySecretStore, noSecretStore, type HubDeps, type SecretStore } from './settings';

type HubHandlers = Pick<Handlers, 'hub.search' | 'hub.plan' | 'hub.download' | 'hub.settings' | 'hub.setSettings' | 'hub.setToken'>;

export function hubService(ctx: ServiceContext, deps: HubDeps): WorkflowService<HubHandlers> {
  const settings = hubSettingsStore(deps);
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
            onProgress: (p) => job.progress(p.done, p.total),
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
  };
  return { handlers, runs: {} };
}
