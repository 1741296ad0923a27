// Fine-tuning on the livedoor news corpus (../shared/data) with the default model, through the same
// services, job queue and compute worker as the app: for each method, the learning-rate sweep's
// best epoch, test accuracy and macro-F1 beside the majority-class baseline, seconds per epoch,
// and the backend. With --compare-random the same runs are made from a random-weight twin of the
// model (its config and tokenizer, fresh weights as BERT's init draws them): what pretraining bought.
// --seeds 1,2,3 repeats every run with each fine-tuning seed (head init, shuffle, dropout; the twin's
// weights are drawn with the same seed) and ends with mean ± sample standard deviation per model and
// method, since one seed of a small model says little. --from random runs only the twin, so that the
// two halves of a comparison can run in two processes, one per core.
// Run: npm run bench:train [-- --methods full,lora --epochs 3 --compare-random --seeds 1,2,3 --json]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { maskedLmFiles } from '../main/ml/pretrain/save';
import { initialisedBert } from '../main/ml/pretrain/scratch';
import { tokenizerFiles } from '../main/ml/train/export';
import { parseArgs } from 'node:util';
import { expectRunOf, trainConfigSchema, trainDefaults, type TrainMethod, type TrainResult } from '../common/contract';
import { freshProject, importAndWait, livedoorArchive, livedoorImportOptions, root } from './common';

const { values: opts } = parseArgs({
  options: {
    methods: { type: 'string', default: 'full,lora' },
    epochs: { type: 'string', default: '3' },
    'lrs-full': { type: 'string', default: '5e-4' },
    'lrs-lora': { type: 'string', default: '2e-3' },
    'batch-size': { type: 'string', default: '16' },
    'max-length': { type: 'string', default: '128' },
    model: { type: 'string', default: join(root, 'resources', 'models', 'shirabe-tiny-ja') },
    'compare-random': { type: 'boolean', default: false },
    from: { type: 'string' },
    seeds: { type: 'string', default: String(trainDefaults.seed) },
    json: { type: 'boolean', default: false },
  },
});

const rates = (s: string) => s.split(',').map(Number);
const methods = opts.methods.split(',') as TrainMethod[];
const seeds = opts.seeds.split(',').map(Number);
const from = (opts.from ?? (opts['compare-random'] ? 'pretrained,random' : 'pretrained')).split(',');
for (const f of from) if (f !== 'pretrained' && f !== 'random') throw new Error(`--from: "${f}" is neither pretrained nor random`);
for (const s of seeds) if (!Number.isInteger(s) || s < 0) throw new Error(`--seeds: "${opts.seeds}" is not a list of non-negative integers`);

/** Mean and sample standard deviation (n − 1); the deviation is absent for one value. */
function spread(xs: number[]): string {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  if (xs.length < 2) return mean.toFixed(4);
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
}

async function main(): Promise<void> {
  if (!existsSync(livedoorArchive)) {
    console.log(`skipped: ${livedoorArchive} is absent`);
    return;
  }
  const { services, dir } = await freshProject();
  const h = services.handlers;
  const trainRun = async (runId: number) => expectRunOf(await h['runs.get']({ runId }), 'train');
  execFileSync('tar', ['xzf', livedoorArchive, '-C', dir]);
  const report = await importAndWait(services, join(dir, 'text'), livedoorImportOptions);
  const log = (line: string) => !opts.json && console.log(line);
  log(`livedoor: ${report.documents} documents (train ${report.splits.train}, dev ${report.splits.dev}, test ${report.splits.test}, default seed)`);

  /** The twin: the same config.json and tokenizer files, weights drawn afresh with the given seed (once per seed). */
  const twin = (seed: number): string => {
    const out = join(dir, `random-twin-${seed}`);
    if (existsSync(out)) return out;
    mkdirSync(out);
    const raw = JSON.parse(readFileSync(join(opts.model, 'config.json'), 'utf8')) as Record<string, unknown>;
    const model = initialisedBert(raw, seed);
    for (const [name, contents] of maskedLmFiles(model)) writeFileSync(join(out, name), contents);
    model.dispose();
    for (const f of tokenizerFiles) if (existsSync(join(opts.model, f))) copyFileSync(join(opts.model, f), join(out, f));
    return out;
  };
  const runs = from.flatMap((f) =>
    seeds.flatMap((seed) => methods.map((method) => ({ label: f === 'random' ? 'random twin' : 'model', random: f === 'random', seed, method }))),
  );
  const results = [];
  for (const { label, random, seed, method } of runs) {
    const path = random ? twin(seed) : opts.model;
    const config = trainConfigSchema.parse({
      seed,
      corpusId: report.corpusId,
      modelPath: path,
      method,
      learningRates: rates(method === 'full' ? opts['lrs-full'] : opts['lrs-lora']),
      epochs: Number(opts.epochs),
      batchSize: Number(opts['batch-size']),
      maxLength: Number(opts['max-length']),
      checkpointEvery: 1_000_000,
    });
    const estimate = await h['train.estimate'](config);
    log(`${label}, ${method}, seed ${seed}: ${estimate.documents.train} training, ${estimate.documents.validation} validation, ${estimate.documents.test} test documents; ${estimate.trainable.toLocaleString()} of ${estimate.parameters.toLocaleString()} parameters trained; ${estimate.totalSteps} steps`);
    const started = performance.now();
    let last = 0;
    const off = services.events.on('train.progress', (p) => {
      if (p.kind === 'epoch') log(`  lr ${config.learningRates[p.learningRateIndex]} epoch ${p.epoch}: train loss ${p.trainLoss.toFixed(4)}, validation loss ${p.validationLoss.toFixed(4)}, macro-F1 ${p.validationMacroF1.toFixed(4)}, accuracy ${p.validationAccuracy.toFixed(4)}, ${p.seconds.toFixed(1)} s`);
      else if (p.step - last >= 100 && !opts.json) {
        last = p.step;
        process.stderr.write(`\r  step ${p.step}, loss ${p.loss.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(0)} s   `);
      }
    });
    const job = await services.jobs.wait((await h['train.start'](config)).jobId);
    off();
    if (!opts.json) process.stderr.write('\r');
    if (job.status !== 'done') throw new Error(`${method}: ${job.status} ${JSON.stringify(job.error)}`);
    const result = job.result as TrainResult;
    const run = await trainRun(result.runId);
    const epochs = run.curves.epochs;
    const secondsPerEpoch = epochs.reduce((a, e) => a + e.seconds, 0) / epochs.length;
    const test = run.test!;
    const row = {
      model: label,
      method,
      seed,
      backend: run.backend,
      learningRates: config.learningRates,
      epochs: config.epochs,
      batchSize: config.batchSize,
      maxLength: config.maxLength,
      trainable: estimate.trainable,
      best: run.best,
      test: { documents: test.documents, accuracy: test.accuracy, macroF1: test.macro.f1, microF1: test.micro.f1 },
      majorityBaseline: test.majorityBaseline,
      secondsPerEpoch,
      totalSeconds: (performance.now() - started) / 1000,
    };
    results.push(row);
    log(
      `${label}, ${method}, seed ${seed} on ${row.backend}: best lr ${row.best?.learningRate} epoch ${row.best?.epoch}; test accuracy ${test.accuracy.toFixed(4)}, macro-F1 ${test.macro.f1.toFixed(4)} ` +
        `(majority baseline: accuracy ${test.majorityBaseline?.accuracy.toFixed(4)}, macro-F1 ${test.majorityBaseline?.macroF1.toFixed(4)}); ${secondsPerEpoch.toFixed(0)} s per epoch, ${row.totalSeconds.toFixed(0)} s in all`,
    );
  }
  if (seeds.length > 1) {
    for (const key of [...new Set(results.map((r) => `${r.model}, ${r.method}`))]) {
      const rows = results.filter((r) => `${r.model}, ${r.method}` === key);
      log(`${key} over seeds ${rows.map((r) => r.seed).join(', ')}: test accuracy ${spread(rows.map((r) => r.test.accuracy))}, macro-F1 ${spread(rows.map((r) => r.test.macroF1))} (mean ± sample SD)`);
    }
  }
  if (opts.json) console.log(JSON.stringify({ documents: report.documents, results }, null, 2));
  await services.shutdown();
}

void main();
