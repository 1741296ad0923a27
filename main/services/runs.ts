// The lifecycle every kind of run shares (fine-tuning, pretraining, and the workflows to come): a
// run record exists before its job, the job marks it running, and a failure or cancel leaves it
// failed or cancelled with what it had kept, resumable from its last checkpoint. One provenance
// format for every run record.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { versions as nodeVersions } from 'node:process';
import type { Handlers, JobKind, JobResults, RunDetailOf, RunInfo, RunInfoOf, RunKind, RunStatus, StepPoint } from '../../common/contract';
import { ShirabeError, toErrorInfo, type ErrorInfo } from '../../common/errors';
import type { JobContext, JobQueue } from '../jobs/jobQueue';
import { encodeCheckpoint } from '../jobs/checkpoint';
import type { SweepTaskEvent } from '../jobs/compute/sweepTask';
import type { SweepEpoch } from '../ml/train/sweep';
import type { ProjectStore } from '../project/store';
import type { ProjectService } from './projectService';

const req = createRequire(typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js'));

/** The installed version of a package ("unknown" where it cannot be read). */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(req.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The software a run's numbers came from: Shirabe, TensorFlow.js and Node, versions without a "v". */
export function provenance(shirabe: string): Record<string, string> {
  return { shirabe, '@tensorflow/tfjs-core': packageVersion('@tensorflow/tfjs-core'), node: nodeVersions.node };
}

/** A run that ended early (interrupted, cancelled, failed) goes on from its checkpoint; a running or finished one does not. */
export function requireResumable(run: { id: number; status: RunStatus }): void {
  if (run.status !== 'interrupted' && run.status !== 'cancelled' && run.status !== 'failed') throw new ShirabeError('runNotResumable', { id: run.id, status: run.status });
}

export interface LaunchSpec<K extends JobKind & RunKind> {
  kind: K;
  runId: number;
  title: string;
  unit: 'steps' | 'documents';
  /** Records the run's status (and, failed, why). */
  setStatus(status: RunStatus, error: ErrorInfo | null): void;
  /** Keeps what the run has produced since its last checkpoint (curve points), before it is marked failed or cancelled. */
  keep(): void;
  body(ctx: JobContext): Promise<JobResults[K]>;
}

/** Queues a run's job: running while it runs, failed or cancelled (with what it kept) if it ends early. Returns the job's id. */
export function launchRun<K extends JobKind & RunKind>(jobs: JobQueue, spec: LaunchSpec<K>): string {
  const job = jobs.submit<K>({
    kind: spec.kind,
    title: spec.title,
    unit: spec.unit,
    run: { kind: spec.kind, runId: spec.runId },
    body: async (ctx) => {
      spec.setStatus('running', null);
      try {
        return await spec.body(ctx);
      } catch (err) {
        const cancelled = ctx.signal.aborted || (err instanceof ShirabeError && err.code === 'cancelled');
        spec.keep();
        spec.setStatus(cancelled ? 'cancelled' : 'failed', cancelled ? null : toErrorInfo(err));
        throw err;
      }
    },
  });
  return job.id;
}

/** Creates a run record and launches it; a launch that fails before its job is queued leaves no record behind. */
export async function createAndLaunch<T>(create: () => number, launch: (runId: number) => Promise<T>, remove: (runId: number) => void): Promise<{ runId: number; launched: T }> {
  const runId = create();
  try {
    return { runId, launched: await launch(runId) };
  } catch (err) {
    remove(runId);
    throw err;
  }
}

/** What a workflow with runs provides for the shared runs.* methods, for its own kind. */
export interface RunKindService<K extends RunKind> {
  list(corpusId: number | null): RunInfoOf<K>[];
  get(runId: number): RunDetailOf<K>;
  /** Queues the job that goes on from the run's last checkpoint (runs.resume has checked that the run ended early). */
  resume(runId: number): Promise<{ jobId: string }>;
  /** A new run with the run's config; `outputDir` where the kind writes a folder. */
  rerun(runId: number, options: { outputDir?: string }): Promise<{ jobId: string; runId: number }>;
  delete(runId: number): void;
}

export type RunKindServices = { [K in RunKind]: RunKindService<K> };

type RunsMethods = 'runs.list' | 'runs.get' | 'runs.resume' | 'runs.rerun' | 'runs.cancel' | 'runs.delete';

/** The job working on a run now (queued or running), if any. */
function activeJob(jobs: JobQueue, runId: number) {
  return jobs.list().find((j) => j.run?.runId === runId && (j.status === 'queued' || j.status === 'running')) ?? null;
}

/**
 * runs.* for every kind: the run's kind is read from the project's runs table (ids are unique
 * across kinds) and the call goes to that kind's service; cancel and delete are the same for all.
 */
export function runsHandlers(deps: { projects: ProjectService; jobs: JobQueue; kinds: RunKindServices }): Pick<Handlers, RunsMethods> {
  const head = (runId: number) => deps.projects.require().runs.head(runId);
  const kindOf = (runId: number) => deps.kinds[head(runId).kind];
  return {
    'runs.list': async ({ kind, corpusId }) => {
      if (kind !== null) return deps.kinds[kind].list(corpusId);
      const all: RunInfo[] = Object.values<RunKindService<RunKind>>(deps.kinds).flatMap((k) => k.list(corpusId));
      return all.sort((a, b) => b.id - a.id);
    },
    'runs.get': async ({ runId }) => kindOf(runId).get(runId),
    'runs.resume': async ({ runId }) => {
      const run = head(runId);
      requireResumable(run);
      return deps.kinds[run.kind].resume(runId);
    },
    'runs.rerun': async ({ runId, outputDir }) => kindOf(runId).rerun(runId, { outputDir }),
    'runs.cancel': async ({ runId }) => {
      head(runId);
      const job = activeJob(deps.jobs, runId);
      if (!job) throw new ShirabeError('runNotActive', { id: runId });
      deps.jobs.cancel(job.id);
      return null;
    },
    'runs.delete': async ({ runId }) => {
      const kind = kindOf(runId);
      if (activeJob(deps.jobs, runId)) throw new ShirabeError('runActive', { id: runId });
      kind.delete(runId);
      deps.projects.touched();
      return null;
    },
  };
}

/** What a run of documents keeps, as its repository gives it: the record, the documents already done. */
export interface DocumentRunRecords<K extends RunKind, C> {
  get(runId: number): RunInfoOf<K> & { config: C };
  list(corpusId: number | null): RunInfoOf<K>[];
  setStatus(runId: number, status: RunStatus, error: ErrorInfo | null): void;
  doneIds(runId: number): Set<number>;
  delete(runId: number): void;
}

/** What a run of documents' body is handed: its documents already done (to skip) and its time so far. */
export interface DocumentRunProgress {
  done: Set<number>;
  /** The seconds of the run's earlier sessions (before a resume) and of this one until now. */
  seconds(): number;
}

/**
 * A run whose work is a list of documents, each written as it is done (attribution, prediction):
 * its job on the shared lifecycle, with the documents done before (a resumed run skips them) and
 * the run's time across sessions; its config remembered with the job. `runKind` gives the runs.*
 * methods of the kind (resume with the run's config, rerun as a new run).
 */
export function documentRuns<K extends JobKind & RunKind, C>(deps: { jobs: JobQueue; projects: ProjectService; remember(jobId: string, config: unknown): void; version: string }, spec: {
  kind: K;
  records(store: ProjectStore): DocumentRunRecords<K, C>;
  body(store: ProjectStore, runId: number, config: C, ctx: JobContext, progress: DocumentRunProgress): Promise<JobResults[K]>;
}) {
  const launch = (store: ProjectStore, runId: number, config: C): string => {
    const records = spec.records(store);
    const record = records.get(runId);
    const jobId = launchRun(deps.jobs, {
      kind: spec.kind,
      runId,
      title: record.name,
      unit: 'documents',
      setStatus: (status, error) => records.setStatus(runId, status, error),
      // Every document is written as it is done: nothing is held back.
      keep: () => {},
      body: (ctx) => {
        const started = Date.now();
        const done = records.doneIds(runId);
        return spec.body(store, runId, config, ctx, { done, seconds: () => (record.seconds ?? 0) + (Date.now() - started) / 1000 });
      },
    });
    deps.remember(jobId, { runId, config, version: deps.version });
    return jobId;
  };
  const runKind = (start: (config: C) => Promise<{ jobId: string; runId: number }>, get: (runId: number) => RunDetailOf<K>): RunKindService<K> => ({
    list: (corpusId) => spec.records(deps.projects.require()).list(corpusId),
    get,
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: launch(store, runId, spec.records(store).get(runId).config) };
    },
    rerun: (runId) => start(spec.records(deps.projects.require()).get(runId).config),
    delete: (runId) => spec.records(deps.projects.require()).delete(runId),
  });
  return { launch, runKind };
}

/** An epoch's curve point of a sweep whose evaluation reports V. */
export type SweepEpochPoint<V> = Omit<SweepEpoch<V>, 'type'>;

/**
 * The curves of a run trained through a learning-rate sweep (fine-tuning, the entity extractor), as
 * its worker task reports them: each step and epoch sent live and kept until the next checkpoint,
 * which saves them with its state in one transaction; `keep` writes what a run that ended early had
 * since, `rest` hands the last points to the run's finishing transaction.
 */
export function sweepCurves<V>(o: {
  save(at: { learningRateIndex: number; step: number }, state: Uint8Array, steps: StepPoint[], epochs: SweepEpochPoint<V>[]): void;
  add(steps: StepPoint[], epochs: SweepEpochPoint<V>[]): void;
  live(point: ({ kind: 'step' } & StepPoint) | ({ kind: 'epoch' } & SweepEpochPoint<V>)): void;
}) {
  const steps: StepPoint[] = [];
  const epochs: SweepEpochPoint<V>[] = [];
  return {
    onEvent(e: SweepTaskEvent<V>): void {
      if (e.type === 'checkpoint') {
        const c = e.checkpoint;
        o.save({ learningRateIndex: c.position.learningRateIndex, step: c.position.step }, encodeCheckpoint(c), steps.splice(0), epochs.splice(0));
      } else if (e.type === 'step') {
        const p: StepPoint = { learningRateIndex: e.learningRateIndex, step: e.step, epoch: e.epoch, loss: e.loss, learningRate: e.learningRate };
        steps.push(p);
        o.live({ kind: 'step', ...p });
      } else {
        const { type: _t, ...p } = e;
        epochs.push(p);
        o.live({ kind: 'epoch', ...p });
      }
    },
    keep: () => o.add(steps.splice(0), epochs.splice(0)),
    rest: () => ({ steps: steps.splice(0), epochs: epochs.splice(0) }),
  };
}
