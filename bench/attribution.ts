// Integrated Gradients speed (issue 18): one document of --tokens tokens (default 128), --steps
// Gauss–Legendre points (default 50), the app's rows per pass (floor(16 × 128 / T), as
// main/jobs/compute/tasks/attribution/attribute.ts sets them from the default batch size), run by
// main/ml/attribution on the WebAssembly backend as the app's compute worker runs it here, beside
// the same computation in Debian's PyTorch (bench/attribution_torch.py) with 1 thread and with
// every core, on the same weights, document, integration points, projections and rows per pass.
//
// Run: npm run bench:attribution [-- --models tiny,base] [--steps 50] [--tokens 128]
//      [--targets logit,exact,estimate] [--max-projections tiny=all,base=8] [--estimate 64]
//      [--batch-size 16] [--rows N] [--threads 1,all] [--json]
//
// Models: `tiny` is the bundled default model (resources/models/shirabe-tiny-ja: 2 layers, hidden
// 128); `base` a BERT-base-sized one (12 layers, hidden 768, 12 heads, intermediate 3072,
// vocabulary 32,000) with seeded random weights, loaded through loadEncoder as bench/embed.ts does.
// Both get a seeded pooler and 2-label classifier head (transformers' init: N(0, 0.02), biases 0).
// The document is [CLS], T − 2 seeded random ids past the special tokens, [SEP]; baseline [PAD] with
// the specials kept (the app's default).
//
// Targets: (i) logit — the predicted class's logit (attributeScalar, classifierTarget); (ii) exact —
// the study's norm contribution of the mean-pooled last layer, one IG per output dimension (H of
// them); (iii) estimate — the same from 64 random ±1 projections (attributeNorm's seed 42). Every
// projection costs the same passes, so where a norm target has more projections than
// --max-projections allows for that model (default: all for tiny, 8 for base, where the exact norm
// is 38,400 rows, about 33 hours on wasm here), the first N of its projections are timed through integratedGradients (the loop
// attributeNorm runs) and the time is extrapolated linearly in passes, and the table says so.
//
// The app's rows per pass for BERT-base do not fit the 4 GiB WebAssembly heap under the gradient
// tape: a run that aborts out of memory is run again with half the rows (16 → 8 → 4), unless --rows
// is given, and the table says which failed; torch then runs with the same rows per pass.
//
// Each side runs in its own process (ours in a child Node process, torch once per thread count), so
// each peak RSS is its own. Ours writes the model's weights (Hugging Face BERT names, through the
// safetensors writer) after its timings, for torch to load. FLOPs are analytic: a row's forward is
// L·(2·T·(4H² + 2HI) + 2·2·T²·H) as in bench/embed.ts, its backward to the input embeddings one
// more dense product per dense product and two per attention product (no weight gradients on either
// side), so a row of a pass is 2·dense + 3·attention; the two end-point forwards are added; element-wise
// work is not counted, so "effective" GFLOP/s is a lower bound on what the kernels do.
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32, normals } from '../common/random';
import { selectBackend } from '../main/jobs/compute/backends';
import { attributeNorm, attributeScalar, classifierTarget, embeddingTarget } from '../main/ml/attribution/attribute';
import { addTokenSquares, baselineEmbeddings, integratedGradients, targetOutputs, wordEmbeddings, type AttributionInput } from '../main/ml/attribution/ig';
import { integrationPoints } from '../main/ml/attribution/integration';
import { loadEncoder, type EncoderModel } from '../main/ml/models/index';
import { bertBaseConfig, randomBert, writeClassifierWeights } from './bertBase';
import { installFastGradients } from '../main/ml/train/gradients';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource } from '../main/ml/weights/types';
import { lastMessage, machine, root, runJsonChild, table } from './common';

type ModelName = 'tiny' | 'base';
type TargetName = 'logit' | 'exact' | 'estimate';
const MODELS: ModelName[] = ['tiny', 'base'];
const TARGETS: TargetName[] = ['logit', 'exact', 'estimate'];
const SEED = 20261208;
/** attributionDefaults.seed: the estimate's projections. */
const ESTIMATE_SEED = 42;
const PYTHON = '/usr/bin/python3';
const TINY_DIR = join(root, 'resources', 'models', 'shirabe-tiny-ja');

/**
 * tfjs-core's gradient configs (its ES module register_all_gradients, which Node cannot load from
 * source under tsx) as the app's compute worker loads them: the bundle `npm run build` makes in
 * dist/, or, without a build, the same bundle made here with esbuild (scripts/build.mjs's options).
 */
async function gradientsBundle(dir: string): Promise<string> {
  const built = join(root, 'dist', 'tfjsGradients.cjs');
  if (existsSync(built)) return built;
  const { build } = await import('esbuild');
  const out = join(dir, 'tfjsGradients.cjs');
  await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root, entryPoints: ['node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js'], outfile: out });
  return out;
}

const log = (who: string, msg: string) => process.stderr.write(`[${who}] ${msg}\n`);


function buildModel(name: ModelName): EncoderModel {
  let model: EncoderModel;
  if (name === 'tiny') {
    const raw = JSON.parse(readFileSync(join(TINY_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
    model = loadEncoder(raw, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(TINY_DIR, 'model.safetensors')))))).model;
  } else {
    const raw = bertBaseConfig(12, 2);
    model = loadEncoder(raw, randomBert(raw, SEED)).model;
  }
  // A new 2-label classifier over BERT's pooler, as fine-tuning starts one (seeded).
  const normal = normals(mulberry32(SEED + 1));
  if (!model.heads.pooler) model.initHead('pooler', normal);
  if (!model.heads.classifier) model.initHead('classifier', normal);
  if (model.config.numLabels !== 2) throw new Error(`expected a 2-label head, got ${model.config.numLabels}`);
  return model;
}


interface Shape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
}

/** Analytic FLOPs of one row of T tokens: its forward, and a forward + backward to the input embeddings. */
function rowFlops(s: Shape, T: number): { forward: number; pass: number } {
  const dense = s.layers * 2 * T * (4 * s.hidden * s.hidden + 2 * s.hidden * s.intermediate);
  const attention = s.layers * 2 * 2 * T * T * s.hidden;
  return { forward: dense + attention, pass: 2 * dense + 3 * attention };
}

// ------------------------------------------------------------------ results

interface TargetRun {
  name: TargetName;
  /** Projections the full target needs (1 for the logit, H exact, --estimate). */
  projections: number;
  /** Projections timed. */
  measured: number;
  passes: number;
  fullPasses: number;
  /** Seconds of the projections timed, and of the full target (extrapolated in passes when measured < projections). */
  seconds: number;
  fullSeconds: number;
  extrapolated: boolean;
  /** FLOPs of the timed work (analytic). */
  flops: number;
  gap?: number;
  scores: number[];
}

interface OursResult {
  model: ModelName;
  device: string;
  shape: Shape;
  tokens: number;
  steps: number;
  rows: number;
  logitClass: number;
  parameters: number;
  loadSeconds: number;
  warmupSeconds: number;
  /** Kernel time of the profiled warm-up pass, by kernel (top 8), as shares of its total. */
  kernels: { name: string; share: number }[];
  /** The wasm heap's size when the warm-up pass ended (it only grows): the memory a pass needs. */
  warmupHeapBytes: number | null;
  targets: TargetRun[];
  maxRssBytes: number;
  wasmHeapBytes: number | null;
  specPath: string;
}

interface TorchTarget {
  name: TargetName;
  seconds: number;
  passes: number;
  scores: number[];
  gap?: number;
}

interface TorchResult {
  torch: string;
  threads: number;
  loadSeconds: number;
  maxRssBytes: number;
  results: TorchTarget[];
}

interface ModelReport {
  model: ModelName;
  ours?: OursResult;
  oursFailure?: string;
  /** Why the app's rows per pass did not run, when `ours.rows` is fewer. */
  rowsFailure?: string;
  torch: { threads: number; result?: TorchResult; error?: string }[];
  loadAverage: { before: string; after: string };
}

// ------------------------------------------------------------------ ours (child process)

interface ChildOptions {
  model: ModelName;
  steps: number;
  tokens: number;
  rows: number;
  maxProjections: number;
  estimate: number;
  targets: TargetName[];
  dir: string;
  /** tfjs's gradient configs as a CommonJS bundle. */
  gradients: string;
}

async function runOurs(o: ChildOptions): Promise<OursResult> {
  const who = `ours ${o.model}`;
  const choice = await selectBackend('wasm');
  if (choice.backend !== 'wasm') throw new Error(`the wasm backend is not available: ${choice.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
  // tfjs's gradients, then ours over them (main/jobs/compute/gradientsBundle.ts's registerGradients).
  createRequire(o.gradients)(o.gradients);
  installFastGradients();
  const t0 = performance.now();
  const model = buildModel(o.model);
  const loadSeconds = (performance.now() - t0) / 1000;
  const c = model.config;
  const shape: Shape = { layers: c.numLayers, hidden: c.hiddenSize, heads: c.numHeads, intermediate: c.intermediateSize, vocab: c.vocabSize };
  const parameters = [...model.parameters().values()].reduce((a, v) => a + v.size, 0);
  log(who, `${choice.device}; ${c.numLayers} layers, hidden ${c.hiddenSize}, ${(parameters / 1e6).toFixed(1)} M parameters, loaded in ${loadSeconds.toFixed(1)} s`);

  const T = o.tokens;
  const H = c.hiddenSize;
  const rand = mulberry32(SEED + 2);
  // [CLS] = 2, [SEP] = 3 in both vocabularies (cl-tohoku's order: [PAD] [UNK] [CLS] [SEP] [MASK]); words past them.
  const ids = Int32Array.from({ length: T }, (_, t) => (t === 0 ? 2 : t === T - 1 ? 3 : 5 + Math.floor(rand() * (c.vocabSize - 5))));
  const input: AttributionInput = { ids, tokenTypeIds: new Int32Array(T), special: Array.from({ length: T }, (_, t) => t === 0 || t === T - 1) };
  const x = await wordEmbeddings(model, ids);
  const baseline = await baselineEmbeddings(model, input, 'pad', c.padTokenId);
  const rule = 'gauss-legendre' as const;
  const points = integrationPoints(rule, o.steps);
  const S = o.steps;
  const flops = rowFlops(shape, T);
  const common = { input, x, baseline, hiddenSize: H, rule, batchSize: o.rows };
  const logitTarget = classifierTarget(model, 'logit');
  // The predicted class, as the app's default target (one forward, untimed).
  const logits = await targetOutputs({ input, target: logitTarget, hiddenSize: H }, x);
  const logitClass = logits[1] > logits[0] ? 1 : 0;

  // One pass of the classifier's rows, untimed (the kernels' first calls), under tf.profile: where kernel time goes.
  let w = performance.now();
  let warmupSeconds = 0;
  const profile = await tf.profile(async () => {
    await attributeScalar({ ...common, target: logitTarget, outputs: 2, output: logitClass, steps: o.rows });
    warmupSeconds = (performance.now() - w) / 1000;
  });
  const byKernel = new Map<string, number>();
  let kernelMs = 0;
  for (const k of profile.kernels) {
    const ms = Number(k.kernelTimeMs) || 0;
    // 2-D products are the dense layers; batched ones the attention's QKᵀ and PV (and their gradients).
    const name = k.name === 'BatchMatMul' ? (k.inputShapes[0]?.length === 2 ? 'BatchMatMul (2-D: dense)' : 'BatchMatMul (batched: attention)') : k.name;
    byKernel.set(name, (byKernel.get(name) ?? 0) + ms);
    kernelMs += ms;
  }
  const kernels = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, ms]) => ({ name, share: ms / kernelMs }));
  log(who, `warm-up pass of ${o.rows} rows: ${warmupSeconds.toFixed(2)} s; kernel time: ${kernels.map((k) => `${k.name} ${(100 * k.share).toFixed(0)}%`).join(', ')}`);

  const heapNow = () => {
    const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
    return wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : null;
  };
  const warmupHeapBytes = heapNow();
  const embedding = embeddingTarget(model, 'mean', c.numLayers);
  const estimateProjections = new Float32Array(o.estimate * H); // as attributeNorm draws them
  {
    const r = mulberry32(ESTIMATE_SEED);
    for (let i = 0; i < estimateProjections.length; i++) estimateProjections[i] = r() < 0.5 ? -1 : 1;
  }
  const specTargets: Record<string, unknown>[] = [];
  const targets: TargetRun[] = [];
  for (const name of o.targets) {
    const P = name === 'logit' ? 1 : name === 'exact' ? H : o.estimate;
    const N = Math.min(P, o.maxProjections);
    const passes = Math.ceil((N * S) / o.rows);
    const fullPasses = Math.ceil((P * S) / o.rows);
    log(who, `${name}: ${N === P ? '' : `${N} of `}${P} projection${P === 1 ? '' : 's'}, ${passes} passes of ${o.rows} rows …`);
    let scores: Float64Array;
    let gap: number | undefined;
    w = performance.now();
    if (name === 'logit') {
      const r = await attributeScalar({ ...common, target: logitTarget, outputs: 2, output: logitClass, steps: S });
      scores = r.scores;
      gap = r.gap;
      specTargets.push({ name, kind: 'logit', class: logitClass });
    } else if (N === P) {
      const r = await attributeNorm({ ...common, target: embedding, outputs: H, steps: S, method: name === 'exact' ? { kind: 'exact' } : { kind: 'estimate', projections: P, seed: ESTIMATE_SEED } });
      scores = r.scores;
      gap = r.gap;
    } else {
      // The first N of the target's projections through the loop attributeNorm runs, with its per-projection work.
      const projections = name === 'exact' ? Float32Array.from({ length: N * H }, (_, i) => (i % H === Math.floor(i / H) ? 1 : 0)) : estimateProjections.slice(0, N * H);
      const squares = new Float64Array(T);
      await integratedGradients({ ...common, target: embedding, outputs: H, projections, points }, (_p, ig) => addTokenSquares(squares, ig, H));
      scores = squares.map((s) => Math.sqrt(name === 'estimate' ? s / N : s));
    }
    const seconds = (performance.now() - w) / 1000;
    if (name !== 'logit') {
      const file = join(o.dir, `${o.model}-estimate.f32`);
      if (name === 'estimate') writeFileSync(file, new Uint8Array(estimateProjections.buffer, 0, N * H * 4));
      specTargets.push({ name, kind: 'norm', projections: name === 'exact' ? 'identity' : file, measured: N, mean: name === 'estimate' });
    }
    const run: TargetRun = {
      name,
      projections: P,
      measured: N,
      passes,
      fullPasses,
      seconds,
      fullSeconds: (seconds * fullPasses) / passes,
      extrapolated: N < P,
      flops: N * S * flops.pass + 2 * flops.forward,
      ...(gap === undefined ? {} : { gap }),
      scores: Array.from(scores),
    };
    targets.push(run);
    log(who, `${name}: ${seconds.toFixed(2)} s${run.extrapolated ? ` (full ${P}: ~${run.fullSeconds.toFixed(0)} s, ${fullPasses} passes)` : ''}, ${(run.flops / 1e9 / seconds).toFixed(1)} GFLOP/s`);
  }
  // Peak RSS before the weights are written (the export holds a second copy of them).
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const wasmHeapBytes = heapNow();

  const weightsFile = join(o.dir, `${o.model}.safetensors`);
  writeClassifierWeights(model, weightsFile);
  model.dispose();
  const specPath = join(o.dir, `${o.model}-spec.json`);
  writeFileSync(
    specPath,
    JSON.stringify({
      weightsFile,
      config: { hidden: H, heads: c.numHeads, layers: c.numLayers, eps: c.layerNormEps },
      ids: Array.from(ids),
      tokenTypeIds: Array.from(input.tokenTypeIds),
      special: input.special,
      padId: c.padTokenId,
      alphas: Array.from(points.alphas),
      weights: Array.from(points.weights),
      rows: o.rows,
      targets: specTargets,
    }),
  );
  return { model: o.model, device: choice.device, shape, tokens: T, steps: S, rows: o.rows, logitClass, parameters, loadSeconds, warmupSeconds, kernels, warmupHeapBytes, targets, maxRssBytes, wasmHeapBytes, specPath };
}

// ------------------------------------------------------------------ processes

/** A child process's JSON result, or why it failed (out of the WebAssembly heap, or its last message). */
async function runProcess<T>(command: string, args: string[]): Promise<{ result?: T; error?: string }> {
  const { result, code, signal, stderr: err } = await runJsonChild<T>(command, args);
  if (code === 0) return { result };
  const xnn = /XNN status for (\w+) is not successful\. Got status 6/.exec(err);
  // An abort (malloc failing) with the heap at its 4 GiB maximum (65,536 pages) less a page's slack.
  const heap = /wasm heap at the failure: (\d+) MiB; tensors (\d+) MiB/.exec(err);
  const oom = /Aborted\(OOM\)|Cannot enlarge memory/i.test(err) || (heap !== null && Number(heap[1]) >= 4000);
  return {
    error: xnn || oom
      ? `out of memory: the WebAssembly heap reached its 4 GiB limit${xnn ? ` (XNNPACK ${xnn[1]} returned xnn_status_out_of_memory)` : ''}${heap ? ` (heap ${heap[1]} MiB, ${heap[2]} MiB of tensors, at the abort)` : ''}`
      : `the process exited with ${signal ?? code}: ${lastMessage(err) ?? 'no message'}`,
  };
}

function childArgs(o: ChildOptions): string[] {
  return [
    ...process.execArgv, fileURLToPath(import.meta.url), '--child', o.model, '--steps', String(o.steps), '--tokens', String(o.tokens), '--rows', String(o.rows),
    '--child-max-projections', String(o.maxProjections), '--estimate', String(o.estimate), '--targets', o.targets.join(','), '--workdir', o.dir, '--gradients', o.gradients,
  ];
}

// ------------------------------------------------------------------ report

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const fmtS = (s: number) => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2));
const fmtE = (x: number) => x.toExponential(1);


/** max |a − b| over max |b|: agreement relative to the scale of the reference. */
function relativeError(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return NaN;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}


const loads = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const appRowsOf = (r: ModelReport) => r.rowsFailure?.split(' rows')[0] ?? '?';

const targetLabel: Record<TargetName, string> = { logit: 'classifier logit', exact: 'embedding norm, exact', estimate: 'embedding norm, estimate' };

function report(reports: ModelReport[], info: ReturnType<typeof machine>, o: { steps: number; tokens: number; estimate: number }): void {
  console.log(`\nIntegrated Gradients, one document of ${o.tokens} tokens, ${o.steps} Gauss–Legendre points, baseline [PAD] (specials kept); estimate = ${o.estimate} random ±1 projections`);
  console.log(`${info.cpu}, ${info.memory}, Node ${info.node}, tfjs-core ${info.tfjs}, commit ${info.commit}`);
  const rows: string[][] = [];
  for (const r of reports) {
    if (!r.ours) continue;
    const s = r.ours.shape;
    const byThreads = r.torch.filter((t) => t.result);
    for (const t of r.ours.targets) {
      const peer = byThreads.map((b) => b.result!.results.find((x) => x.name === t.name));
      const est = t.extrapolated ? '~' : '';
      rows.push([
        `${r.model} (${s.layers}L, H ${s.hidden})`,
        targetLabel[t.name],
        t.extrapolated ? `${t.measured} of ${t.projections}` : String(t.projections),
        String(r.ours.rows),
        t.extrapolated ? `${t.passes} → ${t.fullPasses}` : String(t.passes),
        `${est}${fmtS(t.fullSeconds)}`,
        ...byThreads.map((b, i) => {
          const p = peer[i];
          return p ? `${est}${fmtS((p.seconds * t.fullPasses) / t.passes)}` : '—';
        }),
        ...byThreads.map((_b, i) => (peer[i] ? `${(t.seconds / peer[i]!.seconds).toFixed(2)}×` : '—')),
        (t.flops / 1e9 / t.seconds).toFixed(1),
        ...byThreads.map((_b, i) => (peer[i] ? (t.flops / 1e9 / peer[i]!.seconds).toFixed(1) : '—')),
      ]);
    }
  }
  const threads = reports.find((r) => r.torch.some((t) => t.result))?.torch.filter((t) => t.result).map((t) => t.threads) ?? [];
  console.log(
    '\n' +
      table(
        [
          'model', 'target', 'projections', 'rows/pass', 'passes', 'ours s',
          ...threads.map((n) => `torch ${n}T s`), ...threads.map((n) => `ours/torch ${n}T`),
          'ours GFLOP/s', ...threads.map((n) => `torch ${n}T GFLOP/s`),
        ],
        rows,
        [false, false, true, true, true, true, ...threads.map(() => true), ...threads.map(() => true), true, ...threads.map(() => true)],
      ),
  );
  console.log('~ = extrapolated linearly in passes from the projections timed ("N of P"; passes timed → full); the ratio and GFLOP/s are of the timed part.');
  console.log('seconds: the IG call (two end-point forwards + every pass + the per-projection sums), after one untimed warm-up pass; model load and embedding lookup not included.');
  console.log('GFLOP/s: analytic dense + attention FLOPs of forward and input-gradient backward (element-wise work not counted), over the timed seconds.');

  console.log(
    '\n' +
      table(
        ['model', 'target', ...threads.map((n) => `rel. max error vs torch ${n}T`), 'completeness gap: ours', 'torch'],
        reports.flatMap((r) =>
          (r.ours?.targets ?? []).map((t) => {
            const peers = r.torch.filter((x) => x.result).map((x) => x.result!.results.find((y) => y.name === t.name));
            return [
              r.model,
              targetLabel[t.name] + (t.extrapolated ? ` (${t.measured} projections)` : ''),
              ...peers.map((p) => (p ? fmtE(relativeError(t.scores, p.scores)) : '—')),
              t.gap === undefined ? '—' : fmtE(t.gap),
              peers[0]?.gap === undefined ? '—' : fmtE(peers[0].gap),
            ];
          }),
        ),
        [false, false, ...threads.map(() => true), true, true],
      ),
  );
  console.log("rel. max error = max_t |ours_t − torch_t| / max_t |torch_t| over the token scores (signed Σ_j IG for the logit, the norm contribution c_t for the others).");

  console.log(
    '\n' +
      table(
        ['model', 'parameters', 'ours: device', 'ours peak RSS', 'wasm heap', ...threads.map((n) => `torch ${n}T peak RSS`), 'load average (before → after)'],
        reports.filter((r) => r.ours).map((r) => [
          r.model,
          `${(r.ours!.parameters / 1e6).toFixed(1)} M`,
          r.ours!.device,
          mib(r.ours!.maxRssBytes),
          r.ours!.wasmHeapBytes === null ? '—' : mib(r.ours!.wasmHeapBytes),
          ...threads.map((n) => {
            const t = r.torch.find((x) => x.threads === n)?.result;
            return t ? mib(t.maxRssBytes) : '—';
          }),
          `${r.loadAverage.before} → ${r.loadAverage.after}`,
        ]),
        [false, true, false, true, true, ...threads.map(() => true), false],
      ),
  );
  const torchInfo = reports.flatMap((r) => r.torch).find((t) => t.result)?.result;
  if (torchInfo) console.log(`torch ${torchInfo.torch} (${PYTHON}), float32, torch.set_num_threads per column; no Captum (not installed): a batched IG over the word embeddings written in bench/attribution_torch.py.`);
  for (const r of reports) {
    if (r.rowsFailure) console.log(`${r.model}: the app's rows per pass (${appRowsOf(r)}) did not run — ${r.rowsFailure}; measured with ${r.ours?.rows} rows per pass on both sides.`);
    if (r.ours) console.log(`${r.model}: kernel time of ours in the warm-up pass: ${r.ours.kernels.map((k) => `${k.name} ${(100 * k.share).toFixed(0)}%`).join(', ')}.`);
    if (r.oursFailure) console.log(`${r.model}: ours failed: ${r.oursFailure}`);
    for (const t of r.torch.filter((x) => x.error)) console.log(`${r.model}: torch with ${t.threads} threads failed: ${t.error}`);
  }
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: MODELS.join(',') },
      targets: { type: 'string', default: TARGETS.join(',') },
      steps: { type: 'string', default: '50' },
      tokens: { type: 'string', default: '128' },
      'batch-size': { type: 'string', default: '16' },
      rows: { type: 'string' },
      'max-projections': { type: 'string', default: 'tiny=all,base=8' },
      estimate: { type: 'string', default: '64' },
      threads: { type: 'string', default: '1,all' },
      json: { type: 'boolean', default: false },
      child: { type: 'string' },
      'child-max-projections': { type: 'string' },
      workdir: { type: 'string' },
      gradients: { type: 'string' },
    },
  });
  const positive = (s: string, what: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${what} must be a positive integer`);
    return n;
  };
  const steps = positive(values.steps, 'steps');
  const tokens = positive(values.tokens, 'tokens');
  if (tokens < 3 || tokens > 512) throw new Error('--tokens must be between 3 and 512');
  const estimate = positive(values.estimate, 'estimate');
  const targets = values.targets.split(',').map((s) => s.trim()).filter(Boolean) as TargetName[];
  for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (choose from ${TARGETS.join(', ')})`);

  if (values.child) {
    const result = await runOurs({
      model: values.child as ModelName,
      steps,
      tokens,
      rows: positive(values.rows!, 'rows'),
      maxProjections: positive(values['child-max-projections']!, 'child-max-projections'),
      estimate,
      targets,
      dir: values.workdir!,
      gradients: values.gradients!,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }

  const models = values.models.split(',').map((s) => s.trim()).filter(Boolean) as ModelName[];
  for (const m of models) if (!MODELS.includes(m)) throw new Error(`unknown model ${m} (choose from ${MODELS.join(', ')})`);
  const maxProjections = new Map<string, number>();
  for (const part of values['max-projections'].split(',').map((s) => s.trim()).filter(Boolean)) {
    const [m, n] = part.split('=');
    if (!MODELS.includes(m as ModelName) || n === undefined) throw new Error(`--max-projections takes MODEL=N|all pairs, not ${part}`);
    maxProjections.set(m, n === 'all' ? Number.MAX_SAFE_INTEGER : positive(n, 'max-projections'));
  }
  // The app's rows per pass: the memory of batchSize sequences of maxLength (128) tokens.
  const appRows = Math.max(1, Math.floor((positive(values['batch-size'], 'batch-size') * 128) / tokens));
  const threadCounts = [...new Set(values.threads.split(',').map((s) => (s.trim() === 'all' ? cpus().length : positive(s.trim(), 'threads'))))];

  const info = machine();
  const loadStart = loads();
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-bench-attribution-'));
  const reports: ModelReport[] = [];
  try {
    const gradients = await gradientsBundle(dir);
    for (const model of models) {
      const before = loads();
      const rep: ModelReport = { model, torch: [], loadAverage: { before, after: '' } };
      let rows = values.rows ? positive(values.rows, 'rows') : appRows;
      const opts = (r: number): ChildOptions => ({ model, steps, tokens, rows: r, maxProjections: maxProjections.get(model) ?? Number.MAX_SAFE_INTEGER, estimate, targets, dir, gradients });
      let ours = await runProcess<OursResult>(process.execPath, childArgs(opts(rows)));
      // The app's rows per pass may not fit the 4 GiB WebAssembly heap under a gradient tape: halve them, and say so.
      while (!ours.result && !values.rows && rows > 1 && ours.error?.startsWith('out of memory')) {
        rep.rowsFailure = `${rep.rowsFailure ? `${rep.rowsFailure}; ` : ''}${rows} rows: ${ours.error}`;
        rows = Math.floor(rows / 2);
        log(`ours ${model}`, `out of memory; again with ${rows} rows per pass`);
        ours = await runProcess<OursResult>(process.execPath, childArgs(opts(rows)));
      }
      if (ours.result) rep.ours = ours.result;
      else rep.oursFailure = ours.error;
      if (rep.ours) {
        for (const n of threadCounts) {
          const t = await runProcess<TorchResult>(PYTHON, [join(root, 'bench', 'attribution_torch.py'), rep.ours.specPath, '--threads', String(n)]);
          rep.torch.push({ threads: n, ...t });
        }
      }
      rep.loadAverage.after = loads();
      reports.push(rep);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.json) {
    console.log(JSON.stringify({ date: new Date().toISOString(), machine: info, loadAverage: { start: loadStart, end: loads() }, steps, tokens, estimate, reports }, null, 2));
  } else {
    report(reports, info, { steps, tokens, estimate });
    console.log(`\nload average (1, 5, 15 min) at start ${loadStart}, at end ${loads()}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  // An abort inside the WebAssembly module says nothing more; its heap size says whether it was out of memory.
  const wasm = tf.getBackend() === 'wasm' ? (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm : undefined;
  if (wasm?.HEAPU8) console.error(`wasm heap at the failure: ${(wasm.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; tensors ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB`);
  process.exit(1);
});
