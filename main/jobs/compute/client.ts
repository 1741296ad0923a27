// The main thread's side of the compute worker: starts it, sends tasks, turns its messages
// into progress and results, and restarts it when it dies (the running job fails with why).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ComputeBackendChoice, ComputeStatus, InferenceProviderChoice } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { FromWorker, RunMessage, ToWorker, WorkerStatus } from './protocol';
import type { TaskEvent, TaskInput, TaskName, TaskOutput } from './registry';

/**
 * How to start the worker: the bundled dist/computeWorker.cjs next to the running bundle, or,
 * when running from source (tests, tsx), worker.ts through tsx's loader.
 */
function spawnWorker(): Worker {
  const here = typeof __filename === 'string' && isAbsolute(__filename) ? __filename : '';
  if (here.endsWith('.cjs')) {
    for (const candidate of [join(dirname(here), 'computeWorker.cjs'), join(dirname(here), '..', 'computeWorker.cjs')]) {
      // Inside a packaged app the worker bundle is unpacked from the asar archive (electron-builder.yml).
      if (existsSync(candidate)) return new Worker(candidate.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`));
    }
  }
  const source = here && !here.endsWith('.cjs') ? join(dirname(here), 'worker.ts') : join(process.cwd(), 'main', 'jobs', 'compute', 'worker.ts');
  const tsx = pathToFileURL(join(process.cwd(), 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`;
  return new Worker(code, { eval: true });
}

interface Pending {
  onProgress(done: number, total: number): void;
  onEvent(event: unknown): void;
  resolve(output: unknown): void;
  reject(err: unknown): void;
}

/** How a caller follows a run: cancel through the signal, events and progress as they come. */
export interface RunOptions<K extends TaskName> {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  onEvent?(event: TaskEvent<K>): void;
}

export interface RunResult<K extends TaskName> {
  output: TaskOutput<K>;
  /** The backend it ran on, for the run's record (backendLabel). */
  backend: string;
}

export class ComputeClient {
  private worker: Worker | null = null;
  private ready: Promise<WorkerStatus> | null = null;
  private lastStatus: WorkerStatus | null = null;
  private readonly pending = new Map<string, Pending>();
  private statusWaiters: ((s: WorkerStatus) => void)[] = [];
  /** The backend and inference provider the worker was started with: either changed restarts it while idle. */
  private startedWith: string | null = null;
  private nextId = 0;
  /** Set by shutdown(): a worker that exits then is not restarted. */
  private closing = false;

  constructor(private readonly options: { choice: () => ComputeBackendChoice; provider?: () => InferenceProviderChoice; dictionaryPath?: string }) {}

  private chosen(): string {
    return `${this.options.choice()}|${this.options.provider?.() ?? 'auto'}`;
  }

  private start(): Promise<WorkerStatus> {
    if (this.ready && this.startedWith !== this.chosen() && this.pending.size === 0) {
      // The user forced another backend or inference provider: restart while idle.
      void this.worker?.terminate();
      this.worker = null;
      this.ready = null;
    }
    if (this.ready) return this.ready;
    const worker = spawnWorker();
    this.worker = worker;
    this.startedWith = this.chosen();
    this.ready = new Promise<WorkerStatus>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => this.onMessage(msg, resolve);
      worker.on('message', onMessage);
      worker.on('error', (err) => this.died(worker, err.message, reject));
      worker.on('exit', (code) => this.died(worker, `exit code ${code}`, reject));
    });
    this.post({ type: 'init', choice: this.options.choice(), provider: this.options.provider?.() ?? 'auto', dictionaryPath: this.options.dictionaryPath });
    return this.ready;
  }

  private post(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  private onMessage(msg: FromWorker, ready: (s: WorkerStatus) => void): void {
    switch (msg.type) {
      case 'ready':
        this.lastStatus = msg.status;
        ready(msg.status);
        break;
      case 'status':
        this.lastStatus = msg.status;
        for (const w of this.statusWaiters.splice(0)) w(msg.status);
        break;
      case 'progress':
        this.pending.get(msg.jobId)?.onProgress(msg.done, msg.total);
        break;
      case 'event':
        this.pending.get(msg.jobId)?.onEvent(msg.event);
        break;
      case 'result':
        this.pending.get(msg.jobId)?.resolve(msg.output);
        this.pending.delete(msg.jobId);
        break;
      case 'failed':
        this.pending.get(msg.jobId)?.reject(ShirabeError.from(msg.error));
        this.pending.delete(msg.jobId);
        break;
    }
  }

  /** The worker is gone: fail what it was doing, then start a fresh one. */
  private died(worker: Worker, detail: string, rejectReady: (err: unknown) => void): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    const err = new ShirabeError('computeWorkerDied', { detail });
    rejectReady(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const w of this.statusWaiters.splice(0)) w(this.lastStatus ?? { backend: null, device: null, skipped: [], memory: null, inference: null, gpu: null });
    if (!this.closing) void this.start().catch(() => undefined);
  }

  async status(): Promise<ComputeStatus> {
    const base = { choice: this.options.choice(), running: this.pending.size > 0 };
    if (!this.worker) return { ...(this.lastStatus ?? { backend: null, device: null, skipped: [], memory: null, inference: null, gpu: null }), ...base };
    await this.ready?.catch(() => undefined);
    const s = await new Promise<WorkerStatus>((resolve) => {
      this.statusWaiters.push(resolve);
      this.post({ type: 'status' });
    });
    return { ...s, ...base };
  }

  /** Starts the worker (choosing the backend) without running anything. */
  async warmUp(): Promise<ComputeStatus> {
    await this.start();
    return this.status();
  }

  /**
   * Runs a task (tasks/index.ts) in the worker and waits for its output; events and progress
   * arrive as they happen, and aborting the signal cancels the task there.
   */
  async run<K extends TaskName>(kind: K, input: TaskInput<K>, options: RunOptions<K> = {}): Promise<RunResult<K>> {
    const status = await this.start();
    const jobId = `${kind}-${++this.nextId}`;
    const { signal, onProgress, onEvent } = options;
    const onAbort = () => this.post({ type: 'cancel', jobId });
    signal?.addEventListener('abort', onAbort);
    try {
      const output = await new Promise<TaskOutput<K>>((resolve, reject) => {
        this.pending.set(jobId, {
          onProgress: (done, total) => onProgress?.(done, total),
          // The worker sends what this task's run emits: TaskEvent<K>, TaskOutput<K>.
          onEvent: (event) => onEvent?.(event as TaskEvent<K>),
          resolve: (output) => resolve(output as TaskOutput<K>),
          reject,
        });
        const message: RunMessage<K> = { type: 'run', jobId, task: kind, input };
        this.post(message as RunMessage);
      });
      return { output, backend: this.backendLabel(status) };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** "wasm (WebAssembly SIMD, 1 thread)" for a run's record. */
  backendLabel(status: WorkerStatus): string {
    return `${status.backend} (${status.device})`;
  }

  /** For tests: the worker thread itself (to kill it and check the restart). */
  get thread(): Worker | null {
    return this.worker;
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    await w?.terminate();
  }
}
