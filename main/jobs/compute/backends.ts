// Backend choice, run inside the compute worker only (the native TensorFlow backend must never
// be loaded in two threads, tensorflow/tfjs#8388). Order of preference: tensorflow via
// tfjs-node-gpu (CUDA) → tensorflow via tfjs-node (CPU) → webgpu (tfjs-backend-webgpu on Dawn, a
// hardware adapter: Vulkan, Metal or Direct3D 12, no CUDA toolkit) → wasm → cpu; every backend
// passed over is reported with the reason.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import type { BackendName, BackendSkip, BackendSkipCode, ComputeBackendChoice, CudaReport, GpuAdapter } from '../../../common/contract';
import { describeCudaNeeds, probeCuda } from './cudaProbe';
import { probeWebgpu, watchGpuDevice } from './gpuAdapter';

const req = createRequire(typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js'));

export interface BackendChoice {
  backend: BackendName;
  device: string;
  skipped: BackendSkip[];
  /** The WebGPU adapter Dawn found, whichever backend was chosen (null when none was looked for or found). */
  gpu: GpuAdapter | null;
}

/** Why `pkg` did not load; for tfjs-node-gpu with what the CUDA probe (`cuda`, found without loading libtensorflow) says is missing. */
export function failureOf(err: unknown, pkg: string, cuda: CudaReport | null = null): Failure {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'MODULE_NOT_FOUND' && e.message?.includes(pkg)) return { ok: false, code: 'notInstalled', package: pkg, reason: `${pkg} is not installed (optional; it needs libtensorflow, downloaded when npm installs it)` };
  const reason = `${pkg} failed to load: ${(e?.message ?? String(err)).split('\n')[0]}`;
  const tfjs = cuda?.consumers.find((c) => c.consumer === 'tfjs-node-gpu');
  if (!cuda || !tfjs) return { ok: false, code: 'loadFailed', package: pkg, reason };
  return { ok: false, code: tfjs.ready ? 'loadFailed' : 'cudaMissing', package: pkg, reason: `${reason}; ${describeCudaNeeds(cuda, 'tfjs-node-gpu')}` };
}

type Failure = { ok: false; code: BackendSkipCode; reason: string; package?: string };
type Attempt = { ok: true; device: string; backend?: BackendName } | Failure;

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<Attempt> {
  try {
    req(pkg);
  } catch (err) {
    // Only now, and only for the GPU build, look for the CUDA libraries (files and nvidia-smi; never libtensorflow).
    return failureOf(err, pkg, pkg === '@tensorflow/tfjs-node-gpu' ? await probeCuda().catch(() => null) : null);
  }
  if (!(await tf.setBackend('tensorflow'))) return { ok: false, code: 'noInit', package: pkg, reason: `${pkg} loaded but the tensorflow backend did not initialise` };
  const gpu = Boolean((tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice);
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    // Without a CUDA device the GPU build still runs, on the CPU: report it as the CPU backend.
    return gpu ? { ok: true, device: 'CUDA GPU (libtensorflow)' } : { ok: true, device: 'CPU (libtensorflow, no CUDA device found)', backend: 'tensorflow' };
  }
  return { ok: true, device: 'CPU (libtensorflow)' };
}

/**
 * tfjs-backend-webgpu on the adapter Dawn finds. A software adapter (lavapipe, SwiftShader) runs
 * WebGPU on the CPU, slower than wasm: taken only when WebGPU is chosen, as the parity tests do.
 */
async function tryWebgpu(forced: boolean): Promise<Attempt> {
  const found = await probeWebgpu();
  if (!found.ok) return { ok: false, code: found.code, package: 'webgpu', reason: found.reason };
  const { adapter } = found;
  if (adapter.software && !forced) {
    return { ok: false, code: 'softwareAdapter', package: 'webgpu', reason: `the only WebGPU adapter, ${adapter.name}, runs on the CPU (slower than WebAssembly); choose WebGPU in the settings to use it anyway` };
  }
  try {
    req('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    return { ok: false, code: 'loadFailed', package: '@tensorflow/tfjs-backend-webgpu', reason: `@tensorflow/tfjs-backend-webgpu failed to load: ${((err as Error)?.message ?? String(err)).split('\n')[0]}` };
  }
  try {
    if (!(await tf.setBackend('webgpu'))) return { ok: false, code: 'noInit', package: '@tensorflow/tfjs-backend-webgpu', reason: `the WebGPU backend did not start on ${adapter.name}` };
  } catch (err) {
    return { ok: false, code: 'noInit', package: '@tensorflow/tfjs-backend-webgpu', reason: `the WebGPU backend did not start on ${adapter.name}: ${((err as Error)?.message ?? String(err)).split('\n')[0]}` };
  }
  watchGpuDevice((tf.backend() as { device?: Parameters<typeof watchGpuDevice>[0] }).device);
  return { ok: true, device: `${adapter.name} (WebGPU${adapter.software ? ', a CPU implementation' : ''})` };
}

async function tryWasm(): Promise<Attempt> {
  try {
    setWasmPaths(join(dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    // tfjs turns its threads off under Node.js; wasmThreads' shim runs them when SHIRABE_WASM_THREADS asks (a count or
    // "cores"), else 1 thread; a shim that fails leaves 1 thread and says why in the device string.
    const { startWasmBackend, wasmThreadsWanted } = await import('./wasmThreads');
    const wanted = wasmThreadsWanted();
    const started = await startWasmBackend(wanted.threads).catch((err: Error) => err);
    if (started instanceof Error) return { ok: false, code: 'noInit', package: '@tensorflow/tfjs-backend-wasm', reason: started.message };
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = `${started.threads} thread${started.threads === 1 ? '' : 's'}${started.reason ? ` (threads off: ${started.reason})` : ''}`;
    return { ok: true, device: `WebAssembly${simd ? ' SIMD' : ''}, ${threads}` };
  } catch (err) {
    return { ok: false, code: 'loadFailed', package: '@tensorflow/tfjs-backend-wasm', reason: `the WebAssembly backend failed: ${(err as Error).message}` };
  }
}

async function tryCpu(): Promise<Attempt> {
  return (await tf.setBackend('cpu')) ? { ok: true, device: 'CPU (JavaScript)' } : { ok: false, code: 'noInit', package: '@tensorflow/tfjs-backend-cpu', reason: 'the JavaScript backend did not initialise' };
}

const attempts: Record<BackendName, () => Promise<Attempt>> = {
  'tensorflow-gpu': () => tryNative('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => tryNative('@tensorflow/tfjs-node'),
  webgpu: () => tryWebgpu(false),
  wasm: tryWasm,
  cpu: tryCpu,
};
const order: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** The first backend that works, in preference order (a forced choice goes first, then wasm, cpu). */
export async function selectBackend(choice: ComputeBackendChoice): Promise<BackendChoice> {
  const list = choice === 'auto' ? order : [choice, ...(['wasm', 'cpu'] as BackendName[]).filter((b) => b !== choice)];
  const skipped: BackendChoice['skipped'] = [];
  let nativeLoaded = false;
  let gpu: GpuAdapter | null = null;
  for (const backend of list) {
    if (backend === 'tensorflow' && nativeLoaded) {
      skipped.push({ backend, code: 'nativeLoaded', package: '@tensorflow/tfjs-node-gpu', reason: 'the GPU build of libtensorflow is already loaded in this process' });
      continue;
    }
    const a = backend === 'webgpu' ? await tryWebgpu(choice === 'webgpu') : await attempts[backend]();
    if (backend === 'webgpu') {
      const found = await probeWebgpu(); // memoised: the probe tryWebgpu made
      gpu = found.ok ? found.adapter : null;
    }
    if (a.ok) {
      if (a.backend && a.backend !== backend) skipped.push({ backend, code: 'noCudaDevice', package: '@tensorflow/tfjs-node-gpu', reason: a.device });
      return { backend: a.backend ?? backend, device: a.device, skipped, gpu };
    }
    if (backend === 'tensorflow-gpu' && a.code !== 'notInstalled') nativeLoaded = true;
    skipped.push({ backend, code: a.code, reason: a.reason, ...(a.package ? { package: a.package } : {}) });
  }
  throw new Error(`no compute backend works: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
