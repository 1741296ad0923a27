// What every workflow's service is built with: the open project, the job queue, the compute
// worker, settings, events, model inspection and morphology, shared by all (buildServices makes
// one). A workflow's service takes this and nothing else, so adding one changes no signature.
import type { EventName, Events, ModelInfo } from '../../common/contract';
import type { Morphology } from '../corpus/morphology';
import type { ComputeClient } from '../jobs/compute/client';
import type { JobQueue } from '../jobs/jobQueue';
import type { ProjectService } from './projectService';
import type { SettingsStore } from './settings';

export interface ServiceContext {
  projects: ProjectService;
  jobs: JobQueue;
  compute: ComputeClient;
  settings: SettingsStore;
  /** Sends a contract event to every client (IPC, WebSocket). */
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** The check report of a model folder. */
  inspect(path: string): Promise<ModelInfo>;
  /** kuromoji with IPADIC, loaded once on first use. */
  morphology(): Promise<Morphology>;
  /** Records what a job was asked to do, for the project's job history. */
  remember(jobId: string, config: unknown): void;
  /** Shirabe's version, for provenance. */
  version: string;
}
