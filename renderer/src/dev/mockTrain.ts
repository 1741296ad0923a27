// TEST-ONLY: the train.* methods of the in-memory mock API (mockApi.ts), for developing and
// testing the Training pages without the backend. Nothing is trained: a run is a timer that
// emits plausible train.progress events for a few seconds, then scores fake predictions with
// the same definitions the backend uses (scikit-learn's, zero_division counted as 0).
import {
  trainConfigSchema,
  type ClassScores,
  type CorpusSummary,
  type EpochPoint,
  type Events,
  type Input,
  type JobInfo,
  type JobOf,
  type ModelInfo,
  type Output,
  type PredictionRow,
  type StepPoint,
  type TestMetrics,
  type TrainConfig,
  type TrainEstimate,
  type TrainRunDetail,
  type TrainRunInfo,
  type TrainTask,
} from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { mulberry32 } from '../../../common/random';

export interface MockTrainDeps {
  corpora: readonly CorpusSummary[];
  model(path: string): ModelInfo;
  /** How the mock corpus labels and splits its documents (index i = document id i + 1). */
  document(i: number): { title: string; text: string; label: string; split: 'train' | 'dev' | 'test' };
  jobs: Map<string, JobInfo>;
  newJobId(): string;
  /** jobs.cancel, for runs.cancel. */
  cancel(jobId: string): void;
  emit<E extends 'job.update' | 'train.progress'>(event: E, payload: Events[E]): void;
  /** Wall-clock milliseconds one mock run takes (all learning rates). */
  runMillis: number;
}

/** The mock serves fine-tuning and, for its runs (the only kind it has), the shared runs.* methods. */
type TrainMethodName = 'train.start' | 'train.estimate' | 'train.predictions' | 'train.export' | 'runs.list' | 'runs.get' | 'runs.resume' | 'runs.rerun' | 'runs.cancel' | 'runs.delete';
export type MockTrainHandlers = { [M in TrainMethodName]: (input: Input<M>) => Output<M> };

/** Seeded, so a re-run gives the same numbers. */
const random = mulberry32;

/** A SHA-256-looking hex string derived from text (the mock's data and model hashes). */
export function fakeHash(text: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

const safeDiv = (a: number, b: number) => (b > 0 ? a / b : 0);
const f1Of = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/**
 * Test metrics from gold and predicted label sets (label indexes), as scikit-learn defines
 * them: precision of a label never predicted and recall of a label never in gold count as 0.
 */
export function mockMetrics(task: TrainTask, labels: readonly string[], gold: readonly number[][], predicted: readonly number[][], trainCounts: readonly number[]): TestMetrics {
  const L = labels.length;
  const tp = new Array<number>(L).fill(0);
  const fp = new Array<number>(L).fill(0);
  const fn = new Array<number>(L).fill(0);
  const support = new Array<number>(L).fill(0);
  let exact = 0;
  let hamming = 0;
  const confusion = task === 'single-label' ? labels.map(() => new Array<number>(L).fill(0)) : null;
  gold.forEach((g, i) => {
    const p = predicted[i];
    for (let c = 0; c < L; c++) {
      const inG = g.includes(c);
      const inP = p.includes(c);
      if (inG) support[c]++;
      if (inG && inP) tp[c]++;
      else if (inP) fp[c]++;
      else if (inG) fn[c]++;
      if (inG !== inP) hamming++;
    }
    if (g.length === p.length && g.every((c) => p.includes(c))) exact++;
    if (confusion && g.length === 1 && p.length === 1) confusion[g[0]][p[0]]++;
  });
  const perClass: ClassScores[] = labels.map((label, c) => {
    const precision = safeDiv(tp[c], tp[c] + fp[c]);
    const recall = safeDiv(tp[c], support[c]);
    return { label, precision, recall, f1: f1Of(precision, recall), support: support[c] };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => safeDiv(perClass.reduce((s, c) => s + c[k], 0), L);
  const total = support.reduce((a, b) => a + b, 0);
  const weighted = (k: 'precision' | 'recall' | 'f1') => safeDiv(perClass.reduce((s, c) => s + c[k] * c.support, 0), total);
  const sumTp = tp.reduce((a, b) => a + b, 0);
  const microP = safeDiv(sumTp, sumTp + fp.reduce((a, b) => a + b, 0));
  const microR = safeDiv(sumTp, sumTp + fn.reduce((a, b) => a + b, 0));
  let majorityBaseline: TestMetrics['majorityBaseline'] = null;
  if (task === 'single-label' && gold.length > 0) {
    const m = trainCounts.indexOf(Math.max(...trainCounts));
    const p = support[m] / gold.length;
    majorityBaseline = { accuracy: p, macroF1: f1Of(p, support[m] > 0 ? 1 : 0) / L };
  }
  return {
    task,
    documents: gold.length,
    accuracy: safeDiv(exact, gold.length),
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    micro: { precision: microP, recall: microR, f1: f1Of(microP, microR) },
    weighted: { precision: weighted('precision'), recall: weighted('recall'), f1: weighted('f1') },
    perClass,
    confusion,
    hammingLoss: task === 'multi-label' ? safeDiv(hamming, gold.length * L) : null,
    zeroDivision: {
      noPredictions: labels.filter((_, c) => tp[c] + fp[c] === 0),
      noSupport: labels.filter((_, c) => support[c] === 0),
    },
    majorityBaseline,
  };
}

interface MockRun {
  detail: TrainRunDetail;
  predictions: { test: PredictionRow[]; validation: PredictionRow[] };
  /** Steps per epoch of each learning rate. */
  stepsPerEpoch: number;
}

export function createMockTraining(deps: MockTrainDeps): MockTrainHandlers & { seed(): void } {
  const runs = new Map<number, MockRun>();
  let nextRunId = 1;

  const corpusOf = (id: number): CorpusSummary => {
    const c = deps.corpora.find((x) => x.id === id);
    if (!c) throw new ShirabeError('corpusNotFound', { id });
    return c;
  };

  const parse = (input: unknown): TrainConfig => {
    const result = trainConfigSchema.safeParse(input);
    if (!result.success) throw new ShirabeError('configInvalid', { detail: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return result.data;
  };

  const labelsOf = (c: CorpusSummary, config: TrainConfig): string[] => {
    const raw = c.labels.map((l) => l.label);
    if (config.task === 'single-label') return raw;
    return [...new Set(raw.flatMap((l) => l.split(config.labelSeparator).map((s) => s.trim()).filter(Boolean)))].sort();
  };

  const estimate = (config: TrainConfig): TrainEstimate => {
    const c = corpusOf(config.corpusId);
    if (c.labels.length === 0) throw new ShirabeError('trainNoLabels', { name: c.name });
    const labels = labelsOf(c, config);
    if (labels.length < 2) throw new ShirabeError('trainTooFewClasses', { count: labels.length, labels: labels.join(', ') });
    const model = deps.model(config.modelPath);
    const holdout = config.validation.source === 'holdout' ? Math.round(c.splits.train * config.validation.fraction) : 0;
    const documents = {
      train: c.splits.train - holdout,
      validation: config.validation.source === 'holdout' ? holdout : c.splits.dev,
      test: c.splits.test,
    };
    if (documents.validation === 0) throw config.validation.source === 'dev' ? new ShirabeError('trainSplitNoLabels', { split: 'dev' }) : new ShirabeError('trainHoldoutEmpty');
    if (documents.train === 0) throw new ShirabeError('trainSplitNoLabels', { split: 'train' });
    const head = model.hiddenSize * labels.length + labels.length + model.hiddenSize * model.hiddenSize + model.hiddenSize;
    const perLayer = { query: 1, key: 1, value: 1, attentionOutput: 1, intermediate: 1, output: 1 } as const;
    const ff = 4 * model.hiddenSize;
    const loraParams = config.lora.targets.reduce(
      (sum, t) => sum + perLayer[t] * config.lora.rank * (t === 'intermediate' ? model.hiddenSize + ff : t === 'output' ? ff + model.hiddenSize : 2 * model.hiddenSize),
      0,
    ) * model.layers;
    const trainable = config.method === 'full' ? model.parameters + head : loraParams + head;
    const stepsPerEpoch = Math.max(1, Math.ceil(Math.ceil(documents.train / config.batchSize) / config.gradientAccumulation));
    const activations = config.batchSize * config.maxLength * model.hiddenSize * model.layers * 4 * 12;
    // Weights, and for what is trained: gradients and two AdamW moments, all float32.
    const memoryBytes = model.parameters * 4 + trainable * 4 * 3 + activations;
    const secondsPerStep = (config.method === 'full' ? 0.9 : 0.6) * (config.batchSize / 6) * (config.maxLength / 128);
    return {
      parameters: model.parameters + head,
      trainable,
      documents,
      labels,
      stepsPerEpoch,
      totalSteps: stepsPerEpoch * config.epochs * config.learningRates.length,
      memoryBytes,
      secondsPerEpoch: stepsPerEpoch * secondsPerStep,
    };
  };

  // ---- the fake learning curves: each rate converges at its own speed; the largest overfits.
  const quality = (k: number, n: number) => (n <= 1 ? 0.8 : 0.55 + 0.4 * Math.sin((Math.PI * (k + 0.5)) / n));
  const scheduled = (config: TrainConfig, lr: number, step: number, total: number) => {
    const warm = Math.max(1, Math.round(total * config.warmupRatio));
    return step <= warm ? (lr * step) / warm : (lr * Math.max(0, total - step)) / Math.max(1, total - warm);
  };
  const stepPoint = (config: TrainConfig, labels: number, k: number, step: number, perEpoch: number, rand: () => number): StepPoint => {
    const total = perEpoch * config.epochs;
    const q = quality(k, config.learningRates.length);
    const l0 = Math.log(labels);
    const loss = Math.max(0.01, l0 * Math.exp((-3 * q * step) / total) + 0.08 + (rand() - 0.5) * 0.25 * l0 * Math.exp(-step / total));
    return { learningRateIndex: k, step, epoch: Math.min(config.epochs, Math.floor((step - 1) / perEpoch) + 1), loss, learningRate: scheduled(config, config.learningRates[k], step, total) };
  };
  const epochPoint = (config: TrainConfig, labels: number, k: number, epoch: number, rand: () => number): EpochPoint => {
    const q = quality(k, config.learningRates.length);
    const l0 = Math.log(labels);
    const overfit = k === config.learningRates.length - 1 ? 0.06 : 0.015;
    const validationLoss = l0 * (1 - q) * 0.6 + (l0 * q) / (epoch + 0.5) + overfit * (epoch - 1) ** 2 + rand() * 0.02;
    const validationAccuracy = Math.min(0.98, Math.max(1 / labels, 1 - validationLoss / (l0 * 1.4)));
    return {
      learningRateIndex: k,
      epoch,
      trainLoss: l0 * Math.exp(-1.2 * q * epoch) + 0.05,
      validationLoss,
      validationAccuracy,
      validationMacroF1: Math.max(0, validationAccuracy - 0.04 - rand() * 0.02),
      validationMicroF1: validationAccuracy,
      seconds: 1 + rand(),
    };
  };

  /** Fake predictions for a split: right with probability `skill`; a label may never be predicted. */
  const predict = (config: TrainConfig, labels: string[], split: 'test' | 'validation', skill: number, seed: number): { rows: PredictionRow[]; gold: number[][]; predicted: number[][] } => {
    const c = corpusOf(config.corpusId);
    const rand = random(seed);
    const rows: PredictionRow[] = [];
    const gold: number[][] = [];
    const predicted: number[][] = [];
    // Too few epochs: the rarest-looking (last) label is never predicted, as an undertrained model does.
    const never = config.epochs < 3 ? labels.length - 1 : -1;
    let held = 0;
    for (let i = 0; i < c.documents && rows.length < 20_000; i++) {
      const d = deps.document(i);
      if (split === 'test' && d.split !== 'test') continue;
      if (split === 'validation') {
        if (config.validation.source === 'dev' ? d.split !== 'dev' : d.split !== 'train' || held++ % 5 !== 0) continue;
      }
      const g = config.task === 'single-label' ? [labels.indexOf(d.label)] : d.label.split(config.labelSeparator).map((l) => labels.indexOf(l.trim()));
      if (g.some((x) => x < 0)) continue;
      const logits = labels.map(() => rand() * 1.5);
      let p: number[];
      if (config.task === 'single-label') {
        let guess = rand() < skill ? g[0] : Math.floor(rand() * labels.length);
        if (guess === never) guess = (never + 1 + Math.floor(rand() * (labels.length - 1))) % labels.length;
        logits[guess] += 3;
        p = [guess];
      } else {
        p = labels.flatMap((_, l) => ((g.includes(l) ? rand() < skill : rand() < 0.05) && l !== never ? [l] : []));
        for (const l of p) logits[l] += 3;
      }
      const probabilities =
        config.task === 'single-label'
          ? (() => {
              const e = logits.map(Math.exp);
              const s = e.reduce((a, b) => a + b, 0);
              return e.map((x) => x / s);
            })()
          : logits.map((x) => 1 / (1 + Math.exp(-(x - 2.2))));
      gold.push(g);
      predicted.push(p);
      const correct = g.length === p.length && g.every((x) => p.includes(x));
      rows.push({ documentId: i + 1, title: d.title, snippet: d.text.slice(0, 80), gold: g.map((x) => labels[x]), predicted: p.map((x) => labels[x]), probabilities, correct });
    }
    return { rows, gold, predicted };
  };

  const finish = (run: MockRun) => {
    const d = run.detail;
    const config = d.config;
    const perLearningRate = config.learningRates.map((learningRate, k) => {
      const points = d.curves.epochs.filter((p) => p.learningRateIndex === k);
      const best = points.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a), points[0]);
      return { learningRate, bestEpoch: best.epoch, bestValidationLoss: best.validationLoss };
    });
    const overall = perLearningRate.reduce((a, b) => (b.bestValidationLoss < a.bestValidationLoss ? b : a));
    const kept = d.curves.epochs.find((p) => p.learningRateIndex === config.learningRates.indexOf(overall.learningRate) && p.epoch === overall.bestEpoch);
    const skill = Math.min(0.97, (kept?.validationAccuracy ?? 0.7) + 0.02);
    const test = predict(config, d.labels, 'test', skill, config.seed + 1);
    const validation = predict(config, d.labels, 'validation', skill + 0.02, config.seed + 2);
    const c = corpusOf(config.corpusId);
    const trainCounts = d.labels.map((l) => c.labels.find((x) => x.label === l)?.count ?? 0);
    run.predictions = { test: test.rows, validation: validation.rows };
    const seconds = (Date.now() - Date.parse(d.createdAt)) / 1000;
    run.detail = {
      ...d,
      status: 'done',
      finishedAt: new Date().toISOString(),
      seconds,
      best: { learningRate: overall.learningRate, epoch: overall.bestEpoch, validationLoss: overall.bestValidationLoss },
      perLearningRate,
      test: mockMetrics(config.task, d.labels, test.gold, test.predicted, trainCounts),
      checkpoint: null,
    };
  };

  const newRun = (config: TrainConfig): MockRun => {
    const c = corpusOf(config.corpusId);
    const est = estimate(config);
    const model = deps.model(config.modelPath);
    if (model.missing.length) throw new ShirabeError('modelTensorsMismatch', { missing: model.missing.join(', '), misshaped: '—' });
    if (config.maxLength > model.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: config.maxLength, limit: model.maxPositions });
    const id = nextRunId++;
    const detail: TrainRunDetail = {
      kind: 'train',
      id,
      corpusId: c.id,
      corpusName: c.name,
      name: config.name || `${c.name} · ${model.name} · ${config.method === 'lora' ? 'LoRA' : 'full'}`,
      status: 'running',
      config,
      labels: est.labels,
      model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType },
      dataHash: fakeHash(`${c.id}:${c.documents}:${config.task}:${JSON.stringify(config.validation)}:${config.labelSeparator}`),
      documents: est.documents,
      backend: 'wasm (WebAssembly SIMD, 1 thread) — mock',
      versions: { shirabe: '0.1.0', '@tensorflow/tfjs-core': '4.22.0', backend: 'wasm', mock: 'true' },
      createdAt: new Date().toISOString(),
      finishedAt: null,
      seconds: null,
      best: null,
      perLearningRate: [],
      test: null,
      checkpoint: null,
      error: null,
      curves: { steps: [], epochs: [] },
    };
    const run: MockRun = { detail, predictions: { test: [], validation: [] }, stepsPerEpoch: est.stepsPerEpoch };
    runs.set(id, run);
    return run;
  };

  /** Runs (or continues, from `fromStep` over all learning rates) a run as a job of a few seconds. */
  const startJob = (run: MockRun, fromStep: number): string => {
    const d0 = run.detail;
    const config = d0.config;
    const perEpoch = run.stepsPerEpoch;
    const perRate = perEpoch * config.epochs;
    const total = perRate * config.learningRates.length;
    const jobId = deps.newJobId();
    const startedAt = Date.now();
    let job: JobOf<'train'> = { id: jobId, kind: 'train', title: d0.name, status: 'queued', done: fromStep, total, unit: 'steps', startedAt, finishedAt: null, etaSeconds: null, error: null, result: null, run: { kind: 'train', runId: d0.id } };
    deps.jobs.set(jobId, job);
    deps.emit('job.update', job);
    run.detail = { ...run.detail, status: 'running', error: null };
    const rand = random(config.seed * 7919 + d0.id);
    const ticks = Math.max(10, Math.round(deps.runMillis / 100));
    const perTick = Math.max(1, Math.ceil((total - fromStep) / ticks));
    // At most ~12 step points per tick reach the chart; the real backend may send every step.
    const stride = Math.max(1, Math.ceil(perTick / 12));
    let done = fromStep;
    const timer = setInterval(() => {
      if (deps.jobs.get(jobId)?.status === 'cancelled') {
        clearInterval(timer);
        run.detail = { ...run.detail, status: 'cancelled', finishedAt: new Date().toISOString() };
        return;
      }
      const until = Math.min(total, done + perTick);
      for (let g = done + 1; g <= until; g++) {
        const k = Math.floor((g - 1) / perRate);
        const step = g - k * perRate;
        if (step % stride === 0 || step === perRate || g === until) {
          const point = stepPoint(config, run.detail.labels.length, k, step, perEpoch, rand);
          run.detail.curves.steps = [...run.detail.curves.steps.filter((p) => !(p.learningRateIndex === k && p.step === step)), point];
          deps.emit('train.progress', { runId: d0.id, kind: 'step', ...point });
        }
        if (step % perEpoch === 0) {
          const point = epochPoint(config, run.detail.labels.length, k, step / perEpoch, rand);
          run.detail.curves.epochs = [...run.detail.curves.epochs.filter((p) => !(p.learningRateIndex === k && p.epoch === point.epoch)), point];
          deps.emit('train.progress', { runId: d0.id, kind: 'epoch', ...point });
        }
        if (step % config.checkpointEvery === 0) run.detail.checkpoint = { learningRateIndex: k, step, savedAt: new Date().toISOString() };
      }
      done = until;
      const elapsed = (Date.now() - startedAt) / 1000;
      if (done >= total) {
        clearInterval(timer);
        finish(run);
        const d = run.detail;
        job = { ...job, status: 'done', done: total, etaSeconds: 0, finishedAt: Date.now(), result: { runId: d.id, best: d.best, test: d.test, seconds: d.seconds ?? elapsed } };
      } else {
        job = { ...job, status: 'running', done, etaSeconds: (elapsed / Math.max(1, done - fromStep)) * (total - done) };
      }
      deps.jobs.set(jobId, job);
      deps.emit('job.update', job);
    }, 100);
    return jobId;
  };

  const runOf = (runId: number): MockRun => {
    const run = runs.get(runId);
    if (!run) throw new ShirabeError('runNotFound', { id: runId });
    return run;
  };

  /** A finished run and an interrupted one, so every page has something to show at once. */
  const seed = () => {
    if (runs.size > 0) return;
    const c = deps.corpora.find((x) => x.labels.length >= 2);
    if (!c) return;
    const modelPath = '/models/cl-tohoku/bert-base-japanese-v3';
    const base = trainConfigSchema.parse({ corpusId: c.id, modelPath, epochs: 2, name: 'baseline (2 epochs)' });
    const done = newRun(base);
    const rand = random(1);
    const labels = done.detail.labels.length;
    for (let k = 0; k < base.learningRates.length; k++) {
      for (let step = 1; step <= done.stepsPerEpoch * base.epochs; step += Math.max(1, Math.floor(done.stepsPerEpoch / 40))) {
        done.detail.curves.steps.push(stepPoint(base, labels, k, step, done.stepsPerEpoch, rand));
      }
      for (let e = 1; e <= base.epochs; e++) done.detail.curves.epochs.push(epochPoint(base, labels, k, e, rand));
    }
    done.detail = { ...done.detail, createdAt: new Date(Date.now() - 3_600_000).toISOString() };
    finish(done);

    const lora = trainConfigSchema.parse({ corpusId: c.id, modelPath, method: 'lora', name: 'LoRA r=8 (interrupted)' });
    const cut = newRun(lora);
    const perRate = cut.stepsPerEpoch * lora.epochs;
    const at = Math.floor(perRate * 1.4);
    for (let g = 1; g <= at; g += Math.max(1, Math.floor(cut.stepsPerEpoch / 40))) {
      const k = Math.floor((g - 1) / perRate);
      cut.detail.curves.steps.push(stepPoint(lora, labels, k, g - k * perRate, cut.stepsPerEpoch, rand));
    }
    // Every epoch finished before the cut.
    for (let g = cut.stepsPerEpoch; g <= at; g += cut.stepsPerEpoch) {
      const k = Math.floor((g - 1) / perRate);
      cut.detail.curves.epochs.push(epochPoint(lora, labels, k, (g - k * perRate) / cut.stepsPerEpoch, rand));
    }
    const k = Math.floor((at - 1) / perRate);
    cut.detail = {
      ...cut.detail,
      status: 'interrupted',
      createdAt: new Date(Date.now() - 1_800_000).toISOString(),
      checkpoint: { learningRateIndex: k, step: at - k * perRate, savedAt: new Date(Date.now() - 1_500_000).toISOString() },
    };
  };

  const info = (r: MockRun): TrainRunInfo => {
    const { curves: _curves, ...rest } = r.detail;
    return rest;
  };

  return {
    seed,
    'train.estimate': (input) => estimate(parse(input)),
    'train.start': (input) => {
      const run = newRun(parse(input));
      return { jobId: startJob(run, 0), runId: run.detail.id };
    },
    'runs.resume': ({ runId }) => {
      const run = runOf(runId);
      const d = run.detail;
      // As the backend: a run stopped before its end continues from its checkpoint, or starts again without one.
      if (d.status !== 'interrupted' && d.status !== 'cancelled' && d.status !== 'failed') throw new ShirabeError('runNotResumable', { id: runId, status: d.status });
      const from = d.checkpoint ? d.checkpoint.learningRateIndex * run.stepsPerEpoch * d.config.epochs + d.checkpoint.step : 0;
      return { jobId: startJob(run, from) };
    },
    'runs.rerun': ({ runId }) => {
      const run = newRun(runOf(runId).detail.config);
      return { jobId: startJob(run, 0), runId: run.detail.id };
    },
    'runs.list': ({ kind, corpusId }) =>
      kind !== null && kind !== 'train'
        ? []
        : [...runs.values()]
            .filter((r) => corpusId === null || r.detail.corpusId === corpusId)
            .map(info)
            .reverse(),
    'runs.get': ({ runId }) => {
      const d = runOf(runId).detail;
      return { ...d, curves: { steps: [...d.curves.steps], epochs: [...d.curves.epochs] } };
    },
    'runs.cancel': ({ runId }) => {
      const d = runOf(runId).detail;
      const job = [...deps.jobs.values()].find((j) => j.run?.runId === runId && (j.status === 'queued' || j.status === 'running'));
      if (!job || d.status !== 'running') throw new ShirabeError('runNotActive', { id: runId });
      deps.cancel(job.id);
      return null;
    },
    'runs.delete': ({ runId }) => {
      const run = runOf(runId);
      if (run.detail.status === 'running') throw new ShirabeError('runActive', { id: runId });
      runs.delete(runId);
      return null;
    },
    'train.predictions': ({ runId, split, gold, predicted, errorsOnly, offset, limit }) => {
      const rows = runOf(runId).predictions[split].filter(
        (r) => (!errorsOnly || !r.correct) && (gold === null || r.gold.includes(gold)) && (predicted === null || r.predicted.includes(predicted)),
      );
      return { total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    'train.export': ({ runId, outDir, merge }) => {
      const d = runOf(runId).detail;
      if (d.status !== 'done') throw new ShirabeError('trainRunNotFinished', { id: runId, status: d.status });
      if (outDir.includes('not-empty')) throw new ShirabeError('exportTargetNotEmpty', { path: outDir });
      const files =
        merge || d.config.method === 'full'
          ? ['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt', 'special_tokens_map.json', 'shirabe-run.json']
          : ['adapter_config.json', 'adapter_model.safetensors', 'classifier.safetensors', 'shirabe-run.json'];
      return { path: outDir, files: files.map((f) => `${outDir.replace(/[\\/]$/, '')}/${f}`) };
    },
  };
}
