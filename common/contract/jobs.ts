// Jobs: the queue every long piece of work runs in (progress, ETA, cancel) and its history in the
// project. Which kinds of job exist, and the result each carries, the workflows' sections declare.
import { z } from 'zod';
import type { JobResults, RunKind } from '../contract';
import type { ErrorInfo } from '../errors';
import { empty, event, method, section } from './define';

export type JobKind = keyof JobResults;
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Where a run is in its lifecycle (every kind of run): interrupted = its process ended while it ran. */
export type RunStatus = 'running' | 'interrupted' | 'done' | 'failed' | 'cancelled';

/** The run a job works on: its kind (a workflow's runs table) and id. */
export interface RunRef {
  kind: RunKind;
  runId: number;
}

/**
 * Remaining time measured from the job's own progress (main/jobs/eta.ts): a range [low, high]
 * while the rate is still uncertain, one value (low = seconds = high, stable) once it is known.
 */
export interface JobEta {
  seconds: number;
  low: number;
  high: number;
  stable: boolean;
}

/** A job of one kind; its result is that kind's (null until it is done). */
export interface JobOfKind<K extends JobKind> {
  id: string;
  kind: K;
  title: string;
  status: JobStatus;
  done: number;
  total: number;
  unit: 'bytes' | 'documents' | 'steps';
  startedAt: number | null;
  finishedAt: number | null;
  /** The best single guess of the remaining seconds (eta.seconds); null when there is none. */
  etaSeconds: number | null;
  /** The estimate with its range; absent or null when there is none (no progress yet, stalled, finished). */
  eta?: JobEta | null;
  error: ErrorInfo | null;
  result: JobResults[K] | null;
  /** The run it trains, resumes or evaluates, where it has one: known from the start, not only once done. */
  run: RunRef | null;
}

/** Any job: a union over the kinds, so `job.kind === 'train'` types its result. */
export type JobInfo = { [K in JobKind]: JobOfKind<K> }[JobKind];
export type JobOf<K extends JobKind> = Extract<JobInfo, { kind: K }>;

/** Narrows a job to one kind (and so its result to that kind's). */
export function isJobOf<K extends JobKind>(job: JobInfo, kind: K): job is JobOf<K> & JobOfKind<K> {
  return job.kind === kind;
}

/** A finished job as the project's history keeps it: what it was asked to do (plain JSON) and how it ended. */
export type JobRecord = JobInfo extends infer J ? (J extends JobInfo ? Omit<J, 'done' | 'total' | 'unit' | 'etaSeconds' | 'eta'> & { config: unknown } : never) : never;

const byJob = z.object({ jobId: z.string() });

export const jobs = section({
  methods: {
    'jobs.list': method<JobInfo[]>()(empty),
    'jobs.get': method<JobInfo>()(byJob),
    'jobs.cancel': method<JobInfo>()(byJob),
    /** The project's job history (the newest 500), newest first: this session's and earlier ones. */
    'jobs.history': method<JobRecord[]>()(empty),
  },
  events: { 'job.update': event<JobInfo>() },
});
