// Which job trains which run. JobInfo names its run only once it is done (result.runId), so the
// calls that start one (train.start, train.resume, train.rerun) are remembered here, per API,
// for the run page to show that job's progress, ETA and cancel button.
import type { JobInfo, ShirabeApi } from '../../../common/contract';

const maps = new WeakMap<ShirabeApi, Map<number, string>>();

function mapOf(api: ShirabeApi): Map<number, string> {
  let map = maps.get(api);
  if (!map) maps.set(api, (map = new Map()));
  return map;
}

/** The latest job started for a run (a resume replaces the job before it). */
export function rememberTrainJob(api: ShirabeApi, runId: number, jobId: string): void {
  mapOf(api).set(runId, jobId);
}

/** The job of a run among this session's jobs: the one started here last, else a finished one whose result names it. */
export function trainJobOf(api: ShirabeApi, runId: number, jobs: readonly JobInfo[]): JobInfo | null {
  const id = mapOf(api).get(runId);
  if (id !== undefined) {
    const job = jobs.find((j) => j.id === id);
    if (job) return job;
  }
  for (let i = jobs.length - 1; i >= 0; i--) {
    const j = jobs[i];
    if (j.kind === 'train' && j.result && 'runId' in j.result && j.result.runId === runId) return j;
  }
  return null;
}
