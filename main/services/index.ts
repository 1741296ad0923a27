// buildServices: every service of the backend, built in one place with its dependencies
// passed in. Electron, the WebSocket server and the CLI all start here. A workflow's service is
// one entry in `workflows` below (its folder in main/services/<name>/): the one line a new
// workflow adds here.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, DialogPurpose, Handlers, JobInfo } from '../../common/contract';
import { Morphology } from '../corpus/morphology';
import { ComputeClient } from '../jobs/compute/client';
import { JobQueue } from '../jobs/jobQueue';
import { appHandlers } from './app';
import { attributionService } from './attribution';
import type { ServiceContext } from './context';
import { corpusService } from './corpus';
import { embeddingsService } from './embeddings';
import { entitiesService } from './entities';
import { EventBus } from './emitter';
import { figuresService } from './figures';
import { hubService, type HubDeps } from './hub';
import { inspectModelFolder, modelsService } from './models';
import { predictionService } from './prediction';
import { pretrainService } from './pretraining';
import { ProjectService } from './projectService';
import { runsHandlers } from './runs';
import type { SettingsStore } from './settings';
import { defaultConfigDir } from './settings';
import { topicsService } from './topics';
import { trainService } from './training';
import { gatherWorkflows } from './workflow';

export { maxUploadBytes } from './app';

export interface ServiceDeps {
  mode: AppInfo['mode'];
  version: string;
  settings: SettingsStore;
  /** resources/fonts/ipaexg.ttf: embedded in PDF figures. */
  fontPath: string;
  /** kuromoji's IPADIC folder; undefined = the one in node_modules. */
  dictionaryPath?: string;
  /** Native dialogs (Electron); absent in browser mode and the CLI. */
  pickPath?: (purpose: DialogPurpose, defaultPath?: string) => Promise<string | null>;
  /** The bundled default model (resources/models/shirabe-tiny-ja), listed on the Models page from the start. */
  defaultModelPath?: string;
  /** The Hub: the user's data folder (hub.json, the default models folder), the environment (HF_ENDPOINT, HF_HUB_OFFLINE, HF_TOKEN) and the token's store; by default the CLI's config folder and process.env. */
  hub?: HubDeps;
}

export interface Services {
  handlers: Handlers;
  events: EventBus;
  projects: ProjectService;
  jobs: JobQueue;
  compute: ComputeClient;
  morphology(): Promise<Morphology>;
  shutdown(): Promise<void>;
}

export function buildServices(deps: ServiceDeps): Services {
  const events = new EventBus();
  /** What each job was asked to do, kept in the project's job history with its outcome. */
  const configs = new Map<string, unknown>();
  const jobs = new JobQueue((info: JobInfo) => {
    events.emit('job.update', info);
    if (info.status === 'done' || info.status === 'failed' || info.status === 'cancelled') {
      projects.current()?.jobs.record({ ...info, config: configs.get(info.id) ?? null });
      configs.delete(info.id);
    }
  });
  const projects = new ProjectService(events, deps.settings, () => jobs.drain());
  const uploadDir = { path: '' };
  let morphology: Promise<Morphology> | null = null;
  const loadMorphology = () => (morphology ??= Morphology.load(deps.dictionaryPath));
  const compute = new ComputeClient({ choice: () => deps.settings.get().computeBackend, provider: () => deps.settings.get().inferenceProvider, dictionaryPath: deps.dictionaryPath });
  if (deps.defaultModelPath && deps.settings.get().models.length === 0 && existsSync(join(deps.defaultModelPath, 'config.json'))) {
    deps.settings.setModel(deps.defaultModelPath, true);
  }
  const ctx: ServiceContext = {
    projects,
    jobs,
    compute,
    settings: deps.settings,
    emit: (event, payload) => events.emit(event, payload),
    inspect: (path) => inspectModelFolder(path, loadMorphology),
    morphology: loadMorphology,
    remember: (jobId, config) => configs.set(jobId, config),
    version: deps.version,
  };

  /** Every workflow's service, by its contract section's name. */
  const workflows = gatherWorkflows([
    corpusService(ctx),
    modelsService(ctx),
    hubService(ctx, deps.hub ?? { configDir: defaultConfigDir() }),
    embeddingsService(ctx),
    trainService(ctx),
    pretrainService(ctx),
    topicsService(ctx),
    attributionService(ctx),
    predictionService(ctx),
    entitiesService(ctx),
    figuresService(deps.fontPath),
  ] as const);

  const handlers: Handlers = {
    ...appHandlers(ctx, { mode: deps.mode, pickPath: deps.pickPath, uploadDir }),
    ...workflows.handlers,
    ...runsHandlers({ projects, jobs, kinds: workflows.runs }),
  };

  return {
    handlers,
    events,
    projects,
    jobs,
    compute,
    morphology: loadMorphology,
    async shutdown() {
      await projects.close();
      await compute.shutdown();
      if (uploadDir.path) rmSync(uploadDir.path, { recursive: true, force: true });
    },
  };
}

/** The app's version from package.json, for the record of every run. */
export function readVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
