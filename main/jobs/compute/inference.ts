// The encoder's inference forward pass (no gradients: embedding, prediction) on the fastest engine
// the worker has: onnxruntime-node's CPU runtime when it loads, running the ONNX graph of the
// same model (main/ml/onnx), else the tfjs backend the worker chose. Training, pretraining and
// attribution need gradients and stay on tfjs. On this repository's 2-core machine onnxruntime ran
// a BERT-base batch 5–10× faster than tfjs-wasm, at 61–139% of PyTorch's speed (bench/README.md).
import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, homedir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { InferenceFallback, InferenceStatus } from '../../../common/contract';
import { pool } from '../../ml/embed';
import type { EncoderBatch, EncoderModel } from '../../ml/models/index';
import { encoderGraph, graphVersion, outputsKey, type EncoderGraphOutputs } from '../../ml/onnx/encoderGraph';
import type { BackendChoice } from './backends';

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

type Loaded = { ok: true; ort: Ort; version: string } | { ok: false; code: InferenceFallback; reason: string };

/** onnxruntime-node, or why it is not used. */
export function loadOnnxRuntime(choice: BackendChoice, requested: string): Loaded {
  if (requested !== 'auto') return { ok: false, code: 'forced', reason: `the compute backend is set to ${requested} in the settings, so inference runs on it too` };
  if (process.platform === 'darwin' && process.arch === 'x64') return { ok: false, code: 'noBinary', reason: 'onnxruntime-node has no macOS x64 binary' };
  if (choice.backend === 'tensorflow-gpu') return { ok: false, code: 'cuda', reason: 'the CUDA GPU backend is faster than onnxruntime on the CPU' };
  try {
    const ort = req('onnxruntime-node') as Ort;
    return { ok: true, ort, version: ort.env.versions?.node ?? 'unknown' };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e?.code === 'MODULE_NOT_FOUND' && e.message?.includes('onnxruntime-node')) return { ok: false, code: 'notInstalled', reason: 'onnxruntime-node is not installed' };
    return { ok: false, code: 'loadFailed', reason: `onnxruntime-node failed to load: ${(e?.message ?? String(err)).split('\n')[0]}` };
  }
}

/** Reads a tfjs forward pass into the same result (the fallback engine, and the reference in tests). */
export function tfjsInference(model: EncoderModel, batch: EncoderBatch, outputs: EncoderGraphOutputs): InferenceResult {
  const L = model.config.numLayers;
  const keep = [...new Set([...(outputs.hidden ?? []), ...(outputs.pooled ? [outputs.pooled.layer] : []), ...(outputs.logits ? [L] : [])])];
  let result: InferenceResult | null = null;
  tf.tidy(() => {
    const states = model.forward(batch, { keep });
    const at = (k: number) => states[keep.indexOf(k)];
    const copy = (t: tf.Tensor) => new Float32Array(t.dataSync() as Float32Array);
    result = {
      hidden: new Map((outputs.hidden ?? []).map((k) => [k, copy(at(k))])),
      pooled: outputs.pooled ? copy(pool(at(outputs.pooled.layer), batch.attentionMask, outputs.pooled.pooling)) : null,
      logits: outputs.logits ? copy(model.classify(at(L))) : null,
    };
  });
  return result!;
}

/** The tfjs engine: the worker's own backend. */
export function tfjsEngine(backend: BackendChoice, why: { code: InferenceFallback; reason: string } | null): InferenceEngine {
  return {
    status: { engine: 'tfjs', device: `tfjs ${backend.backend} (${backend.device})`, threads: null, reason: why?.reason ?? null, reasonCode: why?.code ?? null },
    run: async (model, batch, outputs) => tfjsInference(model, batch, outputs),
    release() {},
  };
}

/** The onnxruntime CPU engine, one session kept (the last model and outputs). */
export function onnxEngine(ort: Ort, version: string, threads: { threads: number; how: string }, cacheDir: string): InferenceEngine {
  let current: { model: EncoderModel; key: string; session: Session } | null = null;

  const graphFile = (cacheKey: string, key: string) => join(cacheDir, 'onnx', `${createHash('sha256').update(`${cacheKey}|${key}|graph ${graphVersion}|onnxruntime ${version}`).digest('hex').slice(0, 32)}.onnx`);

  /** The graph's bytes from the cache (touched so it is kept), or built and written there. */
  const cachedGraph = (model: EncoderModel, outputs: EncoderGraphOutputs, cacheKey: string): string => {
    const file = graphFile(cacheKey, outputsKey(outputs));
    try {
      statSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return file;
    } catch {
      // not cached yet
    }
    const bytes = encoderGraph(model, outputs);
    const dir = join(cacheDir, 'onnx');
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    // The one just written stays whatever the clock's resolution; of the others, the most recently used.
    const others = readdirSync(dir).filter((f) => f.endsWith('.onnx') && f !== basename(file));
    const byUse = others.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of byUse.slice(keptGraphs - 1)) unlinkSync(join(dir, f));
    return file;
  };

  const release = () => {
    void current?.session.release();
    current = null;
  };

  return {
    status: { engine: 'onnxruntime', device: `onnxruntime CPU, ${threads.threads} thread${threads.threads === 1 ? '' : 's'} (${threads.how})`, threads: threads.threads, reason: null, reasonCode: null },
    async run(model, batch, outputs, cacheKey) {
      const key = outputsKey(outputs);
      if (!current || current.model !== model || current.key !== key) {
        release();
        const options: import('onnxruntime-node').InferenceSession.SessionOptions = { intraOpNumThreads: threads.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
        const session = cacheKey ? await ort.InferenceSession.create(cachedGraph(model, outputs, cacheKey), options) : await ort.InferenceSession.create(encoderGraph(model, outputs), options);
        current = { model, key, session };
      }
      const { batchSize: B, length: T } = batch;
      const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [B, T]);
      const feeds: Record<string, import('onnxruntime-node').Tensor> = { input_ids: int64(batch.ids), attention_mask: int64(batch.attentionMask) };
      if (model.config.typeVocabSize > 0) feeds.token_type_ids = int64(batch.tokenTypeIds ?? new Int32Array(B * T));
      const out = await current.session.run(feeds);
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

/** The engine for this worker: onnxruntime where it loads, else tfjs with the reason. */
export function selectInference(backend: BackendChoice, requested: string, cacheDir = defaultCacheDir()): InferenceEngine {
  const loaded = loadOnnxRuntime(backend, requested);
  if (!loaded.ok) return tfjsEngine(backend, loaded);
  return onnxEngine(loaded.ort, loaded.version, physicalCores(), cacheDir);
}
