// Jobs: the queue every long piece of work runs in (progress, ETA, cancel) and its history in the
// project. Which kinds of job exist, and the result each carries, the workflows' sections declare.
import { z } from 'zod';
import type { JobResults } from '../contract';
import type { ErrorInfo } from '../errors';
import { empty, event, method, section } from './define';

export type JobKind = keyof JobResults;
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

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
  etaSeconds: number | null;
  error: ErrorInfo | null;
  result: JobResults[K] | null;
}

/** Any job: a union over the kinds, so `job.kind === 'train'` types its result. */
export type JobInfo = { [K in JobKind]: JobOfKind<K> }[JobKind];
export type JobOf<K extends JobKind> = Extract<JobInfo, { kind: K }>;

/** Narrows a job to one kind (and so its result to that kind's). */
export function isJobOf<K extends JobKind>(job: JobInfo, kind: K): job is JobOf<K> {
  return job.kind === kind;
}

const byJob = z.object({ jobId: z.string() });

export const jobs = section({
  methods: {
    'jobs.list': method<JobInfo[]>()(empty),
    'jobs.get': method<JobInfo>()(byJob),
    'jobs.cancel': method<JobInfo>()(byJob),
  },
  events: { 'job.update': event<JobInfo>() },
});
