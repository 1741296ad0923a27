// The encoder's inference forward pass (no gradients: embedding, prediction) on the fastest engine
// the worker has: onnxruntime-node when it loads, running the ONNX graph of the same model
// (main/ml/onnx), else the tfjs backend the worker chose. onnxruntime runs on an execution
// provider: WebGPU where Dawn finds a hardware adapter, DirectML on Windows, else the CPU; a GPU
// provider that fails to build a session or to run is given up for the CPU, with why. Training, pretraining and
// attribution need gradients and stay on tfjs. On this repository's 2-core machine onnxruntime ran
// a BERT-base batch 5–10× faster than tfjs-wasm, at 61–139% of PyTorch's speed (bench/README.md).
import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { inferenceProviders, type CudaReport, type InferenceFallback, type InferenceProvider, type InferenceProviderChoice, type InferenceStatus, type ProviderSkip } from '../../../common/contract';
import { pool } from '../../ml/embed';
import type { EncoderBatch, EncoderModel } from '../../ml/models/index';
import { encoderGraphBuilder, graphVersion, outputsKey, type EncoderGraphOutputs } from '../../ml/onnx/encoderGraph';
import { externalDataLimit } from '../../ml/onnx/graph';
import { readF32 } from '../../ml/read';
import type { BackendChoice } from './backends';
import { describeCudaNeeds, probeCuda } from './cudaProbe';
import { probeWebgpu, type GpuProbe } from './gpuAdapter';
import { writeEncoderGraph } from './onnxFiles';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

const req = createRequire(typeof __filename === 'string' && isAbsolute(__filename) ? __filename : join(process.cwd(), 'noop.js'));

/** What one inference forward pass gives back, as plain arrays. */
export interface InferenceResult {
  /** [B·T·H] per hidden-state index asked for. */
  hidden: Map<number, Float32Array>;
  /** [B·H] */
  pooled: Float32Array | null;
  /** [B·numLabels] */
  logits: Float32Array | null;
}

/** The one function for "encoder forward for inference": embedding and prediction tasks call it. */
export interface InferenceEngine {
  /** Read anew each time: a GPU provider given up at run time changes it. */
  readonly status: InferenceStatus;
  /**
   * The outputs asked for, for one padded batch. `cacheKey` names the model's weights (a content
   * hash): with it the ONNX graph is kept on disk and reused by later runs; without it (a model
   * built in memory, e.g. a fine-tuning run's classifier) the graph lives as long as the session.
   */
  run(model: EncoderModel, batch: EncoderBatch, outputs: EncoderGraphOutputs, cacheKey?: string): Promise<InferenceResult>;
  /** Frees the onnxruntime session (its weights). */
  release(): void;
}

/**
 * Threads for onnxruntime's intra-op pool: the physical cores. Hyper-threads share a core's
 * vector units, so a second thread per core adds little to matrix products and contends with the
 * main thread; onnxruntime's own default is the physical core count too. Linux counts distinct
 * (package, core) pairs in /proc/cpuinfo, within the CPUs this process may use
 * (availableParallelism); Apple silicon has no SMT; elsewhere (Windows) half the logical
 * processors, as x86 desktop CPUs run two threads per core.
 */
export function physicalCores(): { threads: number; how: string } {
  const logical = availableParallelism();
  if (process.platform === 'linux') {
    try {
      const cores = new Set<string>();
      let pkg = '0';
      for (const line of readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
        const [k, v] = line.split(':').map((s) => s?.trim());
        if (k === 'physical id') pkg = v;
        if (k === 'core id') cores.add(`${pkg}:${v}`);
      }
      if (cores.size > 0) return { threads: Math.max(1, Math.min(cores.size, logical)), how: 'physical cores' };
    } catch {
      // no /proc: fall through
    }
    return { threads: logical, how: 'logical CPUs (no core ids in /proc/cpuinfo)' };
  }
  if (process.platform === 'darwin') return { threads: logical, how: 'cores (Apple silicon has no SMT)' };
  return { threads: Math.max(1, Math.ceil(Math.min(logical, cpus().length) / 2)), how: 'half the logical processors' };
}

/** The user's cache folder for Shirabe (ONNX graphs), outside any project. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHIRABE_CACHE_DIR) return env.SHIRABE_CACHE_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'Shirabe', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Shirabe');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shirabe');
}

/** Graphs kept in the cache folder (the least recently used go first): a BERT-base graph is 440 MB. */
const keptGraphs = 4;

/**
 * Keeps the `kept` most recently used graphs in the cache folder `dir` (`keep`, the one just
 * written, whatever the clock's resolution), each deleted with its external data file
 * (`<graph>.onnx.data`); a side file left without its graph for an hour (a crash between the two
 * renames) goes too. A file another process holds open (Windows) is left for a later prune.
 */
export function pruneGraphs(dir: string, keep: string, kept = keptGraphs): void {
  const files = readdirSync(dir);
  const mtime = (f: string) => {
    try {
      return statSync(join(dir, f)).mtimeMs;
    } catch {
      return 0;
    }
  };
  const remove = (f: string): boolean => {
    try {
      unlinkSync(join(dir, f));
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
    }
  };
  const byUse = files.filter((f) => f.endsWith('.onnx') && f !== keep).map((f) => ({ f, t: mtime(f) })).sort((a, b) => b.t - a.t);
  for (const { f } of byUse.slice(kept - 1)) if (remove(f) && files.includes(`${f}.data`)) remove(`${f}.data`);
  const hourAgo = Date.now() - 3600_000;
  for (const f of files) if (f.endsWith('.onnx.data') && !files.includes(f.slice(0, -'.data'.length)) && mtime(f) < hourAgo) remove(f);
}

type Loaded = { ok: true; ort: Ort; version: string } | { ok: false; code: InferenceFallback; reason: string };

/**
 * onnxruntime-node, or why it is not used. A forced backend or the CUDA backend keeps inference on
 * tfjs, unless an execution provider is forced too (`providerForced`): that asks for onnxruntime.
 */
export function loadOnnxRuntime(choice: BackendChoice, requested: string, providerForced = false): Loaded {
  if (requested !== 'auto' && !providerForced) return { ok: false, code: 'forced', reason: `the compute backend is set to ${requested} in the settings, so inference runs on it too` };
  if (process.platform === 'darwin' && process.arch === 'x64') return { ok: false, code: 'noBinary', reason: 'onnxruntime-node has no macOS x64 binary' };
  if (choice.backend === 'tensorflow-gpu' && !providerForced) return { ok: false, code: 'cuda', reason: 'the CUDA GPU backend is faster than onnxruntime on the CPU' };
  try {
    const ort = req('onnxruntime-node') as Ort;
    return { ok: true, ort, version: ort.env.versions?.node ?? 'unknown' };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e?.code === 'MODULE_NOT_FOUND' && e.message?.includes('onnxruntime-node')) return { ok: false, code: 'notInstalled', reason: 'onnxruntime-node is not installed' };
    return { ok: false, code: 'loadFailed', reason: `onnxruntime-node failed to load: ${(e?.message ?? String(err)).split('\n')[0]}` };
  }
}

/** The provider asked for: SHIRABE_INFERENCE_PROVIDER (tests, a user's shell) over the settings. */
export function providerChoice(setting: InferenceProviderChoice, env: NodeJS.ProcessEnv = process.env): { choice: InferenceProviderChoice; forcedBy: InferenceStatus['forcedBy'] } {
  const fromEnv = env.SHIRABE_INFERENCE_PROVIDER?.trim().toLowerCase();
  if (fromEnv && fromEnv !== 'auto' && (inferenceProviders as readonly string[]).includes(fromEnv)) return { choice: fromEnv as InferenceProvider, forcedBy: 'environment' };
  if (fromEnv === 'auto') return { choice: 'auto', forcedBy: null };
  return { choice: setting, forcedBy: setting === 'auto' ? null : 'settings' };
}

/** The execution provider chosen, the GPU adapter it runs on, and every provider passed over with why. */
export interface ProviderPick {
  provider: InferenceProvider;
  adapter: string | null;
  skipped: ProviderSkip[];
}

/**
 * onnxruntime's CUDA provider: its library is installed beside the binding only where
 * onnxruntime-node's install script ran (Shirabe turns it off: it downloads from outside the npm
 * registry); and NVIDIA's stack as the CUDA probe finds it, without loading any CUDA library.
 */
export interface CudaProviderProbe {
  installed: boolean;
  report: CudaReport | null;
}

/** Where the CUDA provider library would be: beside onnxruntime-node's binding for this platform. */
export function cudaProviderFile(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | null {
  try {
    const dir = join(dirname(req.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', platform, arch);
    return join(dir, platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  } catch {
    return null;
  }
}

async function systemCudaProvider(): Promise<CudaProviderProbe> {
  const file = cudaProviderFile();
  const installed = file !== null && existsSync(file);
  // Only where the provider is there at all is NVIDIA's stack looked for (files and nvidia-smi).
  return { installed, report: installed ? await probeCuda().catch(() => null) : null };
}

/**
 * Picks onnxruntime's execution provider. Automatic: CUDA where onnxruntime's CUDA provider
 * library and CUDA 12 + cuDNN 9 are installed, then WebGPU when Dawn finds a hardware adapter
 * (a software one, lavapipe or SwiftShader, is far slower than the CPU provider and is taken only
 * when forced), then DirectML where this build has it (Windows), then the CPU. Forced: that
 * provider if it is there at all, else the CPU with why. Dawn is loaded (probeWebgpu) only when
 * WebGPU is a candidate; onnxruntime's WebGPU provider has its own Dawn inside libonnxruntime, and
 * the two were checked to load, run and exit together in one worker thread, in either order.
 */
export async function pickProvider(
  supported: readonly string[],
  choice: InferenceProviderChoice,
  how: { probe?: () => Promise<GpuProbe>; cuda?: () => Promise<CudaProviderProbe>; platform?: NodeJS.Platform; forcedBy?: InferenceStatus['forcedBy'] } = {},
): Promise<ProviderPick> {
  const probe = how.probe ?? probeWebgpu;
  const platform = how.platform ?? process.platform;
  const skipped: ProviderSkip[] = [];
  const forcedHow = how.forcedBy === 'environment' ? 'SHIRABE_INFERENCE_PROVIDER' : 'the settings';
  if (choice === 'auto' || choice === 'cuda') {
    // CUDA is looked at only where its provider library is installed, or when it is asked for.
    const cuda = await (how.cuda ?? systemCudaProvider)();
    if (!cuda.installed) {
      if (choice === 'cuda') skipped.push({ provider: 'cuda', code: 'cudaProviderMissing', reason: `onnxruntime's CUDA provider library (${basename(cudaProviderFile(platform) ?? 'libonnxruntime_providers_cuda.so')}) is not beside onnxruntime-node's binding: it comes from onnxruntime-node's install script, which npm runs only where allowScripts lets it` });
    } else {
      const needs = cuda.report?.consumers.find((c) => c.consumer === 'onnxruntime-cuda');
      if (cuda.report && needs?.ready) return { provider: 'cuda', adapter: cuda.report.driver?.gpus[0]?.name ?? null, skipped };
      skipped.push({ provider: 'cuda', code: 'cudaMissing', reason: cuda.report ? describeCudaNeeds(cuda.report, 'onnxruntime-cuda') : 'the CUDA probe failed' });
    }
  }
  for (const provider of ['webgpu', 'dml'] as const) {
    if (choice !== 'auto' && choice !== provider) {
      skipped.push({ provider, code: 'notChosen', reason: `${forcedHow} choose${forcedHow === 'the settings' ? '' : 's'} ${choice}` });
      continue;
    }
    if (!supported.includes(provider)) {
      const reason = provider === 'dml' && platform !== 'win32' ? 'DirectML is part of onnxruntime-node on Windows only' : `this onnxruntime-node build has no ${provider} execution provider`;
      skipped.push({ provider, code: 'notBundled', reason });
      continue;
    }
    if (provider === 'dml') return { provider, adapter: null, skipped };
    const found = await probe();
    if (!found.ok) {
      skipped.push({ provider, code: found.code, reason: found.reason });
      continue;
    }
    if (found.adapter.software && choice === 'auto') {
      skipped.push({ provider, code: 'softwareAdapter', reason: `the only WebGPU adapter, ${found.adapter.name}, runs on the CPU (slower than onnxruntime's CPU provider); set SHIRABE_INFERENCE_PROVIDER=webgpu to use it anyway` });
      continue;
    }
    return { provider, adapter: found.adapter.name, skipped };
  }
  return { provider: 'cpu', adapter: null, skipped };
}

/** Reads a tfjs forward pass into the same result (the fallback engine, and the reference in tests); asynchronously, as a WebGPU backend must be read. */
export async function tfjsInference(model: EncoderModel, batch: EncoderBatch, outputs: EncoderGraphOutputs): Promise<InferenceResult> {
  const L = model.config.numLayers;
  const keep = [...new Set([...(outputs.hidden ?? []), ...(outputs.pooled ? [outputs.pooled.layer] : []), ...(outputs.logits ? [L] : [])])];
  const hiddenLayers = outputs.hidden ?? [];
  // [the hidden states asked for…, pooled?, logits?]
  const ts = tf.tidy(() => {
    const states = model.forward(batch, { keep });
    const at = (k: number) => states[keep.indexOf(k)];
    const out: tf.Tensor[] = hiddenLayers.map((k) => tf.clone(at(k)));
    if (outputs.pooled) out.push(pool(at(outputs.pooled.layer), batch.attentionMask, outputs.pooled.pooling));
    if (outputs.logits) out.push(model.classify(at(L)));
    return out;
  });
  try {
    const values: Float32Array[] = [];
    for (const t of ts) values.push(await readF32(t));
    const n = hiddenLayers.length;
    return {
      hidden: new Map(hiddenLayers.map((k, i) => [k, values[i]])),
      pooled: outputs.pooled ? values[n] : null,
      logits: outputs.logits ? values[n + (outputs.pooled ? 1 : 0)] : null,
    };
  } finally {
    tf.dispose(ts);
  }
}

/** The tfjs engine: the worker's own backend. */
export function tfjsEngine(backend: BackendChoice, why: { code: InferenceFallback; reason: string } | null): InferenceEngine {
  return {
    status: {
      engine: 'tfjs',
      device: `tfjs ${backend.backend} (${backend.device})`,
      threads: null,
      reason: why?.reason ?? null,
      reasonCode: why?.code ?? null,
      provider: null,
      providerChoice: 'auto',
      forcedBy: null,
      adapter: null,
      providerSkipped: [],
    },
    run: (model, batch, outputs) => tfjsInference(model, batch, outputs),
    release() {},
  };
}

const providerNames: Record<InferenceProvider, string> = { cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', cpu: 'CPU' };

/**
 * The onnxruntime engine on one execution provider, one session kept (the last model and outputs).
 * A GPU provider that fails to create a session or to run is given up for the rest of the worker's
 * life: the batch runs again on the CPU and the status says why (sessionFailed, runFailed).
 */
export function onnxEngine(
  ort: Ort,
  version: string,
  threads: { threads: number; how: string },
  cacheDir: string,
  pick: ProviderPick = { provider: 'cpu', adapter: null, skipped: [] },
  choice: { choice: InferenceProviderChoice; forcedBy: InferenceStatus['forcedBy'] } = { choice: 'auto', forcedBy: null },
  graphOptions: { externalDataLimit?: number } = {},
): InferenceEngine {
  /** Initializer bytes above which the weights go to external data (tests force it small). */
  const dataLimit = graphOptions.externalDataLimit ?? externalDataLimit;
  /** `weights`: the external data buffers a session built in memory was given, kept while it lives. */
  let current: { model: EncoderModel; key: string; session: Session; weights?: unknown } | null = null;
  let provider = pick.provider;
  let adapter = pick.adapter;
  const skipped = [...pick.skipped];

  const device = (): string =>
    provider === 'cpu'
      ? `onnxruntime CPU, ${threads.threads} thread${threads.threads === 1 ? '' : 's'} (${threads.how})`
      : `onnxruntime ${providerNames[provider]}${adapter ? ` (${adapter})` : ''}`;

  /** Gives the GPU provider up after a failure: later sessions are on the CPU. */
  const giveUp = (code: 'sessionFailed' | 'runFailed', err: unknown) => {
    const message = ((err as Error)?.message ?? String(err)).split('\n')[0].slice(0, 300);
    skipped.push({ provider, code, reason: `onnxruntime's ${providerNames[provider]} provider failed to ${code === 'sessionFailed' ? 'create a session' : 'run'}: ${message}` });
    release();
    provider = 'cpu';
    adapter = null;
  };

  const graphFile = (cacheKey: string, key: string) => join(cacheDir, 'onnx', `${createHash('sha256').update(`${cacheKey}|${key}|graph ${graphVersion}|onnxruntime ${version}`).digest('hex').slice(0, 32)}.onnx`);

  /**
   * The graph's file in the cache (touched so it is kept), or built and written there: a model whose
   * weights exceed the limit (over 1.8 GiB: XLM-RoBERTa large) has them in `<graph>.onnx.data`
   * beside it, which onnxruntime reads when it loads the graph's path. Both are written under
   * temporary names and renamed, the side file first, so a graph in the cache always has its weights.
   */
  /** The cached graph's file, marked as just used, or null when it is not cached yet. */
  const existingGraph = (cacheKey: string, outputs: EncoderGraphOutputs): string | null => {
    const file = graphFile(cacheKey, outputsKey(outputs));
    try {
      statSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return file;
    } catch {
      return null;
    }
  };

  /** Builds the graph into the cache (not there yet: see existingGraph). */
  const cachedGraph = (model: EncoderModel, outputs: EncoderGraphOutputs, cacheKey: string): string => {
    const file = graphFile(cacheKey, outputsKey(outputs));
    const dir = join(cacheDir, 'onnx');
    mkdirSync(dir, { recursive: true });
    const data = `${file}.data`;
    const tmp = `${file}.${process.pid}.tmp`;
    const written = writeEncoderGraph(model, outputs, tmp, { limit: dataLimit, location: basename(data), dataPath: `${data}.${process.pid}.tmp` });
    if (written.dataPath) renameSync(written.dataPath, data);
    renameSync(tmp, file);
    pruneGraphs(dir, basename(file));
    return file;
  };

  /**
   * A graph built in memory (no cache key): its bytes, and above the limit each large weight as its
   * own in-memory external data file (onnxruntime's externalData session option: no copy, no disk).
   */
  const memoryGraph = (model: EncoderModel, outputs: EncoderGraphOutputs) => {
    const { g, doc } = encoderGraphBuilder(model, outputs);
    if (g.initializerBytes() <= dataLimit) return { graph: g.encode('encoder', doc), externalData: undefined };
    const built = g.encodeExternal('encoder', doc, (i) => `weight-${i}.bin`);
    return { graph: built.graph, externalData: built.chunks.map((c) => ({ path: c.location, data: c.bytes })) };
  };

  const release = () => {
    void current?.session.release();
    current = null;
  };

  /** Deletes a cached graph and its side file (a session could not be created from them). */
  const dropCached = (file: string) => {
    for (const f of [file, `${file}.data`]) {
      try {
        unlinkSync(f);
      } catch {
        // not there
      }
    }
  };

  /** `rebuilt`: the cached graph was dropped and written anew once already (a side file deleted by hand, a truncated file). */
  const session = async (model: EncoderModel, outputs: EncoderGraphOutputs, cacheKey: string | undefined, rebuilt = false): Promise<Session> => {
    const key = outputsKey(outputs);
    if (current && current.model === model && current.key === key) return current.session;
    release();
    const options: import('onnxruntime-node').InferenceSession.SessionOptions = {
      intraOpNumThreads: threads.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // The GPU providers leave shape operations to the CPU and warn about it on every session.
      ...(provider === 'cpu' ? {} : { executionProviders: [provider], logSeverityLevel: 3 as const }),
      // DirectML refuses a session with memory patterns or parallel execution (onnxruntime's DirectML documentation).
      ...(provider === 'dml' ? { enableMemPattern: false, executionMode: 'sequential' as const } : {}),
    };
    // The graph builder reads the weights synchronously, a WebGPU backend's only after this; a
    // cached graph needs no weights (and WebGPU would keep a CPU copy of every one read).
    const existing = cacheKey ? existingGraph(cacheKey, outputs) : null;
    if (!existing) await model.cacheForExport();
    const file = existing ?? (cacheKey ? cachedGraph(model, outputs, cacheKey) : null);
    const inMemory = file ? null : memoryGraph(model, outputs);
    let created: Session;
    try {
      created = file
        ? await ort.InferenceSession.create(file, options)
        : await ort.InferenceSession.create(inMemory!.graph, inMemory!.externalData ? { ...options, externalData: inMemory!.externalData } : options);
    } catch (err) {
      if (provider === 'cpu') {
        if (!file || rebuilt) throw err;
        dropCached(file);
        return session(model, outputs, cacheKey, true);
      }
      giveUp('sessionFailed', err);
      return session(model, outputs, cacheKey, rebuilt);
    }
    current = { model, key, session: created, weights: inMemory?.externalData };
    return created;
  };

  const runOnce = async (model: EncoderModel, batch: EncoderBatch, outputs: EncoderGraphOutputs, cacheKey: string | undefined) => {
    const s = await session(model, outputs, cacheKey);
    const { batchSize: B, length: T } = batch;
    const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [B, T]);
    const feeds: Record<string, import('onnxruntime-node').Tensor> = { input_ids: int64(batch.ids), attention_mask: int64(batch.attentionMask) };
    if (model.config.typeVocabSize > 0) feeds.token_type_ids = int64(batch.tokenTypeIds ?? new Int32Array(B * T));
    return s.run(feeds);
  };

  return {
    get status(): InferenceStatus {
      return {
        engine: 'onnxruntime',
        device: device(),
        threads: provider === 'cpu' ? threads.threads : null,
        reason: null,
        reasonCode: null,
        provider,
        providerChoice: choice.choice,
        forcedBy: choice.forcedBy,
        adapter,
        providerSkipped: [...skipped],
      };
    },
    async run(model, batch, outputs, cacheKey) {
      let out: Awaited<ReturnType<typeof runOnce>>;
      try {
        out = await runOnce(model, batch, outputs, cacheKey);
      } catch (err) {
        if (provider === 'cpu') throw err;
        giveUp('runFailed', err);
        out = await runOnce(model, batch, outputs, cacheKey);
      }
      const data = (name: string) => {
        const t = out[name];
        const values = new Float32Array(t.data as Float32Array);
        t.dispose();
        return values;
      };
      return {
        hidden: new Map((outputs.hidden ?? []).map((k) => [k, data(`hidden_${k}`)])),
        pooled: outputs.pooled ? data('pooled') : null,
        logits: outputs.logits ? data('logits') : null,
      };
    },
    release,
  };
}

/** The execution providers this onnxruntime-node build has ("cpu", "webgpu", and "dml" on Windows). */
export function supportedProviders(ort: Ort): string[] {
  try {
    return (ort.listSupportedBackends?.() ?? []).filter((b) => b.bundled).map((b) => b.name);
  } catch {
    return ['cpu'];
  }
}

/**
 * The engine for this worker: onnxruntime where it loads, on the provider pickProvider gives,
 * else tfjs with the reason. `provider` is the settings' choice (SHIRABE_INFERENCE_PROVIDER over it).
 */
export async function selectInference(
  backend: BackendChoice,
  requested: string,
  options: { provider?: InferenceProviderChoice; cacheDir?: string; env?: NodeJS.ProcessEnv; probe?: () => Promise<GpuProbe>; cuda?: () => Promise<CudaProviderProbe> } = {},
): Promise<InferenceEngine> {
  const choice = providerChoice(options.provider ?? 'auto', options.env);
  const loaded = loadOnnxRuntime(backend, requested, choice.choice !== 'auto');
  if (!loaded.ok) return tfjsEngine(backend, loaded);
  const pick = await pickProvider(supportedProviders(loaded.ort), choice.choice, { probe: options.probe, cuda: options.cuda, forcedBy: choice.forcedBy });
  return onnxEngine(loaded.ort, loaded.version, physicalCores(), options.cacheDir ?? defaultCacheDir(), pick, choice);
}
