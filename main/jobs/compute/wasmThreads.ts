// tfjs-backend-wasm's threaded SIMD build under Node.js. tfjs 4.22 turns it off there (its
// WASM_HAS_MULTITHREAD_SUPPORT flag answers false under Node, tfjs #3830) because emscripten's
// pthreads are started from a blob: URL of the worker script, which Node's worker_threads cannot
// load, and the worker then loads the main script from another blob: URL. The shim: the flag set to
// true; worker_threads.Worker, which emscripten's Node path uses, taught to start a blob: URL as the
// package's worker script evaluated in place; and in that worker, importScripts of a blob: URL
// reads the package's threaded factory from disk (the same code tfjs put in the blob). Everything
// else — the shared WebAssembly.Memory, the compiled module, Atomics — Node supports as a browser does.
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import workerThreads from 'node:worker_threads';
import { physicalCores } from './inference';

const req = createRequire(typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js'));

let patched = false;
/** The last error a pthread worker raised (emscripten's handler rethrows it, which would end this thread). */
let workerError: Error | null = null;

/** The package's wasm-out folder (the worker script and the threaded factory), or why not. */
function wasmOut(): { workerJs: string; factoryJs: string } | string {
  let dir: string;
  try {
    dir = join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  } catch (err) {
    return `@tensorflow/tfjs-backend-wasm is not found (${(err as Error).message})`;
  }
  const workerJs = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  const factoryJs = join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  for (const f of [workerJs, factoryJs]) if (!existsSync(f)) return `${f} is missing`;
  return { workerJs, factoryJs };
}

/** What the runtime lacks for emscripten's pthreads, or null. */
function missingRuntime(): string | null {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available';
  if (typeof Atomics !== 'object') return 'Atomics is not available';
  if (typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return 'Blob URLs are not available';
  try {
    // A module with a shared memory and an atomic load (the check tfjs makes in a browser).
    const threaded = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    if (!wasm.validate(threaded)) return 'this WebAssembly engine has no threads';
  } catch (err) {
    return `WebAssembly threads could not be checked (${(err as Error).message})`;
  }
  return null;
}

/** Lets worker_threads.Worker start emscripten's blob: worker URLs (once per thread; other filenames are untouched). */
function patchWorker(files: { workerJs: string; factoryJs: string }): void {
  if (patched) return;
  const contents = (req(files.workerJs) as { wasmWorkerContents?: string }).wasmWorkerContents;
  if (typeof contents !== 'string') throw new Error(`${files.workerJs} has no wasmWorkerContents`);
  // The script is a template literal whose \n escapes came out as newlines inside string literals
  // (tfjs escapes them again, as here). After the worker's own set-up, importScripts(blob:…) loads
  // the threaded factory from the package.
  const code = `${contents.replace(/\n/g, '\\n')}\n;(() => { const load = globalThis.importScripts; globalThis.importScripts = (f) => load(String(f).startsWith('blob:') ? ${JSON.stringify(files.factoryJs)} : f); })();\n`;
  const Base = workerThreads.Worker;
  class BlobWorker extends Base {
    private readonly pthread: boolean = false;

    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const pthread = typeof filename === 'string' && filename.startsWith('blob:');
      super(pthread ? code : filename, pthread ? { ...options, eval: true } : options);
      this.pthread = pthread;
      if (pthread) this.unref();
    }

    // emscripten refs a worker while it runs a pthread, and XNNPACK's pool threads run (waiting)
    // for the module's life: they would keep the process from exiting. Work only happens while the
    // main thread waits on them, so they never need to hold the event loop.
    override ref(): void {
      if (!this.pthread) super.ref();
    }

    // emscripten's 'error' listener rethrows, which would take this whole thread down: keep the error.
    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      if (event !== 'error' || !this.pthread) return super.on(event, listener);
      return super.on(event, (err: Error) => {
        try {
          listener(err);
        } catch {
          workerError = err;
        }
      });
    }
  }
  workerThreads.Worker = BlobWorker;
  patched = true;
}

/**
 * Prepares the threaded SIMD build for the next initialisation of the wasm backend, with `threads`
 * threads (1 leaves the single-threaded build). Returns null when ready, else why not (nothing
 * changed then). Call before tf.setBackend('wasm') first initialises the backend.
 */
export function prepareWasmThreads(threads: number): string | null {
  if (threads <= 1) return 'one thread asked for';
  const missing = missingRuntime();
  if (missing) return missing;
  const files = wasmOut();
  if (typeof files === 'string') return files;
  try {
    patchWorker(files);
  } catch (err) {
    return `the worker shim failed: ${(err as Error).message}`;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  return null;
}

/** Back to the single-threaded build for the next initialisation (after a failed threaded one). */
export function resetWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
}

/**
 * Runs `init` while os.cpus() reports at least 2 × `threads` cores: tfjs-backend-wasm caps its
 * pool at half the logical cores (emscripten asks os.cpus() under Node), so a 2-core machine
 * would get 1 thread; the physical cores are the count wanted here.
 */
async function withCoresFor<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const os = req('node:os') as typeof import('node:os');
  const cpus = os.cpus;
  const real = cpus();
  if (real.length >= 2 * threads || real.length === 0) return init();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  try {
    return await init();
  } finally {
    os.cpus = cpus;
  }
}

/**
 * Threads to ask for: SHIRABE_WASM_THREADS (a count, or "cores" for the physical cores); unset, 1.
 * Opt-in because on the 2-core development machine under other load, 2 threads did not beat 1 end
 * to end (a forward + backward of BERT-base; bench/README.md, issue 19), while matMul alone ran ~1.4×.
 */
export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env): { threads: number; how: string } {
  const value = env.SHIRABE_WASM_THREADS?.trim();
  if (value === 'cores') return physicalCores();
  const set = Number(value);
  if (value && Number.isInteger(set) && set >= 1) return { threads: set, how: 'SHIRABE_WASM_THREADS' };
  return { threads: 1, how: 'default (SHIRABE_WASM_THREADS unset)' };
}

export interface WasmStart {
  /** Threads the backend runs (getThreadsCount). */
  threads: number;
  /** Why it runs one thread when more were asked for. */
  reason?: string;
}

/**
 * Makes wasm the tfjs backend with `threads` threads (the threaded SIMD build through the shim),
 * or with one when that fails, saying why. Throws only when the single-threaded backend fails too.
 */
export async function startWasmBackend(threads: number, timeoutMs = 60_000): Promise<WasmStart> {
  let reason = prepareWasmThreads(threads);
  if (reason === null) {
    const factory = tf.findBackendFactory('wasm');
    workerError = null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the threaded module did not start in ${timeoutMs / 1000} s${workerError ? ` (${workerError.message})` : ''}`), timeoutMs);
    });
    const started = withCoresFor(threads, () => tf.setBackend('wasm')).then(
      (ok) => (ok ? null : `the threaded module did not initialise${workerError ? ` (${workerError.message})` : ''}`),
      (err: unknown) => `the threaded module failed: ${(err as Error).message}`,
    );
    reason = await Promise.race([started, timeout]);
    clearTimeout(timer);
    if (reason === null && tf.getBackend() === 'wasm') return { threads: getThreadsCount() };
    // Back to the single-threaded build: a fresh registration, so a pending threaded start is dropped.
    resetWasmThreads();
    tf.removeBackend('wasm');
    if (factory) tf.registerBackend('wasm', factory, 2);
  }
  if (!(await tf.setBackend('wasm'))) throw new Error(`the WebAssembly module did not initialise${reason ? ` (threads: ${reason})` : ''}`);
  return { threads: 1, ...(threads > 1 && reason ? { reason } : {}) };
}
