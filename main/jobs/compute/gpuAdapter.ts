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

let probe: Promise<GpuProbe> | null = null;

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
  })();
  return probe;
}
