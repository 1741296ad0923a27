// Models and compute: Hugging Face model folders (inspect, add, remove, tokenize) and the compute
// worker's backend.
import { z } from 'zod';
import type { Settings } from './app';
import { byPath, empty, method, path, section } from './define';
import type { ModelSourceRef } from './hub';

export const backendNames = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];
export type ComputeBackendChoice = 'auto' | BackendName;

export interface ComputeStatus {
  /** The backend the worker runs on, null until the worker has started. */
  backend: BackendName | null;
  /** What the backend runs on, e.g. "CUDA GPU", "CPU (libtensorflow)", "WebAssembly SIMD, 1 thread". */
  device: string | null;
  choice: ComputeBackendChoice;
  /** Every backend tried before the one chosen, with why it was skipped. */
  skipped: BackendSkip[];
  memory: { tensors: number; bytes: number; rssBytes: number } | null;
  running: boolean;
  /** What runs inference (embedding, prediction): onnxruntime on the CPU, or the tfjs backend with the reason; null until the worker has started. */
  inference: InferenceStatus | null;
  /** The WebGPU adapter Dawn found (whether or not a backend uses it); null when none or before the worker has started. */
  gpu: GpuAdapter | null;
}

export interface GpuAdapterLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
}

/** A WebGPU adapter as Dawn reports it. */
export interface GpuAdapter {
  /** "NVIDIA GeForce RTX 4090", or "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" for lavapipe. */
  name: string;
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU implementation of WebGPU (lavapipe, SwiftShader, WARP, Dawn's fallback adapter): chosen only when forced. */
  software: boolean;
  limits: GpuAdapterLimits;
}

/** Why a backend was passed over: `code` says it in the reader's language (common/messages' backendSkipText), `reason` keeps the detail in English for the record. */
export interface BackendSkip {
  backend: BackendName;
  code: BackendSkipCode;
  reason: string;
  /** The npm package concerned, where there is one. */
  package?: string;
}

/**
 * notInstalled: an optional package is absent; loadFailed: it is there but does not load (e.g. no
 * CUDA 11.2 / cuDNN 8.1 for tfjs-node-gpu); noInit: it loaded but the backend did not start;
 * noCudaDevice: the GPU build found no CUDA device and runs on the CPU; nativeLoaded: the other
 * libtensorflow build is already loaded in this process; webgpuNotInstalled, webgpuLoadFailed,
 * noAdapter: Dawn's probe found no WebGPU adapter; softwareAdapter: the only adapter is a CPU
 * implementation (lavapipe, SwiftShader, WARP), used only when forced; cudaMissing: tfjs-node-gpu is
 * installed but the CUDA 11.2 / cuDNN 8.1 libraries it opens are not all there (the reason lists them).
 */
export type BackendSkipCode = 'notInstalled' | 'loadFailed' | 'cudaMissing' | 'noInit' | 'noCudaDevice' | 'nativeLoaded' | 'webgpuNotInstalled' | 'webgpuLoadFailed' | 'noAdapter' | 'softwareAdapter';

/** The skip codes whose English detail (an error message, what the CUDA probe found) is worth showing beside the translated reason. */
export function skipDetailShown(code: BackendSkipCode): boolean {
  return code === 'loadFailed' || code === 'noInit' || code === 'cudaMissing' || code === 'webgpuLoadFailed';
}

/** What uses CUDA: tfjs-node-gpu (legacy: CUDA 11.2, cuDNN 8.1) and onnxruntime's CUDA provider (CUDA 12, cuDNN 9). */
export type CudaConsumer = 'tfjs-node-gpu' | 'onnxruntime-cuda';
export type CudaLibraryName = 'cudart' | 'cublas' | 'cudnn';

/** A CUDA library found: its version as its file name (libcudnn.so.8.1.0, cudart64_12.dll) or, with `header`, cudnn_version.h or the toolkit's version file says. */
export interface CudaLibrary {
  name: CudaLibraryName;
  version: string;
  path: string;
  header?: boolean;
}

/** One thing a consumer lacks: the platform, the driver (older than `need`, or none), a library of the version `need` (with the versions found). */
export interface CudaNeed {
  what: 'platform' | 'driver' | CudaLibraryName;
  need: string;
  found: string[];
}

export interface CudaConsumerReport {
  consumer: CudaConsumer;
  /** The CUDA and cuDNN versions it needs. */
  cuda: string;
  cudnn: string;
  ready: boolean;
  missing: CudaNeed[];
}

/** NVIDIA's stack as found on disk, without loading any CUDA library (main/jobs/compute/cudaProbe.ts). */
export interface CudaReport {
  platform: string;
  driver: { version: string; source: 'proc' | 'nvidia-smi'; gpus: { name: string; memoryMiB: number | null }[] } | null;
  libraries: CudaLibrary[];
  consumers: CudaConsumerReport[];
}

/** The engine of the inference forward pass; everything with gradients (training, attribution) runs on the tfjs backend. */
export interface InferenceStatus {
  engine: 'onnxruntime' | 'tfjs';
  /** "onnxruntime CPU, 8 threads (physical cores)", "onnxruntime WebGPU (NVIDIA GeForce RTX 4090)" or "tfjs wasm (WebAssembly SIMD, 1 thread)": recorded in a run's provenance. */
  device: string;
  threads: number | null;
  /** Why onnxruntime is not used (null when it is), in English for the record; the code says it in the reader's language. */
  reason: string | null;
  reasonCode: InferenceFallback | null;
  /** onnxruntime's execution provider in use; null on tfjs. */
  provider: InferenceProvider | null;
  /** The provider asked for: the settings' choice, or SHIRABE_INFERENCE_PROVIDER where it is set (`forcedBy`). */
  providerChoice: InferenceProviderChoice;
  forcedBy: 'settings' | 'environment' | null;
  /** The GPU adapter the WebGPU provider runs on ("llvmpipe (Mesa 25.0.7)" for lavapipe), or null. */
  adapter: string | null;
  /** Every provider tried before the one in use (or given up at run time), with why. */
  providerSkipped: ProviderSkip[];
}

/** Why inference runs on tfjs: the backend is forced in the settings, no binary for this platform, the CUDA backend is in use, onnxruntime-node is missing or failed to load. */
export type InferenceFallback = 'forced' | 'noBinary' | 'cuda' | 'notInstalled' | 'loadFailed';

/** onnxruntime's execution providers Shirabe uses, in the automatic order: CUDA (where its provider library and CUDA 12 + cuDNN 9 are installed), WebGPU (a hardware adapter), DirectML (Windows), the CPU. */
export const inferenceProviders = ['cuda', 'webgpu', 'dml', 'cpu'] as const;
export type InferenceProvider = (typeof inferenceProviders)[number];
export type InferenceProviderChoice = 'auto' | InferenceProvider;

/** Why an execution provider was passed over: `code` in the reader's language (common/messages' providerSkipText), `reason` the detail in English. */
export interface ProviderSkip {
  provider: InferenceProvider;
  code: ProviderSkipCode;
  reason: string;
}

/**
 * notBundled: this onnxruntime-node build lacks it (DirectML outside Windows); cudaProviderMissing:
 * onnxruntime-node's CUDA provider library is not installed (its npm install script, which downloads
 * it from outside the registry, is off); cudaMissing: CUDA 12 or cuDNN 9 is not all there (the reason
 * lists what the CUDA probe found); webgpuNotInstalled,
 * webgpuLoadFailed, noAdapter: Dawn's probe found no WebGPU adapter; softwareAdapter: the only
 * adapter is a CPU implementation (lavapipe, SwiftShader, WARP), used only when forced; notChosen:
 * another provider is forced; sessionFailed, runFailed: the provider failed and inference went on
 * on the CPU.
 */
export type ProviderSkipCode = 'notBundled' | 'cudaProviderMissing' | 'cudaMissing' | 'webgpuNotInstalled' | 'webgpuLoadFailed' | 'noAdapter' | 'softwareAdapter' | 'notChosen' | 'sessionFailed' | 'runFailed';

export type TokenizerKindName = 'wordpiece' | 'bert-japanese' | 'tokenizer.json';

export interface ModelInfo {
  path: string;
  name: string;
  modelType: string;
  architecture: string;
  /** transformers' class names from config.json's "architectures". */
  classes: string[];
  parameters: number;
  layers: number;
  hiddenSize: number;
  /** Width of each layer's feed-forward block. */
  intermediateSize: number;
  heads: number;
  maxPositions: number;
  vocabSize: number;
  tokenizer: { kind: TokenizerKindName; description: string; vocabSize: number; maxLength: number | null };
  weightsFile: string;
  dtypes: Record<string, number>;
  loadedHeads: { pooler: boolean; mlm: boolean; classifier: boolean };
  labels: string[];
  missing: string[];
  misshaped: string[];
  unexpected: string[];
  warnings: string[];
  /** SHA-256 of config.json and the weight files, to recognise the model when a project is shared. */
  hash: string;
  /** Where it was downloaded from (the Hub id and commit in its shirabe-source.json); absent for a folder from elsewhere. */
  source?: ModelSourceRef | null;
}

export interface TokenView {
  id: number;
  token: string;
  start: number;
  end: number;
  special: boolean;
}

export const models = section({
  methods: {
    /** Reads a model folder without loading it into the compute worker: the check report. */
    'models.inspect': method<ModelInfo>()(byPath),
    /** Remembers a model folder on the Models page (after inspecting it). */
    'models.add': method<ModelInfo>()(byPath),
    'models.remove': method<Settings>()(byPath),
    'models.tokenize': method<{ tokens: TokenView[]; truncated: number }>()(
      z.object({ path, text: z.string().max(100_000), maxLength: z.number().int().min(2).max(100_000).optional() }),
    ),

    'compute.status': method<ComputeStatus>()(empty),
  },
});
