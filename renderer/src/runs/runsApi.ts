// The renderer's one door to run data: every list, page, table and hook that shows runs calls these
// functions, never the backend's run methods itself, so how runs are reached (today the contract's
// runs.* methods, shared by every kind) is decided here alone.
import { expectRunOf, isRunOf, type RunDetailOf, type RunInfoOf, type RunKind, type ShirabeApi } from '../../../common/contract';

export type { RunDetailOf, RunInfoOf } from '../../../common/contract';

/** What a kind of run can do besides list, open, resume and delete. */
export interface RunCapabilities {
  /** A new run with the same config and seed. */
  rerun: boolean;
}

/**
 * Per kind. Pretraining's rerun writes a new model folder, which the contract takes (runs.rerun's
 * outputDir) but no page asks for yet, so it is not offered.
 */
const capabilities: { [K in RunKind]: RunCapabilities } = {
  train: { rerun: true },
  pretrain: { rerun: false },
  cluster: { rerun: true },
  map: { rerun: true },
  attribution: { rerun: true },
  prediction: { rerun: true },
  entities: { rerun: true },
  extract: { rerun: true },
  layerSweep: { rerun: true },
};

export function runCapabilities(kind: RunKind): RunCapabilities {
  return capabilities[kind];
}

export interface RunsApi {
  listRuns<K extends RunKind>(kind: K, corpusId: number | null): Promise<RunInfoOf<K>[]>;
  getRun<K extends RunKind>(kind: K, runId: number): Promise<RunDetailOf<K>>;
  /** Continues a stopped run from its last checkpoint. */
  resumeRun(kind: RunKind, runId: number): Promise<{ jobId: string }>;
  /** Starts a new run with a run's config; only for kinds whose capabilities say rerun. */
  rerunRun(kind: RunKind, runId: number): Promise<{ jobId: string; runId: number }>;
  deleteRun(kind: RunKind, runId: number): Promise<void>;
}

/** The run functions over one connection to the backend (the app's, or a test's). */
export function runsApi(api: ShirabeApi): RunsApi {
  return {
    async listRuns<K extends RunKind>(kind: K, corpusId: number | null) {
      const runs = await api.call('runs.list', { kind, corpusId });
      // runs.list of one kind gives only that kind: the filter narrows the type (Extract<RunInfo, { kind: K }> is RunInfoOf<K>).
      return runs.filter((r) => isRunOf(r, kind)) as RunInfoOf<K>[];
    },
    async getRun<K extends RunKind>(kind: K, runId: number) {
      // A run of another kind with this id is not the run asked for: runNotFound, as the backend says it.
      return expectRunOf(await api.call('runs.get', { runId }), kind) as RunDetailOf<K>;
    },
    resumeRun: (_kind, runId) => api.call('runs.resume', { runId }),
    rerunRun: (kind, runId) => (capabilities[kind].rerun ? api.call('runs.rerun', { runId }) : Promise.reject(new Error(`runs of kind "${kind}" cannot be re-run here`))),
    deleteRun: async (_kind, runId) => {
      await api.call('runs.delete', { runId });
    },
  };
}
