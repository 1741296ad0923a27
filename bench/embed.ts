// Embedding throughput of a BERT-base-sized encoder (12 layers, 768 hidden, 12 heads, 3072
// intermediate, vocabulary 32,000 like cl-tohoku; seeded random weights) on every compute
// backend this process can use: documents per second and effective GFLOP/s for batches of
// 16 × 128 tokens, beside the same run's plain tf.matMul GFLOP/s, and peak memory.
//
// Beside the tfjs backends: onnxruntime-node's CPU runtime on the ONNX graph Shirabe builds from
// the same model (main/ml/onnx; the app's inference engine) with 1 thread (`onnxruntime-1`) and
// with the physical cores (`onnxruntime`, as the compute worker picks them), and the same forward
// pass in Debian's PyTorch (bench/embed_torch.py, /usr/bin/python3) with 1 thread (`torch-1`) and
// as many threads (`torch`), the peer the issue's target is set against (≥ 50% of its docs/s).
// `onnxruntime-webgpu` runs the graph on onnxruntime's WebGPU execution provider (forced: it runs on
// a software adapter such as Mesa's lavapipe too) and prints its largest |difference| from the CPU
// provider's embeddings of the same batch (not part of the default list).
//
// Run: npm run bench:embed [-- --backends wasm,onnxruntime-1,onnxruntime,onnxruntime-webgpu,torch-1,torch] [--batches N] [--layers N] [--json]
//
// Each backend runs in its own child process, so its peak RSS is its own and the native and
// WebAssembly backends never share a process. FLOPs are counted analytically: per layer
// 2·N·(4H² + 2HI) for the six dense products (N = B·T tokens) plus 2·2·B·T²·H for QKᵀ and PV;
// element-wise work (GELU, softmax, LayerNorm, bias adds), the embedding gathers and the pooling
// are not counted, so "effective" GFLOP/s is a lower bound on what the kernels do.
// The JavaScript cpu backend does well under 1 GFLOP/s (minutes per 12-layer batch): unless
// --layers is given it runs a 2-layer model and scales time per batch and docs/s to 12 layers
// at the GFLOP/s it measured, and says so. A backend whose 12-layer run fails (wasm: the
// encoder keeps every layer's intermediates until the forward pass ends, more than the 4 GiB
// WebAssembly heap at 16 × 128) is measured again with 6 layers, scaled the same way, and the
// failure is printed beside the numbers.
import * as tf from '@tensorflow/tfjs-core';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendName } from '../common/contract';
import { selectBackend } from '../main/jobs/compute/backends';
import { probeWebgpu } from '../main/jobs/compute/gpuAdapter';
import { physicalCores } from '../main/jobs/compute/inference';
import { encoderGraph } from '../main/ml/onnx/encoderGraph';
import { pool } from '../main/ml/embed';
import { loadEncoder } from '../main/ml/models/index';
import { bertBaseConfig, randomBert } from './bertBase';
import { mulberry32 } from '../main/corpus/splits';
import { lastMessage, machine, root, runJsonChild, table } from './common';

const B = 16;
const T = 128;
const FULL_LAYERS = 12;
const CPU_LAYERS = 2;
/** Layers measured when the full model fails (the 12-layer batch does not fit the 4 GiB WebAssembly heap). */
const FALLBACK_LAYERS = 6;
const SEED = 20261123;

const H = 768;
const I = 3072;

/** Analytic forward FLOPs of `layers` encoder layers on B×T tokens (multiply-adds counted as 2). */
function encoderFlops(layers: number): { dense: number; attention: number; total: number } {
  const N = B * T;
  const dense = layers * 2 * N * (4 * H * H + 2 * H * I);
  const attention = layers * 2 * 2 * B * T * T * H;
  return { dense, attention, total: dense + attention };
}


interface MatMulResult {
  shape: string;
  gflop: number;
  reps: number;
  seconds: number;
  gflops: number;
}

/** The tfjs backends, onnxruntime's CPU runtime (1 thread / the physical cores) and PyTorch (1 thread / as many). */
type BenchBackend = BackendName | 'onnxruntime-1' | 'onnxruntime' | 'onnxruntime-webgpu' | 'torch-1' | 'torch';
const PYTHON = '/usr/bin/python3';

/** Threads of onnxruntime / torch: 1 for the "-1" variants, else the physical cores (as the compute worker picks them). */
function threadsOf(backend: BenchBackend): number {
  return backend.endsWith('-1') ? 1 : physicalCores().threads;
}

interface BackendResult {
  backend: BenchBackend;
  /** The load average (1 min) when this backend's process started: the machine is shared. */
  loadAverage?: number;
  skipped?: string;
  /** Why the run failed (no numbers). */
  failed?: string;
  /** Why the 12-layer run failed, when these numbers come from FALLBACK_LAYERS layers. */
  fullModelFailure?: string;
  device?: string;
  layers?: number;
  /** true when layers < 12 and the 12-layer time per batch and docs/s are scaled from it. */
  scaled?: boolean;
  parameters?: number;
  loadSeconds?: number;
  warmupSeconds?: number;
  batchSeconds?: number[];
  /** Mean seconds per batch of the measured model, and as a 12-layer model (scaled when layers < 12). */
  secondsPerBatch?: number;
  secondsPerBatch12?: number;
  docsPerSecond12?: number;
  gflopPerBatch?: number;
  gflops?: number;
  /** Share of kernel time in the profiled warm-up batch: 2-D dense products, attention products, the rest (tfjs only). */
  kernelShare?: { dense: number; attention: number; other: number };
  /** The kernels that took most of that time, by tfjs kernel name. */
  topKernels?: { name: string; share: number }[];
  matMul?: MatMulResult[];
  memory?: { maxRssBytes: number; tfBytesAfterLoad: number; tfPeakBytesInForward: number; wasmHeapBytes: number | null };
  /** onnxruntime-webgpu: the largest |difference| of its pooled embeddings from the CPU provider's, same graph and batch. */
  maxAbsDiffVsCpu?: number;
}

const log = (backend: string, msg: string) => process.stderr.write(`[${backend}] ${msg}\n`);
const secs = (ms: number) => ms / 1000;

async function timeMatMul(backend: string, a: number[], b: number[]): Promise<MatMulResult> {
  const x = tf.randomNormal(a, 0, 1, 'float32', 1);
  const y = tf.randomNormal(b, 0, 1, 'float32', 2);
  // Read back asynchronously: a WebGPU backend cannot read synchronously under Node.js.
  const run = async () => {
    const t0 = performance.now();
    const z = tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D);
    await z.data();
    z.dispose();
    return performance.now() - t0;
  };
  const m = a[a.length - 2];
  const k = a[a.length - 1];
  const n = b[b.length - 1];
  const batch = a.length === 3 ? a[0] : 1;
  const gflop = (2 * batch * m * k * n) / 1e9;
  const shape = `${a.join('×')} · ${b.join('×')}`;
  await run(); // warm-up
  // At least 2 repetitions and 3 s of them, at most 20.
  let total = 0;
  let reps = 0;
  while (reps < 20 && (reps < 2 || total < 3000)) {
    total += await run();
    reps++;
  }
  x.dispose();
  y.dispose();
  const gflops = (gflop * reps) / secs(total);
  log(backend, `matMul ${shape}: ${gflops.toFixed(2)} GFLOP/s (${reps} runs, ${(total / reps).toFixed(0)} ms each)`);
  return { shape, gflop, reps, seconds: secs(total) / reps, gflops };
}

/** onnxruntime's CPU runtime on the ONNX graph of the same model (built through tfjs's cpu backend, which only holds the weights). */
async function runOnnx(backend: 'onnxruntime-1' | 'onnxruntime' | 'onnxruntime-webgpu', batches: number, layers: number): Promise<BackendResult> {
  const ort = await import('onnxruntime-node');
  await tf.setBackend('cpu');
  const threads = threadsOf(backend);
  const webgpu = backend === 'onnxruntime-webgpu';
  const adapter = webgpu ? await probeWebgpu() : null;
  if (adapter && !adapter.ok) return { backend, skipped: adapter.reason };
  const device =
    adapter?.ok ? `onnxruntime ${ort.env.versions.node} WebGPU (${adapter.adapter.name}${adapter.adapter.software ? ', software' : ''})` : `onnxruntime ${ort.env.versions.node} CPU, ${threads} thread${threads === 1 ? '' : 's'}`;
  log(backend, `${device}; ${layers}-layer model, ${batches} timed batches of ${B}×${T} after one warm-up`);
  const t0 = performance.now();
  const raw = bertBaseConfig(layers);
  const { model, report } = loadEncoder(raw, randomBert(raw, SEED));
  const bytes = encoderGraph(model, { pooled: { layer: layers, pooling: 'mean' } });
  model.dispose();
  const cpuOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' } as const;
  const session = await ort.InferenceSession.create(bytes, webgpu ? { ...cpuOptions, executionProviders: ['webgpu'], logSeverityLevel: 3 } : cpuOptions);
  const loadSeconds = secs(performance.now() - t0);
  log(backend, `graph built (${(bytes.length / 2 ** 20).toFixed(0)} MiB) and session created: ${loadSeconds.toFixed(1)} s`);
  const rand = mulberry32(SEED);
  const ids = BigInt64Array.from({ length: B * T }, () => BigInt(5 + Math.floor(rand() * (32000 - 5))));
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, [B, T]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * T).fill(1n), [B, T]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(B * T), [B, T]),
  };
  let last = new Float32Array(0);
  const embedOnce = async () => {
    const start = performance.now();
    const out = await session.run(feeds);
    last = new Float32Array(out.pooled.data as Float32Array);
    return performance.now() - start;
  };
  const warmMs = await embedOnce();
  log(backend, `warm-up: ${secs(warmMs).toFixed(2)} s`);
  const batchSeconds: number[] = [];
  for (let i = 0; i < batches; i++) {
    batchSeconds.push(secs(await embedOnce()));
    log(backend, `batch ${i + 1}/${batches}: ${batchSeconds[i].toFixed(2)} s`);
  }
  await session.release();
  let maxAbsDiffVsCpu: number | undefined;
  if (webgpu) {
    const onCpu = await ort.InferenceSession.create(bytes, cpuOptions);
    const expected = (await onCpu.run(feeds)).pooled.data as Float32Array;
    await onCpu.release();
    maxAbsDiffVsCpu = last.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
    log(backend, `largest |difference| from the CPU provider's pooled embeddings: ${maxAbsDiffVsCpu.toExponential(2)}`);
  }
  const secondsPerBatch = batchSeconds.reduce((a, b) => a + b, 0) / batches;
  const gflops = encoderFlops(layers).total / 1e9 / secondsPerBatch;
  const secondsPerBatch12 = layers === FULL_LAYERS ? secondsPerBatch : encoderFlops(FULL_LAYERS).total / 1e9 / gflops;
  return {
    backend,
    device,
    layers,
    scaled: layers !== FULL_LAYERS,
    parameters: report.parameterCount,
    loadSeconds,
    warmupSeconds: secs(warmMs),
    batchSeconds,
    secondsPerBatch,
    secondsPerBatch12,
    docsPerSecond12: B / secondsPerBatch12,
    gflopPerBatch: encoderFlops(layers).total / 1e9,
    gflops,
    memory: { maxRssBytes: process.resourceUsage().maxRSS * 1024, tfBytesAfterLoad: 0, tfPeakBytesInForward: 0, wasmHeapBytes: null },
    maxAbsDiffVsCpu,
  };
}

/** The same forward pass in Debian's PyTorch (bench/embed_torch.py), in its own process. */
async function runTorch(backend: 'torch-1' | 'torch', batches: number, layers: number): Promise<BackendResult> {
  const threads = threadsOf(backend);
  const loadAverage = loadavg()[0];
  log(backend, `${PYTHON} bench/embed_torch.py --threads ${threads} --layers ${layers} --batches ${batches}`);
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [join(root, 'bench', 'embed_torch.py'), '--threads', String(threads), '--layers', String(layers), '--batches', String(batches)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve({ backend, skipped: `${PYTHON} could not start: ${e.message}` }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ backend, skipped: /No module named 'torch'/.test(err) ? 'python3-torch is not installed' : `${PYTHON} exited with ${code}: ${err.trim().split('\n').pop()}` });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { torch: string; threads: number; warmupSeconds: number; batchSeconds: number[]; maxRssBytes: number };
      const secondsPerBatch = r.batchSeconds.reduce((a, b) => a + b, 0) / r.batchSeconds.length;
      const gflops = encoderFlops(layers).total / 1e9 / secondsPerBatch;
      const secondsPerBatch12 = layers === FULL_LAYERS ? secondsPerBatch : encoderFlops(FULL_LAYERS).total / 1e9 / gflops;
      for (const [i, s] of r.batchSeconds.entries()) log(backend, `batch ${i + 1}/${r.batchSeconds.length}: ${s.toFixed(2)} s`);
      resolve({
        backend,
        loadAverage,
        device: `PyTorch ${r.torch} float32, ${r.threads} thread${r.threads === 1 ? '' : 's'}`,
        layers,
        scaled: layers !== FULL_LAYERS,
        warmupSeconds: r.warmupSeconds,
        batchSeconds: r.batchSeconds,
        secondsPerBatch,
        secondsPerBatch12,
        docsPerSecond12: B / secondsPerBatch12,
        gflopPerBatch: encoderFlops(layers).total / 1e9,
        gflops,
        memory: { maxRssBytes: r.maxRssBytes, tfBytesAfterLoad: 0, tfPeakBytesInForward: 0, wasmHeapBytes: null },
      });
    });
  });
}

async function runBackend(requested: BackendName, batches: number, layers: number): Promise<BackendResult> {
  const choice = await selectBackend(requested);
  if (choice.backend !== requested) {
    const reason = choice.skipped.find((s) => s.backend === requested)?.reason ?? `selectBackend chose ${choice.backend}`;
    log(requested, `skipped: ${reason}`);
    return { backend: requested, skipped: reason };
  }
  log(requested, `${choice.device}; ${layers}-layer model, ${batches} timed batch${batches === 1 ? '' : 'es'} of ${B}×${T} after one warm-up`);

  const t0 = performance.now();
  const raw = bertBaseConfig(layers);
  const { model, report } = loadEncoder(raw, randomBert(raw, SEED));
  const loadSeconds = secs(performance.now() - t0);
  const tfBytesAfterLoad = tf.memory().numBytes;
  log(requested, `model loaded: ${(report.parameterCount / 1e6).toFixed(1)} M parameters, ${(tfBytesAfterLoad / 2 ** 20).toFixed(0)} MiB of tensors, ${loadSeconds.toFixed(1)} s`);

  const rand = mulberry32(SEED);
  const ids = Int32Array.from({ length: B * T }, () => 5 + Math.floor(rand() * (32000 - 5))); // past the special tokens
  const attentionMask = new Int32Array(B * T).fill(1);
  const batch = { ids, attentionMask, batchSize: B, length: T };
  const embedOnce = async () => {
    const start = performance.now();
    const [hidden] = model.forward(batch, { keep: [layers] });
    const pooled = pool(hidden, attentionMask, 'mean');
    await pooled.data();
    pooled.dispose();
    hidden.dispose();
    return performance.now() - start;
  };

  // The warm-up batch runs under tf.profile: peak tensor bytes and where kernel time goes.
  let warmMs = 0;
  log(requested, 'warm-up batch (profiled, not timed) …');
  const profile = await tf.profile(async () => {
    warmMs = await embedOnce();
  });
  const share = { dense: 0, attention: 0, other: 0 };
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) {
    const ms = Number(k.kernelTimeMs) || 0;
    byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
    // Attention's products are batched, or on wasm one 2-D product per (batch, head) with T rows (batchedMatMul).
    if (k.name === 'BatchMatMul') share[k.inputShapes[0]?.length === 2 && k.inputShapes[0][0] !== T ? 'dense' : 'attention'] += ms;
    else share.other += ms;
  }
  const kernelMs = share.dense + share.attention + share.other;
  const kernelShare = { dense: share.dense / kernelMs, attention: share.attention / kernelMs, other: share.other / kernelMs };
  const topKernels = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, ms]) => ({ name, share: ms / kernelMs }));
  log(requested, `warm-up: ${secs(warmMs).toFixed(1)} s; kernel time ${pct(kernelShare.dense)} dense matMuls, ${pct(kernelShare.attention)} attention matMuls, ${pct(kernelShare.other)} other`);
  log(requested, `kernels by time: ${topKernels.map((k) => `${k.name} ${pct(k.share)}`).join(', ')}`);

  const batchSeconds: number[] = [];
  for (let i = 0; i < batches; i++) {
    batchSeconds.push(secs(await embedOnce()));
    log(requested, `batch ${i + 1}/${batches}: ${batchSeconds[i].toFixed(2)} s`);
  }
  model.dispose();

  const flops = encoderFlops(layers).total;
  const secondsPerBatch = batchSeconds.reduce((a, b) => a + b, 0) / batches;
  const gflops = flops / 1e9 / secondsPerBatch;
  const secondsPerBatch12 = layers === FULL_LAYERS ? secondsPerBatch : encoderFlops(FULL_LAYERS).total / 1e9 / gflops;

  log(requested, 'plain tf.matMul …');
  const matMul = [await timeMatMul(requested, [2048, 768], [768, 768]), await timeMatMul(requested, [2048, 768], [768, 3072]), await timeMatMul(requested, [192, 128, 64], [192, 64, 128])];

  const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return {
    backend: requested,
    device: choice.device,
    layers,
    scaled: layers !== FULL_LAYERS,
    parameters: report.parameterCount,
    loadSeconds,
    warmupSeconds: secs(warmMs),
    batchSeconds,
    secondsPerBatch,
    secondsPerBatch12,
    docsPerSecond12: B / secondsPerBatch12,
    gflopPerBatch: flops / 1e9,
    gflops,
    kernelShare,
    topKernels,
    matMul,
    memory: {
      // Linux reports maxRSS in KiB.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      tfBytesAfterLoad,
      tfPeakBytesInForward: profile.peakBytes,
      // The WebAssembly heap only grows, so its size now is its peak.
      wasmHeapBytes: wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : null,
    },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;



function report(results: BackendResult[], info: ReturnType<typeof machine>): void {
  const full = encoderFlops(FULL_LAYERS);
  console.log(`\nBERT-base-sized encoder (12 layers, H 768, 12 heads, I 3072, vocab 32000, random weights), batch ${B} × ${T} tokens, no padding, mean pooling`);
  console.log(`${info.cpu}, ${info.memory}, Node ${info.node}, tfjs-core ${info.tfjs}, commit ${info.commit}, load average at start ${info.loadAverage}`);
  console.log(
    `FLOPs per 12-layer batch: ${(full.total / 1e9).toFixed(1)} GFLOP (dense ${(full.dense / 1e9).toFixed(1)}, attention QKᵀ+PV ${(full.attention / 1e9).toFixed(1)}); ` +
      'element-wise ops, embeddings and pooling not counted\n',
  );
  const ran = results.filter((r) => !r.skipped && !r.failed);
  const rows = ran.map((r) => {
    const est = r.scaled ? '~' : '';
    return [
      r.backend,
      `${r.scaled ? `${r.layers} of 12` : '12'}${r.fullModelFailure ? ' ‡' : ''}`,
      String(r.batchSeconds!.length),
      `${est}${r.secondsPerBatch12!.toFixed(r.secondsPerBatch12! < 10 ? 2 : 1)} s`,
      `${est}${r.docsPerSecond12!.toFixed(r.docsPerSecond12! < 10 ? 2 : 1)}`,
      r.gflops!.toFixed(2),
      ...(r.matMul ?? [0, 0, 0].map(() => null)).map((m) => m?.gflops.toFixed(2) ?? '—'),
      r.kernelShare ? pct(r.kernelShare.attention) : '—',
      r.loadAverage === undefined ? '—' : r.loadAverage.toFixed(2),
    ];
  });
  console.log(
    table(
      ['backend', 'layers run', 'batches', 's/batch (12 L)', 'docs/s (12 L)', 'encoder GFLOP/s', 'matMul 2048·768·768', 'matMul 2048·768·3072', 'batched 192×128·64·128', 'attention share', 'load avg'],
      rows,
      [false, true, true, true, true, true, true, true, true, true, true],
    ),
  );
  console.log('\nGFLOP/s columns: encoder = analytic FLOPs / wall time of forward + mean pooling + reading it back; matMul = tf.matMul on the same backend, same run.');
  console.log('attention share = kernel time of the QKᵀ and PV matMuls in the profiled warm-up batch (tfjs only); load avg = 1-minute load average as the backend started.');
  const torch = ran.filter((r) => r.backend.startsWith('torch'));
  const bestTorch = torch.length ? Math.max(...torch.map((r) => r.docsPerSecond12!)) : null;
  if (bestTorch) for (const r of ran.filter((x) => !x.backend.startsWith('torch'))) console.log(`${r.backend}: ${pct(r.docsPerSecond12! / bestTorch)} of PyTorch's best docs/s`);
  if (ran.some((r) => r.scaled)) console.log('~ = measured with fewer layers; s/batch and docs/s scaled to 12 layers at the measured encoder GFLOP/s.');
  for (const r of ran.filter((x) => x.fullModelFailure)) console.log(`‡ ${r.backend}: the 12-layer batch did not run: ${r.fullModelFailure}.`);
  for (const r of ran.filter((x) => x.maxAbsDiffVsCpu !== undefined)) console.log(`${r.backend}: largest |difference| from onnxruntime's CPU provider (pooled embeddings, same batch): ${r.maxAbsDiffVsCpu!.toExponential(2)}`);
  console.log(
    '\n' +
      table(
        ['backend', 'device', 'peak RSS', 'tensors after load', 'tensor peak in forward', 'wasm heap'],
        ran.map((r) => [r.backend, r.device!, mib(r.memory!.maxRssBytes), mib(r.memory!.tfBytesAfterLoad), mib(r.memory!.tfPeakBytesInForward), r.memory!.wasmHeapBytes === null ? '—' : mib(r.memory!.wasmHeapBytes)]),
        [false, false, true, true, true, true],
      ),
  );
  console.log('peak RSS = process.resourceUsage().maxRSS of the backend\'s own process; tensor bytes from tf.memory() / tf.profile (model of "layers run").');
  for (const r of results.filter((x) => x.failed)) console.log(`failed ${r.backend}: ${r.failed}`);
  for (const r of results.filter((x) => x.skipped)) console.log(`skipped ${r.backend}: ${r.skipped}`);
}

/** One backend in a fresh process; its progress lines pass through, the last stderr lines explain a crash. */
async function runChild(backend: BenchBackend, batches: number | undefined, layers: number): Promise<{ result?: BackendResult; error?: string }> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', backend, '--layers', String(layers)];
  if (batches !== undefined) args.push('--batches', String(batches));
  const { result, code, signal, stderr: err } = await runJsonChild<BackendResult>(process.execPath, args);
  if (code === 0) return { result };
  const xnn = /XNN status for (\w+) is not successful\. Got status 6/.exec(err);
  return {
    error: xnn
      ? `out of memory: the WebAssembly heap reached its 4 GiB limit (XNNPACK ${xnn[1]} returned xnn_status_out_of_memory) and the module aborted`
      : `the process exited with ${signal ?? code}: ${lastMessage(err) ?? 'no message'}`,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: 'tensorflow-gpu,tensorflow,wasm,cpu,onnxruntime-1,onnxruntime,torch-1,torch' },
      batches: { type: 'string' },
      layers: { type: 'string' },
      json: { type: 'boolean', default: false },
      child: { type: 'string' },
    },
  });
  const positive = (s: string | undefined, what: string) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${what} must be a positive integer`);
    return n;
  };
  const batchesOpt = positive(values.batches, 'batches');
  const layersOpt = positive(values.layers, 'layers');
  if (layersOpt !== undefined && layersOpt > FULL_LAYERS) throw new Error(`--layers must be at most ${FULL_LAYERS}`);

  if (values.child) {
    const backend = values.child as BenchBackend;
    const loadAverage = loadavg()[0];
    const batches = batchesOpt ?? (backend === 'cpu' ? 1 : 3);
    const layers = layersOpt ?? (backend === 'cpu' ? CPU_LAYERS : FULL_LAYERS);
    const result = backend === 'onnxruntime' || backend === 'onnxruntime-1' || backend === 'onnxruntime-webgpu' ? await runOnnx(backend, batches, layers) : await runBackend(backend as BackendName, batches, layers);
    process.stdout.write(`${JSON.stringify({ ...result, loadAverage })}\n`);
    return;
  }

  const known: BenchBackend[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu', 'onnxruntime-1', 'onnxruntime', 'onnxruntime-webgpu', 'torch-1', 'torch'];
  const backends = values.backends.split(',').map((s) => s.trim()).filter(Boolean) as BenchBackend[];
  for (const b of backends) if (!known.includes(b)) throw new Error(`unknown backend ${b} (choose from ${known.join(', ')})`);
  const info = machine();
  const results: BackendResult[] = [];
  for (const backend of backends) {
    const layers = layersOpt ?? (backend === 'cpu' ? CPU_LAYERS : FULL_LAYERS);
    if (backend === 'torch' || backend === 'torch-1') {
      results.push(await runTorch(backend, batchesOpt ?? 3, layers));
      continue;
    }
    const first = await runChild(backend, batchesOpt, layers);
    if (first.result) {
      results.push(first.result);
    } else if (layersOpt === undefined && layers > FALLBACK_LAYERS) {
      // The full model did not run (on wasm: out of the 4 GiB heap): measure fewer layers, and say so.
      log(backend, `${layers}-layer run failed (${first.error}); measuring ${FALLBACK_LAYERS} layers instead`);
      const second = await runChild(backend, batchesOpt, FALLBACK_LAYERS);
      results.push(second.result ? { ...second.result, fullModelFailure: first.error } : { backend, failed: `${first.error}; with ${FALLBACK_LAYERS} layers: ${second.error}` });
    } else {
      results.push({ backend, failed: first.error });
    }
  }
  if (values.json) console.log(JSON.stringify({ date: new Date().toISOString(), machine: info, batchSize: B, length: T, flopsPer12LayerBatch: encoderFlops(FULL_LAYERS), results }, null, 2));
  else report(results, info);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
