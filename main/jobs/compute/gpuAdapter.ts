// The WebGPU adapter as Dawn (the `webgpu` package's dawn.node) sees it, probed once per process.
// Both GPU paths that need no CUDA toolkit start here: tfjs-backend-webgpu for training and
// onnxruntime's WebGPU execution provider for inference. A software adapter (Mesa's lavapipe,
// SwiftShader, WARP) runs WebGPU on the CPU: it is never chosen automatically, only when forced
// (the parity tests run on it), because wasm and onnxruntime's CPU runtime are much faster.
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import type { GpuAdapter } from '../../../common/contract';

const req = createRequire(typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js'));

/** The contract's GpuAdapter: what the Compute page shows. */
export type GpuAdapterInfo = GpuAdapter;

export type GpuProbe =
  | { ok: true; adapter: GpuAdapterInfo }
  | { ok: false; code: 'webgpuNotInstalled' | 'webgpuLoadFailed' | 'noAdapter'; reason: string };

interface DawnAdapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
  limits: Record<string, number>;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}
interface WebgpuModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|\bwarp\b|microsoft basic render|software/i;

/** Whether an adapter is a CPU implementation, from what Dawn reports of it. */
export function isSoftwareAdapter(info: { vendor?: string; architecture?: string; device?: string; description?: string }, fallback?: boolean): boolean {
  if (fallback) return true;
  return [info.architecture, info.device, info.description].some((s) => typeof s === 'string' && SOFTWARE.test(s));
}

function adapterName(info: NonNullable<DawnAdapter['info']>): string {
  const description = (info.description ?? '').trim();
  if (description) return description;
  return [info.vendor, info.device || info.architecture].filter((s) => s).join(' ') || 'unknown adapter';
}

/** What a WebGPU device says of its failures; tfjs-backend-webgpu does not look. */
interface WatchedDevice {
  onuncapturederror?: ((event: { error?: { message?: string } }) => void) | null;
  lost?: Promise<{ message?: string; reason?: string }>;
}

let fault: string | null = null;
/** Set once the device is lost: every later task fails too, as the device is gone. */
let lost: string | null = null;

/**
 * Listens for the device's validation and out-of-memory errors and its loss. WebGPU does not throw
 * them: a buffer too large or a device lost leaves zeros or garbage behind, so the dispatcher asks
 * takeGpuFault() after each task and fails it rather than keep its results.
 */
export function watchGpuDevice(device: WatchedDevice | undefined): void {
  fault = null;
  lost = null;
  if (!device) return;
  device.onuncapturederror = (event) => {
    fault ??= event.error?.message?.split('\n')[0].slice(0, 300) || 'an uncaptured WebGPU error';
  };
  void device.lost?.then((info) => {
    lost = `the GPU device was lost${info.reason ? ` (${info.reason})` : ''}: ${info.message ?? ''}`.trim();
  });
}

/** The first GPU error since the last call (cleared), or that the device is lost (for good), or null. */
export function takeGpuFault(): string | null {
  const f = fault;
  fault = null;
  return f ?? lost;
}

let probe: Promise<GpuProbe> | null = null;
let settled: GpuProbe | null = null;

/** The adapter the probe found, if a probe of this thread has finished (the tfjs backend's or onnxruntime's provider choice). */
export function probedAdapter(): GpuAdapterInfo | null {
  return settled?.ok ? settled.adapter : null;
}

/**
 * Loads Dawn, installs the WebGPU globals (GPUBufferUsage and the rest, which tfjs-backend-webgpu
 * reads) and `navigator.gpu`, and asks for a high-performance adapter. Memoised: Dawn is loaded
 * once per thread.
 */
export function probeWebgpu(): Promise<GpuProbe> {
  probe ??= (async (): Promise<GpuProbe> => {
    let mod: WebgpuModule;
    try {
      mod = req('webgpu') as WebgpuModule;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e?.code === 'MODULE_NOT_FOUND' && e.message?.includes("'webgpu'")) return { ok: false, code: 'webgpuNotInstalled', reason: 'the webgpu package (Dawn) is not installed' };
      return { ok: false, code: 'webgpuLoadFailed', reason: `Dawn (the webgpu package) failed to load: ${(e?.message ?? String(err)).split('\n')[0]}` };
    }
    let adapter: DawnAdapter | null;
    try {
      const g = globalThis as Record<string, unknown>;
      for (const [k, v] of Object.entries(mod.globals)) if (!(k in g)) g[k] = v;
      const gpu = mod.create([]);
      const nav = (g.navigator ?? {}) as { gpu?: unknown };
      if (!nav.gpu) {
        try {
          Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
        } catch {
          /* a read-only navigator below */
        }
        if (!g.navigator || (g.navigator as { gpu?: unknown }).gpu !== gpu) {
          Object.defineProperty(g, 'navigator', { value: { ...(g.navigator as object | undefined), gpu }, configurable: true, writable: true });
        }
      }
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (err) {
      return { ok: false, code: 'webgpuLoadFailed', reason: `Dawn could not start: ${((err as Error)?.message ?? String(err)).split('\n')[0]}` };
    }
    if (!adapter) return { ok: false, code: 'noAdapter', reason: 'no WebGPU adapter: no GPU driver with Vulkan, Metal or Direct3D 12 was found' };
    const info = adapter.info ?? {};
    const l = adapter.limits;
    return {
      ok: true,
      adapter: {
        name: adapterName(info),
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        description: info.description ?? '',
        software: isSoftwareAdapter(info, adapter.isFallbackAdapter),
        limits: {
          maxBufferSize: Number(l.maxBufferSize),
          maxStorageBufferBindingSize: Number(l.maxStorageBufferBindingSize),
          maxComputeWorkgroupStorageSize: Number(l.maxComputeWorkgroupStorageSize),
          maxComputeInvocationsPerWorkgroup: Number(l.maxComputeInvocationsPerWorkgroup),
        },
      },
    };
  })().then((p) => (settled = p));
  return probe;
}
