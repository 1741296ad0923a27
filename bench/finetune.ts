// Fine-tuning speed of a BERT-base-sized classifier (issue 19): optimizer steps per second of one
// full fine-tuning step — forward, cross-entropy of a new 9-label head on BERT's pooled output,
// backward, gradient clipping, AdamW — at batch 16 × 128 tokens (no padding), per tfjs backend,
// beside the same step in Debian's PyTorch 1.13 (bench/finetune_torch.py by /usr/bin/python3,
// float32) with 1 thread (`torch-1`) and the physical cores (`torch`), from the same weights and batch.
//
// Run: npm run bench:finetune [-- --backends torch-1,wasm,torch,cpu,webgpu] [--methods full,lora]
//        [--layers 12] [--steps 2] [--batch-size 16] [--tokens 128] [--json]
//
// Ours goes through the app's own training code: the set-up FineTune does (a new pooler and
// classifier drawn from headInitializer, LoRA adapters by attachLora, trainableVariables,
// classificationLoss) and the step FineTune.run calls for every batch, Trainer.step (tf.variableGrads,
// clipByGlobalNorm at 1.0, AdamW with weight decay 0.01 but not on biases and LayerNorm weights, as
// Trainer), with the app's gradient registrations (registerGradients: tfjs's bundle + the fast
// matMul and gather gradients). The learning rate is constant and no dropout stream is passed
// (dropout off), so both sides compute the same thing; the first step's loss and gradient norm
// (before clipping), and the second step's (after one AdamW update), are compared with torch's.
//
// Each backend runs in its own child process. A first (warm-up) step is timed apart, then --steps
// steps are timed on the same batch. Layers: torch runs --layers (12); the tfjs backends run fewer
// where they must, and torch also runs those layer counts, so every ours/torch ratio is measured on
// the same model: `cpu` (and `webgpu`, parity only) run CPU_LAYERS (1) layer and only the first
// step by default, because the JavaScript cpu backend does under 1 GFLOP/s (minutes per step);
// `wasm` runs the most layers whose step the app's own memory estimate (common/memory.ts) puts
// within 90% of the 4 GiB WebAssembly heap (at 16 × 128 full fine-tuning keeps about 1.2 GB of
// activations per layer, and AdamW's update of 110 M values about 7.5 GB, so BERT-base's 12 layers
// do not fit). The 12-layer steps/s of a backend run with fewer layers is scaled at its measured
// GFLOP/s and marked ~: the per-step work that does not grow with layers (the 32,000 × 768 word
// embeddings' gradient and AdamW update) weighs more in a 1-layer step, so the scaled figure is
// pessimistic.
//
// FLOPs are analytic: the forward as bench/embed.ts counts it (per layer 2·N·(4H² + 2HI) for the six
// dense products, N = B·T, plus 2·2·B·T²·H for QKᵀ and PV), the backward as 2× the forward, so a
// step is 3× the forward for both methods (LoRA skips the frozen weights' gradients, so its true
// count is nearer 2×); element-wise work, embeddings, the head and AdamW are not counted.
//
// `webgpu` (tfjs-backend-webgpu through Dawn, on this machine Mesa's lavapipe, a CPU Vulkan driver)
// is a parity column: its loss and gradient norm against the cpu backend's on the same model; its
// time is printed but is a CPU rasteriser's.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BackendName, TrainMethod } from '../common/contract';
import { trainDefaults } from '../common/contract';
import { activationFloats, trainingBytes, wasmHeapBytes } from '../common/memory';
import { deriveSeed, mulberry32 } from '../common/random';
import { selectBackend } from '../main/jobs/compute/backends';
import { registerGradients } from '../main/jobs/compute/gradientsBundle';
import { physicalCores } from '../main/jobs/compute/inference';
import type { EncoderModel } from '../main/ml/models/encoder';
import { loadEncoder } from '../main/ml/models/index';
import { headInitializer, trainableVariables } from '../main/ml/train/fineTune';
import { attachLora } from '../main/ml/train/lora';
import { classificationLoss, Trainer, type Example } from '../main/ml/train/trainer';
import { bertBaseConfig, randomBert, writeClassifierWeights } from './bertBase';
import { lastMessage, machine, root, runJsonChild, table } from './common';

const SEED = 20261207;
const LABELS = 9;
const H = 768;
const I = 3072;
const HEADS = 12;
const VOCAB = 32000;
const CPU_LAYERS = 1;
const PYTHON = '/usr/bin/python3';
/** Constant learning rates (no schedule), one per method: the sweeps' middle values. */
const LR: Record<TrainMethod, number> = { full: 2e-5, lora: 5e-4 };
const LORA = { rank: 8, alpha: 16, dropout: 0, targets: ['query', 'value'] as typeof trainDefaults.lora.targets };

type TfjsBackend = BackendName;
type BenchBackend = TfjsBackend | 'torch-1' | 'torch';
const isTorch = (b: BenchBackend): b is 'torch-1' | 'torch' => b === 'torch-1' || b === 'torch';

interface Shape {
  batch: number;
  tokens: number;
}

/** Analytic forward FLOPs of `layers` encoder layers (multiply-adds counted as 2). */
function forwardFlops(layers: number, s: Shape): number {
  const N = s.batch * s.tokens;
  return layers * (2 * N * (4 * H * H + 2 * H * I) + 2 * 2 * s.batch * s.tokens * s.tokens * H);
}
const stepFlops = (layers: number, s: Shape) => 3 * forwardFlops(layers, s);

/** Parameters of a BERT-base-sized classifier with `layers` layers (backbone, pooler, head). */
function parameterCount(layers: number): number {
  const layer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
  return VOCAB * H + 512 * H + 2 * H + 2 * H + layers * layer + H * H + H + LABELS * H + LABELS;
}

/** Trainable values: full = everything; LoRA = A and B of query and value per layer + the classifier. */
function trainableCount(layers: number, method: TrainMethod): number {
  return method === 'full' ? parameterCount(layers) : layers * LORA.targets.length * LORA.rank * (H + H) + LABELS * H + LABELS;
}

/** The app's estimate of a training step's peak bytes (common/memory.ts), as the Models page shows it. */
function estimatedStepBytes(layers: number, method: TrainMethod, s: Shape): number {
  const config = { numLayers: layers, hiddenSize: H, intermediateSize: I, numHeads: HEADS, vocabSize: VOCAB };
  const acts = activationFloats(config, method === 'full' ? 'fine-tune' : 'lora', { batchSize: s.batch, maxLength: s.tokens });
  return trainingBytes(parameterCount(layers), trainableCount(layers, method), acts);
}

/** Layers a tfjs backend runs: cpu/webgpu CPU_LAYERS; wasm the most (≤ requested) whose step fits 90% of the heap. */
function layersFor(backend: TfjsBackend, requested: number, explicit: boolean, method: TrainMethod, s: Shape): number {
  if (explicit) return requested;
  if (backend === 'cpu' || backend === 'webgpu') return Math.min(CPU_LAYERS, requested);
  if (backend === 'wasm') {
    for (let l = requested; l >= 1; l--) if (estimatedStepBytes(l, method, s) <= 0.9 * wasmHeapBytes) return l;
    return 1;
  }
  return requested;
}

const log = (who: string, msg: string) => process.stderr.write(`[${who}] ${msg}\n`);
const secs = (ms: number) => ms / 1000;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** The batch: seeded token ids past the specials, token type 0, labels 0..8; the same on both sides. */
function batchOf(s: Shape): { ids: number[][]; labels: number[] } {
  const rand = mulberry32(SEED);
  const ids = Array.from({ length: s.batch }, () => Array.from({ length: s.tokens }, () => 5 + Math.floor(rand() * (VOCAB - 5))));
  const labels = Array.from({ length: s.batch }, () => Math.floor(rand() * LABELS));
  return { ids, labels };
}

/** The model as fine-tuning starts it (FineTune's constructor): seeded random backbone, a new pooler and classifier, adapters for LoRA. */
function buildModel(layers: number, method: TrainMethod): EncoderModel {
  const raw = bertBaseConfig(layers, LABELS);
  const { model } = loadEncoder(raw, randomBert(raw, SEED));
  const normal = headInitializer(SEED);
  if (model.classifierStyle === 'pooler' && !model.heads.pooler) model.initHead('pooler', normal);
  if (!model.heads.classifier) model.initHead('classifier', normal);
  if (method === 'lora') attachLora(model, LORA, mulberry32(deriveSeed(SEED, 2)));
  return model;
}


// ------------------------------------------------------------------ children

interface PrepareResult {
  weightsFile: string;
  specFile: string;
  parameters: number;
  trainable: number;
  seconds: number;
}

/** Builds the --layers model on the cpu backend and writes its weights and the batch for torch. */
async function prepare(method: TrainMethod, layers: number, s: Shape, dir: string): Promise<PrepareResult> {
  await tf.setBackend('cpu');
  const t0 = performance.now();
  const model = buildModel(layers, method);
  const trainable = [...trainableVariables(model, method).values()].reduce((a, v) => a + v.size, 0);
  const parameters = [...model.parameters().values()].reduce((a, v) => a + v.size, 0);
  const weightsFile = join(dir, `${method}-${layers}.safetensors`);
  writeClassifierWeights(model, weightsFile);
  model.dispose();
  const { ids, labels } = batchOf(s);
  const specFile = join(dir, `${method}-spec.json`);
  writeFileSync(
    specFile,
    JSON.stringify({
      weightsFile, method, lr: LR[method], weightDecay: trainDefaults.weightDecay, maxGradNorm: trainDefaults.maxGradNorm,
      config: { hidden: H, heads: HEADS, layers, eps: 1e-12, labels: LABELS }, lora: LORA, ids, labels,
    }),
  );
  return { weightsFile, specFile, parameters, trainable, seconds: secs(performance.now() - t0) };
}

interface StepsResult {
  backend: BenchBackend;
  device: string;
  method: TrainMethod;
  layers: number;
  /** Wall seconds of the first step (warm-up), then of each timed step. */
  firstSeconds: number;
  stepSeconds: number[];
  losses: number[];
  gradNorms: number[];
  trainable: number;
  maxRssBytes: number;
  wasmHeapBytes: number | null;
  loadAverage: number;
  skipped?: string;
}

/** One tfjs backend: the model, then 1 + steps Trainer.steps on the same batch. */
async function runTfjs(backend: TfjsBackend, method: TrainMethod, layers: number, steps: number, s: Shape): Promise<StepsResult> {
  const loadAverage = loadavg()[0];
  const choice = await selectBackend(backend);
  const base = { backend, method, layers, loadAverage, firstSeconds: 0, stepSeconds: [], losses: [], gradNorms: [], trainable: 0, maxRssBytes: 0, wasmHeapBytes: null };
  if (choice.backend !== backend) {
    const reason = choice.skipped.find((x) => x.backend === backend)?.reason ?? `selectBackend chose ${choice.backend}`;
    return { ...base, device: '', skipped: reason };
  }
  registerGradients();
  log(backend, `${choice.device}; ${method}, ${layers}-layer model, batch ${s.batch} × ${s.tokens}, 1 + ${steps} steps`);
  const t0 = performance.now();
  const model = buildModel(layers, method);
  const trainable = trainableVariables(model, method);
  const trainer = new Trainer(trainable, {
    weightDecay: trainDefaults.weightDecay,
    maxGradNorm: trainDefaults.maxGradNorm,
    loss: classificationLoss(model, { task: 'single-label', numLabels: LABELS, padId: 0 }),
  });
  log(backend, `model and trainer: ${secs(performance.now() - t0).toFixed(1)} s`);
  const { ids, labels } = batchOf(s);
  const examples: Example[] = ids.map((row, i) => ({ ids: row, tokenTypeIds: row.map(() => 0), target: labels[i] }));
  // The smallest trainable value, read after each step so a queued backend (webgpu) has finished the update.
  const [, smallest] = [...trainable].reduce((a, b) => (b[1].size < a[1].size ? b : a));
  const losses: number[] = [];
  const gradNorms: number[] = [];
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const start = performance.now();
    // Trainer.step is the call FineTune.run makes per optimizer step (sync or async: awaited either way).
    const { loss, gradNorm } = await Promise.resolve(trainer.step([examples], LR[method]));
    await smallest.data();
    times.push(secs(performance.now() - start));
    losses.push(loss);
    gradNorms.push(gradNorm);
    log(backend, `step ${i + 1}${i === 0 ? ' (warm-up)' : ''}: ${times[i].toFixed(2)} s, loss ${loss.toFixed(6)}, grad norm ${gradNorm.toFixed(6)}`);
  }
  const count = [...trainable.values()].reduce((a, v) => a + v.size, 0);
  trainer.dispose();
  model.dispose();
  const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return {
    ...base,
    device: choice.device,
    firstSeconds: times[0],
    stepSeconds: times.slice(1),
    losses,
    gradNorms,
    trainable: count,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    wasmHeapBytes: wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : null,
  };
}

// ------------------------------------------------------------------ torch

interface TorchRun {
  layers: number;
  firstSeconds: number;
  stepSeconds: number[];
  losses: number[];
  gradNorms: number[];
}
interface TorchResult {
  torch: string;
  threads: number;
  runs: TorchRun[];
  maxRssBytes: number;
}

async function runTorch(backend: 'torch-1' | 'torch', method: TrainMethod, specFile: string, layers: number[], steps: number): Promise<StepsResult[] | { error: string }> {
  const threads = backend === 'torch-1' ? 1 : physicalCores().threads;
  const loadAverage = loadavg()[0];
  const args = [join(root, 'bench', 'finetune_torch.py'), specFile, '--threads', String(threads), '--layers', layers.join(','), '--steps', String(steps)];
  log(backend, `${PYTHON} ${args.map((a) => a.replace(`${root}/`, '')).join(' ')}`);
  const { result, code, signal, stderr } = await runJsonChild<TorchResult>(PYTHON, args);
  if (!result) return { error: /No module named 'torch'/.test(stderr) ? 'python3-torch is not installed' : `exited with ${signal ?? code}: ${lastMessage(stderr) ?? 'no message'}` };
  return result.runs.map((r) => ({
    backend, method, layers: r.layers, loadAverage, device: `PyTorch ${result.torch} float32, ${result.threads} thread${result.threads === 1 ? '' : 's'}`,
    firstSeconds: r.firstSeconds, stepSeconds: r.stepSeconds, losses: r.losses, gradNorms: r.gradNorms,
    trainable: 0, maxRssBytes: result.maxRssBytes, wasmHeapBytes: null,
  }));
}

// ------------------------------------------------------------------ report

interface Row extends StepsResult {
  /** Seconds per step: the timed steps' mean, or the first step's when none were timed. */
  secondsPerStep: number;
  firstOnly: boolean;
  gflops: number;
  /** Steps/s of a 12-layer (--layers) model: measured, or scaled at the measured GFLOP/s. */
  stepsPerSecondFull: number;
}

function toRow(r: StepsResult, s: Shape, fullLayers: number): Row {
  const firstOnly = r.stepSeconds.length === 0;
  const secondsPerStep = firstOnly ? r.firstSeconds : r.stepSeconds.reduce((a, b) => a + b, 0) / r.stepSeconds.length;
  const gflops = stepFlops(r.layers, s) / 1e9 / secondsPerStep;
  return { ...r, secondsPerStep, firstOnly, gflops, stepsPerSecondFull: r.layers === fullLayers ? 1 / secondsPerStep : gflops / (stepFlops(fullLayers, s) / 1e9) };
}

const rel = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : Math.abs(a - b) / Math.abs(b));
const fmtRel = (x: number | undefined) => (x === undefined ? '—' : x.toExponential(1));
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));

interface MethodReport {
  method: TrainMethod;
  prepare?: PrepareResult;
  rows: Row[];
  failures: { backend: BenchBackend; layers?: number; reason: string }[];
  estimates: { layers: number; bytes: number }[];
}

function report(reports: MethodReport[], info: ReturnType<typeof machine>, s: Shape, fullLayers: number): void {
  console.log(`\nBERT-base-sized classifier (H 768, 12 heads, I 3072, vocabulary 32,000, seeded random weights, a new pooler + ${LABELS}-label head), batch ${s.batch} × ${s.tokens} tokens, no padding, dropout off, constant lr`);
  console.log(`${info.cpu}, ${info.memory}, Node ${info.node}, tfjs-core ${info.tfjs}, commit ${info.commit}, load average at start ${info.loadAverage}`);
  console.log(`FLOPs per ${fullLayers}-layer step: ${(stepFlops(fullLayers, s) / 1e9).toFixed(0)} GFLOP (3 × the forward's ${(forwardFlops(fullLayers, s) / 1e9).toFixed(0)}: backward counted as 2 × forward; element-wise work, embeddings, head and AdamW not counted)`);
  for (const rep of reports) {
    console.log(`\n== ${rep.method === 'full' ? 'full fine-tuning' : `LoRA r ${LORA.rank}, α ${LORA.alpha} on ${LORA.targets.join(' + ')}`} (lr ${LR[rep.method]}, AdamW, weight decay ${trainDefaults.weightDecay}, clip ${trainDefaults.maxGradNorm})` + (rep.prepare ? `: ${(rep.prepare.parameters / 1e6).toFixed(1)} M parameters, ${rep.prepare.trainable.toLocaleString('en')} trained at ${fullLayers} layers` : ''));
    const torch1 = (layers: number) => rep.rows.find((r) => r.backend === 'torch-1' && r.layers === layers);
    const torchN = (layers: number) => rep.rows.find((r) => r.backend === 'torch' && r.layers === layers);
    const bestTorchFull = Math.max(0, ...rep.rows.filter((r) => isTorch(r.backend) && r.layers === fullLayers).map((r) => 1 / r.secondsPerStep));
    console.log(
      table(
        ['backend', 'layers', 'steps timed', 'first step s', 's/step', 'steps/s', 'GFLOP/s', 'ours / torch-1, same layers', 'ours / torch, same layers', `steps/s at ${fullLayers} L`, `share of torch's best at ${fullLayers} L`, 'peak RSS', 'load avg'],
        rep.rows.map((r) => {
          const ours = !isTorch(r.backend);
          const ratio = (peer: Row | undefined) => (ours && peer ? (peer.secondsPerStep / r.secondsPerStep).toFixed(3) : '—');
          return [
            r.backend, String(r.layers), r.firstOnly ? '0 (first)' : String(r.stepSeconds.length), r.firstSeconds.toFixed(2), r.secondsPerStep.toFixed(2), fmt(1 / r.secondsPerStep), r.gflops.toFixed(1),
            ratio(torch1(r.layers)), ratio(torchN(r.layers)),
            `${r.layers === fullLayers ? '' : '~'}${fmt(r.stepsPerSecondFull)}`, ours && bestTorchFull ? `${r.layers === fullLayers ? '' : '~'}${(100 * r.stepsPerSecondFull / bestTorchFull).toFixed(1)}%` : '—',
            mib(r.maxRssBytes), r.loadAverage.toFixed(2),
          ];
        }),
        [false, true, true, true, true, true, true, true, true, true, true, true, true],
      ),
    );
    // Sanity: the same weights and batch give the same loss and gradient norm on both sides.
    const parity: string[][] = [];
    for (const r of rep.rows.filter((x) => !isTorch(x.backend))) {
      const peer = r.backend === 'webgpu' ? rep.rows.find((x) => x.backend === 'cpu' && x.layers === r.layers) : torch1(r.layers) ?? rep.rows.find((x) => x.backend === 'torch' && x.layers === r.layers);
      if (!peer) continue;
      parity.push([
        r.backend, peer.backend, String(r.layers), r.losses[0].toFixed(6), peer.losses[0].toFixed(6), fmtRel(rel(r.losses[0], peer.losses[0])),
        r.gradNorms[0].toFixed(5), peer.gradNorms[0].toFixed(5), fmtRel(rel(r.gradNorms[0], peer.gradNorms[0])),
        fmtRel(rel(r.losses[1], peer.losses[1])), fmtRel(rel(r.gradNorms[1], peer.gradNorms[1])),
      ]);
    }
    if (parity.length) {
      console.log('\nFirst step (same weights, same batch) against the peer; step 2 is after one AdamW update:');
      console.log(table(['ours', 'peer', 'layers', 'loss 1', 'peer loss 1', 'rel. diff', 'grad norm 1', 'peer grad norm 1', 'rel. diff', 'loss 2 rel. diff', 'grad norm 2 rel. diff'], parity, [false, false, true, true, true, true, true, true, true, true, true]));
    }
    const torchRows = rep.rows.filter((r) => isTorch(r.backend));
    for (const r of torchRows.filter((x) => x.layers === fullLayers)) console.log(`${r.backend}: first-step loss ${r.losses[0].toFixed(6)}, grad norm ${r.gradNorms[0].toFixed(5)} at ${fullLayers} layers (${r.device})`);
    console.log(`The app's memory estimate for one ${s.batch} × ${s.tokens} step: ${rep.estimates.map((e) => `${e.layers} L ${gib(e.bytes)}`).join(', ')} (WebAssembly heap ${gib(wasmHeapBytes)}).`);
    if (rep.rows.some((r) => r.layers !== fullLayers)) console.log(`~ = scaled from fewer layers at the measured GFLOP/s (pessimistic: the word embeddings' gradient and update do not shrink with layers).`);
    if (rep.rows.some((r) => r.firstOnly)) console.log('steps timed 0 (first) = only the first step ran, and its time is the s/step (cpu and webgpu by default; --steps-cpu N for more).');
    for (const r of rep.rows.filter((x) => !isTorch(x.backend))) console.log(`${r.backend}: ${r.device}; ${r.trainable.toLocaleString('en')} trainable values${r.wasmHeapBytes ? `, wasm heap ${mib(r.wasmHeapBytes)}` : ''}`);
    for (const f of rep.failures) console.log(`${f.backend}${f.layers ? ` (${f.layers} layer${f.layers === 1 ? '' : 's'})` : ''}: ${f.reason}`);
  }
  console.log('\nsteps/s = 1 / mean seconds of the timed steps (after the first); GFLOP/s = analytic step FLOPs / that time; peak RSS = the process\'s maxRSS (torch: of its process, which ran every layer count listed); load avg = 1-minute load average as the process started.');
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: 'torch-1,wasm,torch,cpu,webgpu' },
      methods: { type: 'string', default: 'full' },
      layers: { type: 'string', default: '12' },
      'tfjs-layers': { type: 'string' },
      steps: { type: 'string', default: '2' },
      'steps-cpu': { type: 'string', default: '0' },
      'batch-size': { type: 'string', default: '16' },
      tokens: { type: 'string', default: '128' },
      json: { type: 'boolean', default: false },
      child: { type: 'string' },
      method: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const int = (s: string, what: string, min = 1) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${what} must be an integer ≥ ${min}`);
    return n;
  };
  const s: Shape = { batch: int(values['batch-size'], 'batch-size'), tokens: int(values.tokens, 'tokens') };
  if (s.tokens > 512) throw new Error('--tokens must be at most 512 (position embeddings)');
  const layers = int(values.layers, 'layers');
  const steps = int(values.steps, 'steps', 0);
  const stepsCpu = int(values['steps-cpu'], 'steps-cpu', 0);

  if (values.child) {
    const method = (values.method ?? 'full') as TrainMethod;
    const result = values.child === 'prepare' ? await prepare(method, layers, s, values.dir!) : await runTfjs(values.child as TfjsBackend, method, layers, steps, s);
    // Exit once the line is out: a multi-threaded wasm backend's workers would keep the process alive.
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    return;
  }

  const methods = values.methods.split(',').map((m) => m.trim()) as TrainMethod[];
  for (const m of methods) if (m !== 'full' && m !== 'lora') throw new Error(`unknown method ${m} (full, lora)`);
  const known: BenchBackend[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu', 'torch-1', 'torch'];
  const backends = values.backends.split(',').map((b) => b.trim()).filter(Boolean) as BenchBackend[];
  for (const b of backends) if (!known.includes(b)) throw new Error(`unknown backend ${b} (choose from ${known.join(', ')})`);
  const explicit = values['tfjs-layers'] !== undefined;
  const tfjsLayers = explicit ? int(values['tfjs-layers']!, 'tfjs-layers') : layers;
  const info = machine();
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-bench-finetune-'));
  const reports: MethodReport[] = [];
  const child = (args: string[]) => runJsonChild<StepsResult & PrepareResult>(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args]);
  const shapeArgs = ['--batch-size', String(s.batch), '--tokens', String(s.tokens)];
  try {
    for (const method of methods) {
      const rep: MethodReport = { method, rows: [], failures: [], estimates: [] };
      reports.push(rep);
      const plan = new Map(backends.filter((b) => !isTorch(b)).map((b) => [b, layersFor(b as TfjsBackend, tfjsLayers, explicit, method, s)] as const));
      const torchLayers = [...new Set([layers, ...plan.values()])];
      rep.estimates = [...new Set([layers, ...plan.values()])].map((l) => ({ layers: l, bytes: estimatedStepBytes(l, method, s) }));
      for (const [b, l] of plan) if (l !== tfjsLayers) log(b, `runs ${l} layer${l === 1 ? '' : 's'} (${b === 'wasm' ? `a ${tfjsLayers}-layer step is estimated at ${gib(estimatedStepBytes(tfjsLayers, method, s))}, past the ${gib(wasmHeapBytes)} heap` : 'the JavaScript kernels do well under 1 GFLOP/s'})`);
      if (backends.some(isTorch)) {
        log('prepare', `writing the ${layers}-layer ${method} model's weights for torch …`);
        const p = await child(['--child', 'prepare', '--method', method, '--layers', String(layers), '--dir', dir, ...shapeArgs]);
        if (p.result) rep.prepare = p.result;
        else rep.failures.push({ backend: 'torch', reason: `weights not written: ${lastMessage(p.stderr) ?? p.code}` });
      }
      for (const backend of backends) {
        if (isTorch(backend)) {
          if (!rep.prepare) continue;
          const r = await runTorch(backend, method, rep.prepare.specFile, torchLayers, steps);
          if ('error' in r) rep.failures.push({ backend, reason: r.error });
          else rep.rows.push(...r.map((x) => toRow(x, s, layers)));
          continue;
        }
        const l = plan.get(backend)!;
        const n = backend === 'cpu' || backend === 'webgpu' ? stepsCpu : steps;
        const r = await child(['--child', backend, '--method', method, '--layers', String(l), '--steps', String(n), ...shapeArgs]);
        if (!r.result) {
          const xnn = /XNN status for (\w+) is not successful\. Got status 6/.test(r.stderr) || /Aborted\(OOM\)|out of memory/i.test(r.stderr);
          rep.failures.push({ backend, layers: l, reason: xnn ? 'out of memory: the WebAssembly heap reached its 4 GiB limit' : `exited with ${r.signal ?? r.code}: ${lastMessage(r.stderr) ?? 'no message'}` });
        } else if (r.result.skipped) rep.failures.push({ backend, reason: `skipped: ${r.result.skipped}` });
        else rep.rows.push(toRow(r.result, s, layers));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.json) console.log(JSON.stringify({ date: new Date().toISOString(), machine: info, shape: s, layers, steps, flopsPerStep: stepFlops(layers, s), reports }, null, 2));
  else report(reports, info, s, layers);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
