// Which job works on which run: every job names its run from the moment it is queued (JobInfo.run),
// so a run's page finds the job that shows its progress, ETA and cancel button among the jobs, and
// a list of runs knows when to look again.
import type { JobInfo, RunKind } from '../../../common/contract';

/** The latest job of a run among this session's jobs (a resume's job comes after the one it resumed). */
export function runJobOf(kind: RunKind, runId: number, jobs: readonly JobInfo[]): JobInfo | null {
  for (let i = jobs.length - 1; i >= 0; i--) {
    const j = jobs[i];
    if (j.run?.kind === kind && j.run.runId === runId) return j;
  }
  return null;
}

/** Queued or running. */
export function jobActive(job: JobInfo | null): job is JobInfo {
  return job !== null && (job.status === 'queued' || job.status === 'running');
}

/** A string that changes whenever a job of this session working on a run of this kind changes state. */
export function runJobsSignature(kind: RunKind, jobs: readonly JobInfo[]): string {
  return jobs
    .filter((j) => j.run?.kind === kind)
    .map((j) => `${j.id}:${j.status}`)
    .join(',');
}
