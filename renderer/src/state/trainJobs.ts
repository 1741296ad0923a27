// Which job trains which run: every job names its run from the moment it is queued (JobInfo.run),
// so the run page finds the job that shows its progress, ETA and cancel button among the jobs.
import type { JobInfo, RunKind } from '../../../common/contract';

/** The latest job of a run among this session's jobs (a resume's job comes after the one it resumed). */
export function runJobOf(kind: RunKind, runId: number, jobs: readonly JobInfo[]): JobInfo | null {
  for (let i = jobs.length - 1; i >= 0; i--) {
    const j = jobs[i];
    if (j.run?.kind === kind && j.run.runId === runId) return j;
  }
  return null;
}
