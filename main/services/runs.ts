// The lifecycle every kind of run shares (fine-tuning, pretraining, and the workflows to come): a
// run record exists before its job, the job marks it running, and a failure or cancel leaves it
// failed or cancelled with what it had kept, resumable from its last checkpoint. One provenance
// format for every run record.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { versions as nodeVersions } from 'node:process';
import type { JobKind, JobResults, RunKind, RunStatus } from '../../common/contract';
import { ShirabeError, toErrorInfo, type ErrorInfo } from '../../common/errors';
import type { JobContext, JobQueue } from '../jobs/jobQueue';

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
  if (run.status !== 'interrupted' && run.status !== 'cancelled' && run.status !== 'failed') throw new ShirabeError('trainNotResumable', { id: run.id, status: run.status });
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
