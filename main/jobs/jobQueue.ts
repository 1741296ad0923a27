// Jobs run one at a time in submission order. Each gets an AbortSignal for cancel and a
// progress callback; the queue turns progress into an ETA measured from the job's own steps
// (eta.ts) and publishes every change.
import { randomUUID } from 'node:crypto';
import type { JobInfo, JobKind, JobResults, RunRef } from '../../common/contract';
import { ShirabeError, toErrorInfo } from '../../common/errors';
import { EtaEstimator } from './eta';

export interface JobContext {
  signal: AbortSignal;
  /** `done` of `total` units; `carried`: the count includes work done before this job (bytes already on disk), not measured for the ETA. */
  progress(done: number, total: number, carried?: boolean): void;
}

export type JobBody<K extends JobKind = JobKind> = (ctx: JobContext) => Promise<JobResults[K]>;

/** A job to queue: its kind, the run it works on (if any) and its body, whose result is its kind's. */
export interface JobSpec<K extends JobKind = JobKind> {
  kind: K;
  title: string;
  unit: JobInfo['unit'];
  run?: RunRef;
  body: JobBody<K>;
}

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  controller: AbortController;
  done: Promise<JobInfo>;
  resolve: (info: JobInfo) => void;
}

/** Progress updates are published at most this often (ms), plus every state change. */
const publishInterval = 200;
/** A running job without progress is looked at again this often (ms), so a stall drops its estimate. */
const heartbeatInterval = 5000;

export class JobQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private running: Entry | null = null;

  constructor(
    private readonly publish: (info: JobInfo) => void,
    private readonly now: () => number = Date.now,
  ) {}

  submit<K extends JobKind>(spec: JobSpec<K>): JobInfo {
    // Widened to every kind: a job of kind K with a null result is one of JobInfo's members.
    const info: JobInfo = {
      id: randomUUID(),
      kind: spec.kind as JobKind,
      title: spec.title,
      status: 'queued',
      done: 0,
      total: 0,
      unit: spec.unit,
      startedAt: null,
      finishedAt: null,
      etaSeconds: null,
      eta: null,
      error: null,
      result: null,
      run: spec.run ?? null,
    };
    let resolve!: (info: JobInfo) => void;
    const done = new Promise<JobInfo>((r) => (resolve = r));
    const entry: Entry = { info, spec: spec as JobSpec, controller: new AbortController(), done, resolve };
    this.entries.set(info.id, entry);
    this.waiting.push(entry);
    this.publish({ ...info });
    queueMicrotask(() => this.pump());
    return { ...info };
  }

  list(): JobInfo[] {
    return [...this.entries.values()].map((e) => ({ ...e.info }));
  }

  get(id: string): JobInfo {
    return { ...this.entry(id).info };
  }

  /** Resolves when the job has finished, whatever its status. */
  wait(id: string): Promise<JobInfo> {
    return this.entry(id).done;
  }

  cancel(id: string): JobInfo {
    const entry = this.entry(id);
    if (entry.info.status === 'queued') {
      this.waiting.splice(this.waiting.indexOf(entry), 1);
      this.finish(entry, 'cancelled', null, new ShirabeError('cancelled'));
    } else if (entry.info.status === 'running') {
      entry.controller.abort();
    }
    return { ...entry.info };
  }

  /** Cancels everything and waits for the running job to wind down (closing a project). */
  async drain(): Promise<void> {
    for (const entry of [...this.waiting]) this.cancel(entry.info.id);
    const running = this.running;
    if (running) {
      running.controller.abort();
      await running.done;
    }
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new ShirabeError('jobNotFound', { id });
    return entry;
  }

  private pump(): void {
    if (this.running) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    this.running = entry;
    void this.execute(entry);
  }

  private async execute(entry: Entry): Promise<void> {
    const { info } = entry;
    info.status = 'running';
    info.startedAt = this.now();
    this.publish({ ...info });
    let lastPublished = 0;
    const eta = new EtaEstimator();
    const setEta = (t: number) => {
      info.eta = eta.estimate(t);
      info.etaSeconds = info.eta?.seconds ?? null;
    };
    const ctx: JobContext = {
      signal: entry.controller.signal,
      progress: (done, total, carried) => {
        const t = this.now();
        info.done = done;
        info.total = total;
        eta.report(t, done, total, carried);
        setEta(t);
        if (t - lastPublished >= publishInterval || done >= total) {
          lastPublished = t;
          this.publish({ ...info });
        }
      },
    };
    const heartbeat = setInterval(() => {
      if (info.status !== 'running' || info.eta === null) return;
      setEta(this.now());
      if (info.eta === null) this.publish({ ...info });
    }, heartbeatInterval);
    heartbeat.unref?.();
    try {
      const result = await entry.spec.body(ctx);
      this.finish(entry, 'done', result, null);
    } catch (err) {
      const cancelled = entry.controller.signal.aborted || (err instanceof ShirabeError && err.code === 'cancelled');
      this.finish(entry, cancelled ? 'cancelled' : 'failed', null, err);
    } finally {
      clearInterval(heartbeat);
      this.running = null;
      this.pump();
    }
  }

  private finish(entry: Entry, status: JobInfo['status'], result: JobInfo['result'], err: unknown): void {
    const { info } = entry;
    info.status = status;
    info.finishedAt = this.now();
    info.etaSeconds = status === 'done' ? 0 : null;
    info.eta = null;
    info.result = result;
    info.error = err === null ? null : status === 'cancelled' ? { code: 'cancelled', params: {} } : toErrorInfo(err);
    this.publish({ ...info });
    entry.resolve({ ...info });
  }
}
