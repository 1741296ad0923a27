// Speed and table memory of the table-filling entity extractor (issue 20: TabERT bi-affine and
// TabERT-CNN heads, main/ml/entities) on CoNLL04, on the WebAssembly backend as the app's compute
// worker runs it (tfjs's gradients and ours registered as in bench/attribution.ts), beside the same
// head step in Debian's PyTorch (bench/entities_torch.py, 1 thread and every core).
//
// Run: npm run bench:entities [-- --models tiny,base] [--heads cnn,biaffine] [--layers N]
//      [--full-base] [--steps 2] [--extract 32] [--threads 1,all] [--no-torch] [--json]
//
// Models: `tiny` is the bundled default model (resources/models/shirabe-tiny-ja: 2 layers, hidden
// 128); `base` a BERT-base-sized encoder (hidden 768, 12 heads, intermediate 3072, vocabulary
// 32,000; seeded random weights through loadEncoder, as bench/embed.ts) with --layers N of its 12
// layers (the table is built from its last layer). Both use the default model's tokenizer (its ids
// fit base's vocabulary), so the subwords of a sentence are the same on both. CoNLL04 is English
// and that tokenizer Japanese: English words break into several subwords each, which is what the
// app does with this model, and the reason the maxLength of 128 subwords cuts long sentences.
//
// Heads: `cnn` and `biaffine` with entityTrainDefaults (2 conv layers, 512 channels, 3 × 3, ReLU,
// dropout 0.3; bi-affine 150, dropout 0.1), batch 8, maxLength 128, weight decay 0.01, clipping 1.
//  1. Training sentences/s: Trainer.step (forward with dropout, loss, gradients, clipping, AdamW)
//     over Extractor.trainable(), with the loss EntityTraining builds: `frozen` on word vectors
//     computed once without dropout (the head alone trains; the cache is not timed), `full` through
//     the encoder (tiny by default; base with --full-base). Batches: consecutive groups of 8 CoNLL04
//     train sentences in the file's order; the first is the untimed warm-up, then --steps timed.
//  2. Extraction sentences/s: Extractor.predict (encoder, head, softmax, read-back and BILOU
//     decoding) over the first --extract dev sentences, batch 16, after one untimed batch.
//  3. Table memory at the longest CoNLL04 sentence (by words, across train/dev/test), encoded with
//     room for all its words (maxLength 512), and at its first n/2 and n/4 words: tf.profile's
//     peakBytes above the bytes live before (weights, word vectors) of one training step of the
//     frozen-encoder head (loss + gradients, with dropout) and of one forward (logits), beside the
//     analytic table sizes: n²·2H·4 bytes of the CNN's [e_i; e_j] input, n²·C·4 per hidden layer,
//     n²·|R|·4 of the relation logits (the bi-affine head's largest table: its bilinear product is
//     [n·|R|, n] too).
// Every measurement runs in its own child process (its own 4 GiB WebAssembly heap): a batch that
// runs the heap out aborts only that process, and is run again with half the batch (8 → 4 → 2 → 1),
// the failure reported beside the number.
//  4. PyTorch peer: the frozen-encoder head step (same batches' B, n and words per sentence, random
//     word vectors, same loss, dropout, clipping and AdamW) in /usr/bin/python3's torch, 1 thread
//     and every core, each in its own process.
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { entityTrainDefaults, type EntityTrainConfig } from '../common/contract';
import type { AnnotatedSentence, EntitySchema } from '../common/entities';
import { deriveSeed, mulberry32 } from '../common/random';
import { parseConll04 } from '../main/corpus/annotations/conll04';
import { Morphology } from '../main/corpus/morphology';
import { selectBackend } from '../main/jobs/compute/backends';
import { goldTable, type TableLabels } from '../main/ml/entities/labels';
import { Extractor } from '../main/ml/entities/train';
import type { EncodedWords, WordBatch } from '../main/ml/entities/words';
import { encodeWords } from '../main/ml/entities/words';
import type { Dropout, EncoderModel } from '../main/ml/models/encoder';
import { loadEncoder } from '../main/ml/models/index';
import { profile, readF32 } from '../main/ml/read';
import { installFastGradients } from '../main/ml/train/gradients';
import { Trainer } from '../main/ml/train/trainer';
import { readConfig, readEncoder, readTokenizer } from '../main/modelFolders/modelFolder';
import { segmenterFor } from '../main/modelFolders/segmenter';
import { bertBaseConfig, randomBert } from './bertBase';
import { lastMessage, machine, root, runJsonChild, table } from './common';
import { fileURLToPath } from 'node:url';
import { entityTagLabels } from '../common/bilou';
import { relationCellLabels } from '../main/ml/entities/labels';

type ModelName = 'tiny' | 'base';
type HeadName = 'cnn' | 'biaffine';
const SEED = 20261208;
const PYTHON = '/usr/bin/python3';
const TINY_DIR = join(root, 'resources', 'models', 'shirabe-tiny-ja');
const DATA = join(root, '..', 'shared', 'data', 'conll04');
const LR = 1e-3;

const log = (msg: string) => process.stderr.write(`[entities] ${msg} (load ${load1()})\n`);
const load1 = () => loadavg()[0].toFixed(2);

/** tfjs-core's gradient configs as the compute worker loads them (bench/attribution.ts's gradientsBundle). */
async function registerGradients(dir: string): Promise<void> {
  let bundle = join(root, 'dist', 'tfjsGradients.cjs');
  if (!existsSync(bundle)) {
    const { build } = await import('esbuild');
    bundle = join(dir, 'tfjsGradients.cjs');
    await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root, entryPoints: ['node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js'], outfile: bundle });
  }
  createRequire(bundle)(bundle);
  installFastGradients();
}

function buildModel(name: ModelName, layers: number): EncoderModel {
  if (name === 'tiny') return readEncoder(TINY_DIR, readConfig(TINY_DIR), ['classifier', 'mlm', 'nsp']);
  const raw = bertBaseConfig(layers);
  return loadEncoder(raw, randomBert(raw, SEED)).model;
}

function configOf(head: HeadName, encoder: 'frozen' | 'full', maxLength = entityTrainDefaults.maxLength): EntityTrainConfig {
  return {
    ...entityTrainDefaults,
    corpusId: 0,
    modelPath: TINY_DIR,
    head,
    encoder,
    maxLength,
    learningRates: [LR],
    name: 'bench',
  } as unknown as EntityTrainConfig;
}

/** Dropout streams as the sweep makes them (one per micro-batch). */
function dropoutAt(step: number): (i: number) => Dropout {
  return (i) => {
    const next = mulberry32(deriveSeed(SEED, 4, 0, step, i));
    return { seed: () => Math.floor(next() * 2 ** 31) };
  };
}

interface Item {
  index: number;
  encoded: EncodedWords;
  labels: TableLabels;
}

/** Word vectors [B, n, H] of a batch from per-sentence caches (zero past each sentence's words), as EntityTraining's cachedBatch. */
function cachedBatch(cache: readonly Float32Array[], batch: WordBatch, H: number): tf.Tensor3D {
  const n = batch.maxWords;
  const data = new Float32Array(cache.length * n * H);
  cache.forEach((c, b) => data.set(c, b * n * H));
  return tf.tensor3d(data, [cache.length, n, H]);
}

async function wordCache(ex: Extractor, items: readonly Item[]): Promise<Float32Array[]> {
  const H = ex.model.config.hiddenSize;
  const batch = ex.batch(items.map((it) => it.encoded));
  const t = ex.filler.words(batch);
  const data = await readF32(t);
  t.dispose();
  const n = batch.maxWords;
  return items.map((_, b) => data.slice(b * n * H, (b * n + batch.numWords[b]) * H));
}

interface TrainResult {
  mode: 'frozen' | 'full';
  batchSize: number;
  /** Larger batches that ran out of the WebAssembly heap first. */
  failures?: string[];
  /** Per timed batch: words of each sentence (B = 8) and the batch's n. */
  batches: { numWords: number[]; n: number; subwords: number }[];
  warmupSeconds: number;
  stepSeconds: number[];
  sentencesPerSecond: number;
  loss: number[];
  loadAverage: string;
}

async function trainSpeed(model: EncoderModel, tokenizer: Extractor['tokenizer'], schema: EntitySchema, train: AnnotatedSentence[], head: HeadName, mode: 'frozen' | 'full', steps: number, size: number): Promise<TrainResult> {
  const ex = Extractor.create(model, tokenizer, schema, configOf(head, mode));
  const H = model.config.hiddenSize;
  const groups: Item[][] = [];
  for (let s = 0; s <= steps; s++) {
    groups.push(train.slice(s * size, (s + 1) * size).map((sent, i) => ({ index: s * size + i, encoded: ex.encode(sent.words), labels: goldTable({ ...sent }, schema) })));
  }
  const caches = mode === 'frozen' ? await Promise.all(groups.map((g) => wordCache(ex, g))) : null;
  const cacheOf = new Map(groups.map((g, i) => [g, caches?.[i]]));
  const trainer = new Trainer<readonly Item[]>(ex.trainable(), {
    weightDecay: entityTrainDefaults.weightDecay,
    maxGradNorm: entityTrainDefaults.maxGradNorm,
    loss: (items, dropout) => {
      const batch = ex.batch(items.map((it) => it.encoded));
      const cache = cacheOf.get(items as Item[]);
      const words = cache ? cachedBatch(cache, batch, H) : undefined;
      return ex.filler.loss(batch, items.map((it) => it.labels), { dropout, words });
    },
  });
  const load = [load1()];
  try {
    let t0 = performance.now();
    const losses: number[] = [];
    const first = await trainer.step([groups[0]], LR, dropoutAt(0));
    losses.push(first.loss);
    const warmupSeconds = (performance.now() - t0) / 1000;
    const stepSeconds: number[] = [];
    for (let s = 1; s <= steps; s++) {
      t0 = performance.now();
      const r = await trainer.step([groups[s]], LR, dropoutAt(s));
      stepSeconds.push((performance.now() - t0) / 1000);
      losses.push(r.loss);
    }
    load.push(load1());
    const batches = groups.slice(1).map((g) => {
      const b = ex.batch(g.map((it) => it.encoded));
      return { numWords: b.numWords, n: b.maxWords, subwords: b.encoder.length };
    });
    const mean = stepSeconds.reduce((a, b) => a + b, 0) / stepSeconds.length;
    return { mode, batchSize: size, batches, warmupSeconds, stepSeconds, sentencesPerSecond: size / mean, loss: losses, loadAverage: load.join(' → ') };
  } finally {
    trainer.dispose();
    ex.dispose();
  }
}

interface ExtractResult {
  failures?: string[];
  sentences: number;
  batchSize: number;
  seconds: number;
  sentencesPerSecond: number;
  meanWords: number;
  loadAverage: string;
}

async function extractSpeed(model: EncoderModel, tokenizer: Extractor['tokenizer'], schema: EntitySchema, dev: AnnotatedSentence[], head: HeadName, count: number, size: number): Promise<ExtractResult> {
  const ex = Extractor.create(model, tokenizer, schema, configOf(head, 'full'));
  try {
    const encoded = dev.slice(0, count).map((s) => ex.encode(s.words));
    await ex.predict(encoded.slice(0, size), { batchSize: size }); // warm-up
    const load = [load1()];
    const t0 = performance.now();
    await ex.predict(encoded, { batchSize: size });
    const seconds = (performance.now() - t0) / 1000;
    load.push(load1());
    return { sentences: encoded.length, batchSize: size, seconds, sentencesPerSecond: encoded.length / seconds, meanWords: encoded.reduce((a, e) => a + e.wordsKept, 0) / encoded.length, loadAverage: load.join(' → ') };
  } finally {
    ex.dispose();
  }
}

interface MemoryRow {
  words: number;
  subwords: number;
  /** Analytic table sizes in bytes. */
  inputTable: number;
  hiddenTables: number;
  logits: number;
  stepPeakBytes: number;
  forwardPeakBytes: number;
  stepSeconds: number;
  /** Bytes of live tensors before the step and before the forward (what the peaks are measured above). */
  liveBytesBefore: number[];
  loadAverage: string;
}

async function tableMemory(model: EncoderModel, tokenizer: Extractor['tokenizer'], schema: EntitySchema, sentence: AnnotatedSentence, head: HeadName, maxLength: number, ks: number[]): Promise<MemoryRow[]> {
  const ex = Extractor.create(model, tokenizer, schema, configOf(head, 'frozen', maxLength));
  const H = model.config.hiddenSize;
  const R = ex.relationLabels.length;
  const C = entityTrainDefaults.cnn.channels;
  const labels = goldTable({ ...sentence }, schema);
  const rows: MemoryRow[] = [];
  try {
    for (const k of ks) {
      const encoded = ex.encode(sentence.words.slice(0, k));
      const item: Item = { index: 0, encoded, labels };
      const batch = ex.batch([encoded]);
      const [cache] = await wordCache(ex, [item]);
      const words = cachedBatch([cache], batch, H);
      const n = batch.maxWords;
      const lossFn = (dropout?: Dropout) => ex.filler.loss(batch, [labels], { dropout, words });
      const step = new Trainer<readonly Item[]>(ex.trainable(), { weightDecay: 0.01, maxGradNorm: 1, loss: (_items, dropout) => lossFn(dropout) });
      try {
        const before = tf.memory().numBytes;
        const load = [load1()];
        const t0 = performance.now();
        let grads: Map<string, tf.Tensor> | null = null;
        // tf.profile returns the engine's one activeProfile object, which the next profile overwrites: copy the number now.
        const stepPeak = (await profile(async () => {
          grads = (await step.gradients([[item]], dropoutAt(0))).grads;
        })).peakBytes;
        const stepSeconds = (performance.now() - t0) / 1000;
        tf.dispose([...(grads as Map<string, tf.Tensor> | null)?.values() ?? []]);
        const before2 = tf.memory().numBytes;
        let logits: tf.Tensor[] = [];
        const fwd = await profile(() => {
          const l = ex.filler.logits(batch, { words });
          logits = [l.entity, l.relation];
        });
        tf.dispose(logits);
        load.push(load1());
        const cells = n * n * 4;
        rows.push({
          words: n,
          subwords: encoded.ids.length,
          inputTable: head === 'cnn' ? cells * 2 * H : 0,
          hiddenTables: head === 'cnn' ? cells * C * (entityTrainDefaults.cnn.layers - 1) : 0,
          logits: cells * R,
          stepPeakBytes: stepPeak - before,
          forwardPeakBytes: fwd.peakBytes - before2,
          stepSeconds,
          liveBytesBefore: [before, before2],
          loadAverage: load.join(' → '),
        });
        log(`${head} memory at n = ${n}: step peak ${mib(stepPeak - before)}, forward ${mib(fwd.peakBytes - before2)}`);
      } finally {
        step.dispose();
        words.dispose();
      }
    }
  } finally {
    ex.dispose();
  }
  return rows;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

interface TorchResult {
  threads: number;
  loadAverage: string;
  cases: { model: ModelName; head: HeadName; warmupSeconds: number; stepSeconds: number[]; sentencesPerSecond: number; loss: number[] }[];
}

interface HeadResult {
  model: ModelName;
  head: HeadName;
  train: TrainResult[];
  extract?: ExtractResult;
  memory?: MemoryRow[];
  /** What ran out of memory or failed (each in its own process). */
  failures: string[];
}

interface ChildSpec {
  model: ModelName;
  head: HeadName;
  layers: number;
  dir: string;
  phase: 'train' | 'extract' | 'memory';
  mode?: 'frozen' | 'full';
  steps: number;
  batch: number;
  count?: number;
  words?: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'tiny,base' },
      heads: { type: 'string', default: 'cnn,biaffine' },
      layers: { type: 'string', default: '12' },
      'full-base': { type: 'boolean', default: false },
      modes: { type: 'string', default: 'frozen,full' },
      'batch-size': { type: 'string', default: String(entityTrainDefaults.batchSize) },
      child: { type: 'string' },
      steps: { type: 'string', default: '2' },
      extract: { type: 'string', default: '32' },
      threads: { type: 'string', default: '1,all' },
      'no-torch': { type: 'boolean', default: false },
      'no-memory': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const files = ['train', 'dev', 'test'].map((s) => join(DATA, `conll04_${s}.json`));
  if (!files.every(existsSync)) {
    console.log(`bench:entities skipped: CoNLL04 is not in ${DATA} (conll04_{train,dev,test}.json)`);
    return;
  }
  const types = join(DATA, 'conll04_types.json');
  const read = (p: string) => ({ name: p.split('/').pop()!, text: readFileSync(p, 'utf8') });
  const split = (p: string) => parseConll04([...(existsSync(types) ? [read(types)] : []), read(p)]);
  const [train, dev, test] = files.map(split);
  const schema = train.schema;
  const all = [...train.sentences, ...dev.sentences, ...test.sentences];
  const longest = all.reduce((a, s) => (s.words.length > a.words.length ? s : a));
  const { tokenizer } = readTokenizer(TINY_DIR, await segmenterFor(TINY_DIR, () => Morphology.load()));

  if (values.child) {
    // One measurement in this process (its own WebAssembly heap: one that runs out aborts only it).
    const spec = JSON.parse(values.child) as ChildSpec;
    const choice = await selectBackend('wasm');
    if (choice.backend !== 'wasm') throw new Error(`the wasm backend is not available: ${choice.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
    await registerGradients(spec.dir);
    const model = buildModel(spec.model, spec.layers);
    let out: unknown;
    if (spec.phase === 'train') out = await trainSpeed(model, tokenizer, schema, train.sentences, spec.head, spec.mode!, spec.steps, spec.batch);
    else if (spec.phase === 'extract') out = await extractSpeed(model, tokenizer, schema, dev.sentences, spec.head, spec.count!, spec.batch);
    else out = (await tableMemory(model, tokenizer, schema, longest, spec.head, 512, [spec.words!]))[0];
    console.log(JSON.stringify({ ...(out as object), device: choice.device }));
    return;
  }

  const models = values.models!.split(',') as ModelName[];
  const heads = values.heads!.split(',') as HeadName[];
  const baseLayers = Number(values.layers);
  const steps = Number(values.steps);
  const extractCount = Number(values.extract);
  const batchSize = Number(values['batch-size']);
  // 'none' (or any other word) runs no training: --modes none --extract 0 measures only the table memory.
  const modes = values.modes!.split(',').filter((x): x is 'frozen' | 'full' => x === 'frozen' || x === 'full');
  const started = machine();
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-bench-entities-'));
  await registerGradients(dir); // builds the bundle once for the children
  const device = (await selectBackend('wasm')).device;
  const longestSplit = train.sentences.includes(longest) ? 'train' : dev.sentences.includes(longest) ? 'dev' : 'test';
  const longestEncoded = encodeWords(tokenizer, longest.words, 512);
  const longestAt128 = encodeWords(tokenizer, longest.words, entityTrainDefaults.maxLength);
  log(`longest sentence: ${longest.words.length} words (${longestSplit}, ${longest.source}), ${longestEncoded.ids.length} subwords with [CLS]/[SEP]; maxLength ${entityTrainDefaults.maxLength} keeps ${longestAt128.wordsKept} words`);
  const E = entityTagLabels(schema.entityTypes).length;
  const R = relationCellLabels(schema.relationTypes).length;
  const hiddenOf = (m: ModelName) => (m === 'tiny' ? 128 : 768);

  const inChild = async <T>(spec: ChildSpec): Promise<{ result?: T; failure?: string }> => {
    const r = await runJsonChild<T>(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)]);
    if (r.result) return { result: r.result };
    const heap = /wasm heap at the failure: (\d+) MiB; tensors (\d+) MiB/.exec(r.stderr);
    const oom = heap !== null && Number(heap[1]) >= 4000;
    return { failure: `${oom ? 'out of the 4 GiB WebAssembly heap' : `exit ${r.code ?? r.signal}: ${lastMessage(r.stderr) ?? ''}`}${heap ? ` (${heap[2]} MiB of tensors at the abort)` : ''}, batch ${spec.batch}, load ${load1()}` };
  };
  /** Runs at batch b, halving it while the heap runs out (down to 1). */
  const halving = async <T extends { failures?: string[] }>(spec: ChildSpec): Promise<{ result?: T; failures: string[] }> => {
    const failures: string[] = [];
    for (let b = spec.batch; b >= 1; b = Math.floor(b / 2)) {
      const r = await inChild<T>({ ...spec, batch: b });
      if (r.result) return { result: { ...r.result, failures }, failures };
      failures.push(r.failure!);
      log(`${spec.model} ${spec.head} ${spec.phase} ${spec.mode ?? ''}: ${r.failure}`);
      if (!r.failure!.startsWith('out of')) break;
    }
    return { failures };
  };

  const results: HeadResult[] = [];
  const torchCases: { model: ModelName; head: HeadName; hidden: number; E: number; R: number; batches: number[][] }[] = [];
  for (const m of models) {
    for (const h of heads) {
      const r: HeadResult = { model: m, head: h, train: [], failures: [] };
      results.push(r);
      const base: ChildSpec = { model: m, head: h, layers: baseLayers, dir, phase: 'train', steps, batch: batchSize };
      for (const mode of modes.filter((x) => x === 'frozen' || m === 'tiny' || values['full-base'])) {
        log(`${m} ${h} ${mode}: training steps`);
        const t = await halving<TrainResult>({ ...base, mode });
        r.failures.push(...t.failures.map((f) => `${mode} training: ${f}`));
        if (!t.result) continue;
        r.train.push(t.result);
        log(`${m} ${h} ${mode}: ${t.result.sentencesPerSecond.toFixed(2)} sentences/s at batch ${t.result.batchSize} (steps ${t.result.stepSeconds.map((x) => x.toFixed(2)).join(', ')} s; n ${t.result.batches.map((x) => x.n).join(', ')})`);
        if (mode === 'frozen') torchCases.push({ model: m, head: h, hidden: hiddenOf(m), E, R, batches: t.result.batches.map((x) => x.numWords) });
      }
      if (extractCount > 0) {
        log(`${m} ${h}: extraction`);
        const x = await halving<ExtractResult>({ ...base, phase: 'extract', count: extractCount, batch: 16 });
        r.failures.push(...x.failures.map((f) => `extraction: ${f}`));
        r.extract = x.result;
        if (x.result) log(`${m} ${h}: extraction ${x.result.sentencesPerSecond.toFixed(2)} sentences/s at batch ${x.result.batchSize}`);
      }
      if (!values['no-memory']) {
        r.memory = [];
        const n = longestEncoded.wordsKept;
        for (const k of [Math.ceil(n / 4), Math.ceil(n / 2), n]) {
          const x = await inChild<MemoryRow>({ ...base, phase: 'memory', words: k, batch: 1 });
          if (x.result) {
            r.memory.push(x.result);
            log(`${m} ${h} memory at n = ${k}: step peak ${mib(x.result.stepPeakBytes)}, forward ${mib(x.result.forwardPeakBytes)}`);
          } else r.failures.push(`table memory at n = ${k}: ${x.failure}`);
        }
      }
    }
  }

  const torch: TorchResult[] = [];
  const torchFailures: string[] = [];
  if (!values['no-torch']) {
    const spec = join(dir, 'torch.json');
    writeFileSync(spec, JSON.stringify({ seed: SEED, lr: LR, weightDecay: entityTrainDefaults.weightDecay, maxGradNorm: entityTrainDefaults.maxGradNorm, cnn: entityTrainDefaults.cnn, biaffine: entityTrainDefaults.biaffine, cases: torchCases }));
    for (const t of values.threads!.split(',')) {
      const threads = t === 'all' ? cpus().length : Number(t);
      log(`torch, ${threads} thread(s)`);
      const child = await runJsonChild<TorchResult>(PYTHON, [join(root, 'bench', 'entities_torch.py'), spec, String(threads)]);
      if (child.result) torch.push(child.result);
      else torchFailures.push(`torch ${threads}T: exit ${child.code ?? child.signal}: ${child.stderr.trim().split('\n').pop()}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const report = { machine: started, loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)).join(' '), device, baseLayers, steps, extract: extractCount, longest: { words: longest.words.length, split: longestSplit, source: longest.source, subwords: longestEncoded.ids.length, keptAt128: longestAt128.wordsKept }, results, torch, torchFailures };
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`\nTable-filling extractor on CoNLL04, ${device}; machine ${started.cpu}, ${started.memory}, node ${started.node}, tfjs ${started.tfjs}, commit ${started.commit}`);
  console.log(`tiny = shirabe-tiny-ja (2 layers, hidden 128); base = BERT-base-sized, seeded random weights, ${baseLayers} of 12 layers${baseLayers < 12 ? ' (capped by --layers: the full-encoder and extraction numbers are for these layers only; frozen head steps do not depend on them)' : ''}`);
  console.log(`training: batches of ${batchSize} train sentences (halved while the 4 GiB WebAssembly heap runs out; the batch column says what ran), ${steps} timed steps after one warm-up; extraction: ${extractCount} dev sentences, batch 16 (halved likewise), after a warm-up batch. load average = 1-minute, before → after.`);
  const tsp = (m: ModelName, h: HeadName, threads: number) => torch.find((t) => t.threads === threads)?.cases.find((c) => c.model === m && c.head === h)?.sentencesPerSecond;
  const threadCounts = torch.map((t) => t.threads);
  const rows = results.flatMap((r) =>
    r.train.map((t) => {
      const ours = t.sentencesPerSecond;
      const peers = threadCounts.map((n) => (t.mode === 'frozen' ? tsp(r.model, r.head, n) : undefined));
      return [
        r.model,
        r.head,
        t.mode,
        String(t.batchSize),
        (t.batches.reduce((a, b) => a + b.n, 0) / t.batches.length).toFixed(1),
        ours.toFixed(2),
        ...peers.map((p) => (p === undefined ? '—' : p.toFixed(2))),
        ...peers.map((p) => (p === undefined ? '—' : (ours / p).toFixed(2))),
        t.mode === 'frozen' ? (r.extract ? `${r.extract.sentencesPerSecond.toFixed(2)} (batch ${r.extract.batchSize})` : '—') : '',
        t.loadAverage,
      ];
    }),
  );
  console.log(`\n${table(['model', 'head', 'encoder', 'batch', 'mean n', 'train sent/s', ...threadCounts.map((n) => `torch ${n}T sent/s`), ...threadCounts.map((n) => `ours/torch ${n}T`), 'extract sent/s', 'load average'], rows, [false, false, false, true, true, true, ...threadCounts.map(() => true), ...threadCounts.map(() => true), true, false])}`);
  for (const r of results) for (const f of r.failures) console.log(`${r.model} ${r.head} ${f}`);
  for (const t of torch) console.log(`torch ${t.threads}T load average ${t.loadAverage}`);
  for (const f of torchFailures) console.log(f);
  console.log(`\nlongest CoNLL04 sentence: ${longest.words.length} words (${longestSplit} ${longest.source}), ${longestEncoded.ids.length} subwords with [CLS]/[SEP] (maxLength 512: all words kept; the default maxLength ${entityTrainDefaults.maxLength} keeps ${longestAt128.wordsKept} words)`);
  const mrows = results.flatMap((r) =>
    (r.memory ?? []).map((m) => [r.model, r.head, String(m.words), String(m.subwords), m.inputTable ? mib(m.inputTable) : '—', m.hiddenTables ? mib(m.hiddenTables) : '—', mib(m.logits), mib(m.stepPeakBytes), mib(m.forwardPeakBytes), m.stepSeconds.toFixed(2), m.loadAverage]),
  );
  console.log(`\n${table(['model', 'head', 'n', 'subwords', 'n²·2H·4', 'n²·C·4 (hidden)', 'n²·|R|·4', 'step peak', 'forward peak', 'step s', 'load average'], mrows, [false, false, true, true, true, true, true, true, true, true, false])}`);
  console.log('peaks: tf.profile peakBytes above the bytes live before (weights, the word vectors), batch of 1, frozen encoder (head only)');
  console.log(`load average at the end: ${report.loadAverageAtEnd}`);
}

main().catch((err) => {
  console.error(err);
  const wasm = tf.getBackend() === 'wasm' ? (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm : undefined;
  if (wasm?.HEAPU8) console.error(`wasm heap at the failure: ${(wasm.HEAPU8.buffer.byteLength / 2 ** 20).toFixed(0)} MiB; tensors ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB`);
  process.exit(1);
});
