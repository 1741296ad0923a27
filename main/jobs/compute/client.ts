// The main thread's side of the compute worker: starts it, sends tasks, turns its messages
// into progress and results, and restarts it when it dies (the running job fails with why).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ComputeBackendChoice, ComputeStatus } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { EpochEvent, FineTuneCheckpoint, StepEvent } from '../../ml/train/fineTune';
import type {
  EmbedOutcome,
  EmbedTask,
  ExportTask,
  FromWorker,
  MlmLossOutcome,
  MlmLossTask,
  PretrainOutcome,
  PretrainTask,
  ToWorker,
  TrainOutcome,
  TrainTask,
  VocabOutcome,
  VocabTask,
  WorkerStatus,
} from './protocol';
import type { PretrainEvent } from '../../ml/pretrain/pretrain';

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

type Outcome = EmbedOutcome | TrainOutcome | [string, Uint8Array | string][] | PretrainOutcome | MlmLossOutcome | VocabOutcome;

interface Pending {
  onProgress(done: number, total: number): void;
  onVectors?(indices: Int32Array, vectors: Float32Array): void;
  onTrainEvent?(event: StepEvent | EpochEvent): void;
  onCheckpoint?(checkpoint: FineTuneCheckpoint): void;
  onPretrainEvent?(event: Exclude<PretrainEvent, { type: 'checkpoint' }>): void;
  onPretrainCheckpoint?(step: number): void;
  resolve(outcome: Outcome): void;
  reject(err: unknown): void;
}

export interface PretrainHandlers {
  signal: AbortSignal;
  progress(done: number, total: number): void;
  event(event: Exclude<PretrainEvent, { type: 'checkpoint' }>): void;
  /** The worker has written the checkpoint file after this many optimizer steps. */
  checkpoint(step: number): void;
}

export interface TrainHandlers {
  signal: AbortSignal;
  progress(done: number, total: number): void;
  event(event: StepEvent | EpochEvent): void;
  checkpoint(checkpoint: FineTuneCheckpoint): void;
}

export interface EmbedRun {
  vectors: Float32Array;
  outcome: EmbedOutcome;
  backend: string;
}

export class ComputeClient {
  private worker: Worker | null = null;
  private ready: Promise<WorkerStatus> | null = null;
  private lastStatus: WorkerStatus | null = null;
  private readonly pending = new Map<string, Pending>();
  private statusWaiters: ((s: WorkerStatus) => void)[] = [];
  private startedWith: ComputeBackendChoice | null = null;
  private nextId = 0;
  /** Set by shutdown(): a worker that exits then is not restarted. */
  private closing = false;

  constructor(private readonly options: { choice: () => ComputeBackendChoice; dictionaryPath?: string }) {}

  private start(): Promise<WorkerStatus> {
    if (this.ready && this.startedWith !== this.options.choice() && this.pending.size === 0) {
      // The user forced another backend: restart while idle.
      void this.worker?.terminate();
      this.worker = null;
      this.ready = null;
    }
    if (this.ready) return this.ready;
    const worker = spawnWorker();
    this.worker = worker;
    this.startedWith = this.options.choice();
    this.ready = new Promise<WorkerStatus>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => this.onMessage(msg, resolve);
      worker.on('message', onMessage);
      worker.on('error', (err) => this.died(worker, err.message, reject));
      worker.on('exit', (code) => this.died(worker, `exit code ${code}`, reject));
    });
    this.post({ type: 'init', choice: this.startedWith, dictionaryPath: this.options.dictionaryPath });
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
      case 'vectors':
        this.pending.get(msg.jobId)?.onVectors?.(msg.indices, msg.vectors);
        break;
      case 'trainEvent':
        this.pending.get(msg.jobId)?.onTrainEvent?.(msg.event);
        break;
      case 'checkpoint':
        this.pending.get(msg.jobId)?.onCheckpoint?.(msg.checkpoint);
        break;
      case 'exported':
        this.pending.get(msg.jobId)?.resolve(msg.files);
        this.pending.delete(msg.jobId);
        break;
      case 'pretrainEvent':
        this.pending.get(msg.jobId)?.onPretrainEvent?.(msg.event);
        break;
      case 'pretrainCheckpoint':
        this.pending.get(msg.jobId)?.onPretrainCheckpoint?.(msg.step);
        break;
      case 'trained':
      case 'done':
      case 'pretrained':
      case 'mlmScored':
      case 'vocabLearned':
        this.pending.get(msg.jobId)?.resolve(msg.outcome);
        this.pending.delete(msg.jobId);
        break;
      case 'failed':
        this.pending.get(msg.jobId)?.reject(new ShirabeError(msg.error.code, msg.error.params));
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
    for (const w of this.statusWaiters.splice(0)) w(this.lastStatus ?? { backend: null, device: null, skipped: [], memory: null });
    if (!this.closing) void this.start().catch(() => undefined);
  }

  async status(): Promise<ComputeStatus> {
    const base = { choice: this.options.choice(), running: this.pending.size > 0 };
    if (!this.worker) return { ...(this.lastStatus ?? { backend: null, device: null, skipped: [], memory: null }), ...base };
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

  /** Embeds texts; vectors come back in the texts' order as one [n × d] array. */
  async embed(task: EmbedTask, ctx: { signal: AbortSignal; progress(done: number, total: number): void }): Promise<EmbedRun> {
    const parts: { indices: Int32Array; vectors: Float32Array }[] = [];
    const { outcome, backend } = await this.runTask<EmbedOutcome>('embed', (jobId) => ({ type: 'embed', jobId, task }), ctx.signal, {
      onProgress: ctx.progress,
      onVectors: (indices, vectors) => parts.push({ indices, vectors }),
    });
    const d = outcome.dimensions;
    const vectors = new Float32Array(task.texts.length * d);
    for (const p of parts) p.indices.forEach((index, row) => vectors.set(p.vectors.subarray(row * d, (row + 1) * d), index * d));
    return { vectors, outcome, backend };
  }

  /** Fine-tunes in the worker; events and checkpoints arrive as they happen. */
  train(task: TrainTask, h: TrainHandlers): Promise<{ outcome: TrainOutcome; backend: string }> {
    return this.runTask('train', (jobId) => ({ type: 'train', jobId, task }), h.signal, { onProgress: h.progress, onTrainEvent: h.event, onCheckpoint: h.checkpoint });
  }

  /** A finished run's model as Hugging Face files (name -> contents), built in the worker. */
  async exportRun(task: ExportTask): Promise<[string, Uint8Array | string][]> {
    await this.start();
    const jobId = `export-${++this.nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { onProgress: () => undefined, resolve: (o) => resolve(o as [string, Uint8Array | string][]), reject });
      this.post({ type: 'export', jobId, task });
    });
  }

  /** Posts a task and waits for its outcome; cancel (the signal) is forwarded to the worker. */
  private async runTask<O extends Outcome>(kind: string, post: (jobId: string) => ToWorker, signal: AbortSignal, handlers: Omit<Pending, 'resolve' | 'reject'>): Promise<{ outcome: O; backend: string }> {
    const status = await this.start();
    const jobId = `${kind}-${++this.nextId}`;
    const onAbort = () => this.post({ type: 'cancel', jobId });
    signal.addEventListener('abort', onAbort);
    try {
      const outcome = await new Promise<O>((resolve, reject) => {
        this.pending.set(jobId, { ...handlers, resolve: (o) => resolve(o as O), reject });
        this.post(post(jobId));
      });
      return { outcome, backend: this.backendLabel(status) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Masked-LM pretraining in the worker; events and checkpoint notices arrive as they happen. */
  pretrain(task: PretrainTask, h: PretrainHandlers): Promise<{ outcome: PretrainOutcome; backend: string }> {
    return this.runTask('pretrain', (jobId) => ({ type: 'pretrain', jobId, task }), h.signal, { onProgress: h.progress, onPretrainEvent: h.event, onPretrainCheckpoint: h.checkpoint });
  }

  /** Held-out masked-LM loss of each model. */
  mlmLoss(task: MlmLossTask, ctx: { signal: AbortSignal; progress(done: number, total: number): void }): Promise<{ outcome: MlmLossOutcome; backend: string }> {
    return this.runTask('mlm', (jobId) => ({ type: 'mlmLoss', jobId, task }), ctx.signal, { onProgress: ctx.progress });
  }

  /** A WordPiece vocabulary learned from texts, with its tokenizer files. */
  learnVocab(task: VocabTask, ctx: { signal: AbortSignal; progress(done: number, total: number): void }): Promise<{ outcome: VocabOutcome; backend: string }> {
    return this.runTask('vocab', (jobId) => ({ type: 'vocab', jobId, task }), ctx.signal, { onProgress: ctx.progress });
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
