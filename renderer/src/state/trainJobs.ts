// Which job trains which run. JobInfo names its run only once it is done (result.runId), so the
// calls that start one (train.start/resume/rerun, pretrain.start/resume) are remembered here, per
// API and per kind of run, for the run page to show that job's progress, ETA and cancel button.
import type { JobInfo, JobKind, ShirabeApi } from '../../../common/contract';

export type RunJobKind = Extract<JobKind, 'train' | 'pretrain'>;

const maps = new WeakMap<ShirabeApi, Map<string, string>>();

function mapOf(api: ShirabeApi): Map<string, string> {
  let map = maps.get(api);
  if (!map) maps.set(api, (map = new Map()));
  return map;
}

/** The latest job started for a run (a resume replaces the job before it). */
export function rememberTrainJob(api: ShirabeApi, runId: number, jobId: string, kind: RunJobKind = 'train'): void {
  mapOf(api).set(`${kind}:${runId}`, jobId);
}

/** The job of a run among this session's jobs: the one started here last, else a finished one of its kind whose result names it. */
export function trainJobOf(api: ShirabeApi, runId: number, jobs: readonly JobInfo[], kind: RunJobKind = 'train'): JobInfo | null {
  const id = mapOf(api).get(`${kind}:${runId}`);
  if (id !== undefined) {
    const job = jobs.find((j) => j.id === id);
    if (job) return job;
  }
  for (let i = jobs.length - 1; i >= 0; i--) {
    const j = jobs[i];
    if (j.kind === kind && j.result && 'runId' in j.result && j.result.runId === runId) return j;
  }
  return null;
}
