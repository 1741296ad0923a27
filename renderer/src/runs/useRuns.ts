// The runs of a kind and one run, kept current: loaded through runsApi, loaded again when a job of
// this session working on such a run changes state, and looked at every few seconds while a run is
// running with no job here (started in another window or by the CLI). Answers that come after a
// newer request are dropped (useLiveEffect).
import { useEffect, useMemo, useState } from 'react';
import type { Events, JobInfo, RunKind, RunStatus } from '../../../common/contract';
import { useApp } from '../state/AppContext';
import { useLiveEffect } from '../state/useLiveEffect';
import { jobActive, runJobOf, runJobsSignature } from './runJobs';
import { runsApi, type RunDetailOf, type RunInfoOf, type RunsApi } from './runsApi';
import { useRunEvents, type RunEventName } from './useLiveEvents';

/** The run functions over the app's connection. */
export function useRunsApi(): RunsApi {
  const { api } = useApp();
  return useMemo(() => runsApi(api), [api]);
}

/** Calls `tick` every `millis` while `on` holds. */
function usePolling(on: boolean, millis: number, tick: () => void): void {
  useEffect(() => {
    if (!on) return;
    const id = setInterval(tick, millis);
    return () => clearInterval(id);
    // `tick` only bumps a counter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [on, millis]);
}

export interface Runs<K extends RunKind> {
  /** Newest first; null until the first answer. */
  runs: RunInfoOf<K>[] | null;
  error: unknown;
  reload(): void;
}

/** The runs of a kind in one corpus (or every corpus: null). */
export function useRuns<K extends RunKind>(kind: K, corpusId: number | null): Runs<K> {
  const app = useApp();
  const api = useRunsApi();
  const [runs, setRuns] = useState<RunInfoOf<K>[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  const jobs = runJobsSignature(kind, app.jobs);
  const reload = () => setReloads((r) => r + 1);

  useLiveEffect((isLive) => {
    api.listRuns(kind, corpusId).then(
      (list) => isLive() && (setRuns(list), setError(null)),
      (err: unknown) => isLive() && setError(err),
    );
  }, [api, kind, corpusId, jobs, reloads]);

  usePolling(runs?.some((r) => r.status === 'running') ?? false, 5000, reload);
  return { runs, error, reload };
}

export interface Run<K extends RunKind> {
  /** Null until the first answer. */
  detail: RunDetailOf<K> | null;
  error: unknown;
  reload(): void;
  /** The latest job of this session working on the run, active or not. */
  job: JobInfo | null;
  /** The job is queued or running. */
  jobActive: boolean;
  /** Running with no job here: in another window or the CLI. */
  elsewhere: boolean;
  /** What the status badge says: running while the job is active, else the record's status. */
  status: RunStatus | null;
}

export function useRun<K extends RunKind>(kind: K, runId: number): Run<K> {
  const app = useApp();
  const api = useRunsApi();
  const [detail, setDetail] = useState<RunDetailOf<K> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  const reload = () => setReloads((r) => r + 1);
  const job = runJobOf(kind, runId, app.jobs);
  const jobState = job ? `${job.id}:${job.status}` : '';

  useLiveEffect((isLive) => {
    api.getRun(kind, runId).then(
      (d) => isLive() && (setDetail(d), setError(null)),
      (err: unknown) => isLive() && setError(err),
    );
  }, [api, kind, runId, reloads, jobState]);

  const active = jobActive(job);
  const elsewhere = detail?.status === 'running' && !active;
  usePolling(elsewhere, 4000, reload);
  return { detail, error, reload, job, jobActive: active, elsewhere, status: active ? 'running' : (detail?.status ?? null) };
}

/** A run and its live events since the page opened (see useRunEvents): what a run's page shows. */
export function useLiveRun<K extends RunKind, E extends RunEventName>(kind: K, event: E, runId: number): Run<K> & { events: { current: Events[E][] }; eventsVersion: number } {
  const run = useRun(kind, runId);
  const { events, version } = useRunEvents(event, runId);
  return { ...run, events, eventsVersion: version };
}
