// The implicit-weighting study's claim in miniature (issue 18), on livedoor titles with the default
// model, through the same services, job queue and compute worker as the app:
//
//  1. livedoor titles (sentence-like, as the study's STS-B sentences) as a corpus with their
//     categories, and livedoor's full texts as a second corpus, whose MeCab morphemes give P(w);
//  2. unsupervised SimCSE (pretraining's simcse mode) of the default model on the titles' train
//     split, one model per --lr: the held-out contrastive loss (the dev split's titles) before and after;
//  3. category separation: the titles embedded (CLS and mean pooling, 32 tokens) by the default model
//     and by each SimCSE model; the mean cosine of same-category pairs minus that of
//     different-category pairs, over every pair (exact, from the unit vectors' per-category sums),
//     on the test split (never seen by SimCSE) and on all titles; and the gap in units of the
//     standard deviation of all pairs' cosines, which does not move with the embedding's overall
//     anisotropy as the raw gap does;
//  4. attribution: the study's norm contribution of every token to the sentence embedding
//     (Integrated Gradients, estimated from --estimate random projections) for a seeded sample of
//     --attribute test-split titles, for the default model and the SimCSE model with the lowest
//     held-out loss (--attribute-lr all: every one) × {CLS, mean}; then the study's information
//     analysis of all those runs at once: each MeCab morpheme occurrence's contribution against
//     −log P(w) and P(w) from the full texts' counts (add-one smoothed; symbols left out), Pearson
//     and Spearman with 95% intervals (Fisher's z and bootstrap), beside the study's Table 1.
//
// The bundled model is a 2-layer, hidden-128 demo (1.5 M parameters): real research uses real checkpoints.
// Run: npm run bench:weighting [-- --titles all --attribute 100 --lr 1e-4,3e-4 --attribute-lr best|all|RATE,… --seed 42
//      --epochs 1 --batch-size 64 --estimate 64 --steps 50 --attribution-batch 16 --bootstrap 1000 --model DIR --json --out FILE.json]
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  attributionConfigSchema,
  expectRunOf,
  informationConfigSchema,
  isJobOf,
  pretrainConfigSchema,
  type CorrelationInfo,
  type InformationRunReport,
  type JobInfo,
  type Pooling,
} from '../common/contract';
import type { Services } from '../main/services';
import { freshProject, importAndWait, livedoorArchive, livedoorImportOptions, mulberry32, root } from './common';

const { values: opts } = parseArgs({
  options: {
    titles: { type: 'string', default: 'all' },
    attribute: { type: 'string', default: '100' },
    'attribute-lr': { type: 'string', default: 'best' },
    lr: { type: 'string', default: '1e-4,3e-4' },
    seed: { type: 'string', default: '42' },
    epochs: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '64' },
    estimate: { type: 'string', default: '64' },
    steps: { type: 'string', default: '50' },
    'attribution-batch': { type: 'string', default: '16' },
    bootstrap: { type: 'string', default: '1000' },
    model: { type: 'string', default: join(root, 'resources', 'models', 'shirabe-tiny-ja') },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const seed = Number(opts.seed);
const learningRates = opts.lr.split(',').filter(Boolean).map(Number);
const attributeCount = Number(opts.attribute);
const MAX_LENGTH = 32;
const POOLINGS: Pooling[] = ['cls', 'mean'];
const log = (line: string) => !opts.json && console.log(line);

/** The study's Table 1 (English STS-B, BERT-base): correlation of contribution with −log P(w) and with P(w), as issue 18 quotes it. */
const STUDY = [
  { model: 'BERT', pooling: 'CLS', information: 0.38, probability: -0.26 },
  { model: 'unsup. SimCSE', pooling: 'CLS', information: 0.8, probability: -0.63 },
  { model: 'sup. SimCSE', pooling: 'CLS', information: 0.59, probability: -0.37 },
  { model: 'BERT', pooling: 'MEAN', information: 0.51, probability: -0.49 },
  { model: 'SBERT', pooling: 'MEAN', information: 0.72, probability: -0.5 },
];
/** The study's row a run of ours stands beside: the default model is its BERT, a SimCSE model its unsupervised SimCSE (which it reports with CLS only). */
const studyRow = (simcse: boolean, pooling: Pooling) => STUDY.find((s) => s.model === (simcse ? 'unsup. SimCSE' : 'BERT') && s.pooling === pooling.toUpperCase()) ?? null;

// Phase timings and the machine's load while the bench runs (other engineers' work shares the cores).
const phases: { phase: string; seconds: number }[] = [];
async function timed<T>(phase: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await body();
  const seconds = (performance.now() - started) / 1000;
  phases.push({ phase, seconds });
  log(`  [${phase}: ${seconds.toFixed(1)} s, load ${loadavg()[0].toFixed(2)}]`);
  return out;
}
const load = { start: loadavg()[0], max: loadavg()[0], samples: [] as number[] };
const sampler = setInterval(() => {
  const l = loadavg()[0];
  load.samples.push(l);
  load.max = Math.max(load.max, l);
}, 15_000);
sampler.unref();

function done(job: JobInfo, what: string): JobInfo {
  if (job.status !== 'done' || job.error !== null) throw new Error(`${what}: ${job.status} ${JSON.stringify(job.error)}`);
  return job;
}

/**
 * Mean cosine of same-category pairs minus different-category pairs, over every unordered pair of
 * the documents given: with unit vectors u and S_c the sum of category c's, the same-category pairs'
 * cosines sum to Σ_c (‖S_c‖² − n_c) / 2 and all pairs' to (‖S‖² − n) / 2; the sum of squared cosines
 * is (‖UᵀU‖²_F − n) / 2, which gives the standard deviation of all pairs' cosines.
 */
function categoryGap(vectors: Float32Array, d: number, rows: number[], labelOf: (row: number) => string) {
  const sums = new Map<string, { s: Float64Array; n: number }>();
  const total = new Float64Array(d);
  const gram = new Float64Array(d * d);
  const u = new Float64Array(d);
  for (const r of rows) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += vectors[r * d + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) u[j] = vectors[r * d + j] / norm;
    const label = labelOf(r);
    let c = sums.get(label);
    if (!c) sums.set(label, (c = { s: new Float64Array(d), n: 0 }));
    c.n++;
    for (let j = 0; j < d; j++) {
      c.s[j] += u[j];
      total[j] += u[j];
      const uj = u[j];
      for (let k = 0; k < d; k++) gram[j * d + k] += uj * u[k];
    }
  }
  const sq = (v: Float64Array) => v.reduce((a, x) => a + x * x, 0);
  const n = rows.length;
  let sameSum = 0;
  let samePairs = 0;
  for (const c of sums.values()) {
    sameSum += (sq(c.s) - c.n) / 2;
    samePairs += (c.n * (c.n - 1)) / 2;
  }
  const allPairs = (n * (n - 1)) / 2;
  const allSum = (sq(total) - n) / 2;
  const allSquares = (sq(gram) - n) / 2;
  const mean = allSum / allPairs;
  const sd = Math.sqrt(Math.max(0, allSquares / allPairs - mean * mean));
  const same = sameSum / samePairs;
  const different = (allSum - sameSum) / (allPairs - samePairs);
  return { documents: n, same, different, all: mean, gap: same - different, sd, standardizedGap: (same - different) / sd };
}

interface ModelEntry {
  name: string;
  path: string;
  simcse: boolean;
  learningRate: number | null;
}

async function main(): Promise<void> {
  if (!existsSync(livedoorArchive)) {
    console.log(`skipped: ${livedoorArchive} is absent`);
    return;
  }
  const startedAll = performance.now();
  const { services, dir } = await freshProject();
  const h = services.handlers;
  const store = () => services.projects.require();
  log(`${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; project in ${dir}`);

  // 1. The corpora: the titles with their categories (split 80/10/10, seed 42, stratified), and the full texts for P(w).
  const { titlesId, fullTextId } = await timed('import', async () => {
    execFileSync('tar', ['xzf', livedoorArchive, '-C', dir]);
    const fullText = await importAndWait(services, join(dir, 'text'), livedoorImportOptions);
    const titles = await importAndWait(services, join(dir, 'text'), { ...livedoorImportOptions, name: 'livedoor titles', textColumn: 'title', titleColumn: null });
    let titlesId = titles.corpusId;
    if (opts.titles !== 'all' && Number(opts.titles) < titles.documents) {
      // A seeded sample of the titles as a corpus of its own, split as the full one is.
      const all = store().documents.labelled(titlesId);
      const rand = mulberry32(seed);
      const order = all.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const file = join(dir, 'titles-sample.jsonl');
      writeFileSync(file, order.slice(0, Number(opts.titles)).map((i) => JSON.stringify({ text: all[i].text, label: all[i].label })).join('\n') + '\n');
      titlesId = (await importAndWait(services, file, { name: `livedoor titles (${opts.titles} sampled)`, textColumn: 'text', labelColumn: 'label' })).corpusId;
    }
    return { titlesId, fullTextId: fullText.corpusId };
  });
  const titles = store().documents.labelled(titlesId);
  const splitCount = (s: string) => titles.filter((d) => d.split === s).length;
  log(`livedoor: ${titles.length} titles (train ${splitCount('train')}, dev ${splitCount('dev')}, test ${splitCount('test')}), ${store().documents.labelled(fullTextId).length} full texts for P(w)`);

  // 2. SimCSE on the titles' train split, one model per learning rate; the dev split's titles are held out.
  const models: ModelEntry[] = [{ name: 'default model', path: opts.model, simcse: false, learningRate: null }];
  const simcse: { learningRate: number; sentences: { train: number; heldOut: number }; initialLoss: number; finalLoss: number; initialPerSeed: number[]; finalPerSeed: number[]; seconds: number }[] = [];
  for (const lr of learningRates) {
    const outputDir = join(dir, `simcse-lr${lr}`);
    const config = pretrainConfigSchema.parse({ corpusId: titlesId, mode: 'simcse', modelPath: opts.model, outputDir, epochs: Number(opts.epochs), batchSize: Number(opts['batch-size']), learningRate: lr, seed });
    const job = await timed(`SimCSE lr ${lr}`, async () => done(await services.jobs.wait((await h['pretrain.start'](config)).jobId), `SimCSE lr ${lr}`));
    if (!isJobOf(job, 'pretrain') || !job.result) throw new Error('SimCSE: no result');
    const r = job.result;
    const run = expectRunOf(await h['runs.get']({ runId: r.runId }), 'pretrain');
    simcse.push({ learningRate: lr, sentences: run.sequences, initialLoss: r.initialLoss.loss, finalLoss: r.finalLoss.loss, initialPerSeed: r.initialLoss.perSeed, finalPerSeed: r.finalLoss.perSeed, seconds: r.seconds });
    log(`SimCSE lr ${lr} (${config.epochs} epoch, batch ${config.batchSize}, ${config.maxLength} tokens, τ ${config.temperature}, ${run.sequences.train} train / ${run.sequences.heldOut} held-out sentences): held-out contrastive loss ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)} (${r.seconds.toFixed(0)} s)`);
    models.push({ name: `SimCSE lr ${lr}`, path: outputDir, simcse: true, learningRate: lr });
  }

  // 3. Category separation of the titles' embeddings, before and after SimCSE.
  const rowLabels = new Map(titles.map((d) => [d.id, { label: d.label ?? '', split: d.split }]));
  const separation: { model: string; pooling: Pooling; test: ReturnType<typeof categoryGap>; all: ReturnType<typeof categoryGap> }[] = [];
  for (const m of models) {
    for (const pooling of POOLINGS) {
      await timed(`embed ${m.name} ${pooling}`, async () => {
        const job = done(await services.jobs.wait((await h['embed.start']({ corpusId: titlesId, modelPath: m.path, pooling, layer: -1, maxLength: MAX_LENGTH, batchSize: 64, truncation: 'head' })).jobId), `embed ${m.name}`);
        if (!isJobOf(job, 'embed') || !job.result) throw new Error('embed: no result');
        const { documentIds, vectors, run } = store().embeddings.vectors(job.result.runId);
        const labelOf = (r: number) => rowLabels.get(documentIds[r])!.label;
        const rows = documentIds.map((_, r) => r);
        const test = categoryGap(vectors, run.dimensions, rows.filter((r) => rowLabels.get(documentIds[r])!.split === 'test'), labelOf);
        const all = categoryGap(vectors, run.dimensions, rows, labelOf);
        separation.push({ model: m.name, pooling, test, all });
      });
    }
  }
  log('\ncategory separation: mean cosine of same-category pairs − different-category pairs (every pair)');
  log('model\tpooling\ttest: same\tdifferent\tgap\tgap / SD\tall titles: gap\tgap / SD\tmean cosine (all)');
  for (const s of separation) log(`${s.model}\t${s.pooling}\t${s.test.same.toFixed(4)}\t${s.test.different.toFixed(4)}\t${s.test.gap.toFixed(4)}\t${s.test.standardizedGap.toFixed(3)}\t${s.all.gap.toFixed(4)}\t${s.all.standardizedGap.toFixed(3)}\t${s.all.all.toFixed(4)}`);

  // 4. Attribution of a seeded sample of test-split titles, every model × pooling, then the information analysis.
  const test = titles.filter((d) => d.split === 'test' && d.text.trim() !== '');
  const pick = mulberry32(seed + 1);
  const order = test.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(pick() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const ids = order.slice(0, attributeCount).map((i) => test[i].id);
  // The SimCSE models attributed: the one with the lowest held-out loss (best), every one (all), or those of the rates listed.
  const bestRate = simcse.length > 0 ? simcse.reduce((a, b) => (b.finalLoss < a.finalLoss ? b : a)).learningRate : null;
  const attributed = models.filter(
    (m) => !m.simcse || (opts['attribute-lr'] === 'all' ? true : opts['attribute-lr'] === 'best' ? m.learningRate === bestRate : opts['attribute-lr'].split(',').map(Number).includes(m.learningRate!)),
  );
  log(`\nattributing ${ids.length} test-split titles with ${attributed.map((m) => m.name).join(', ')} (${opts['attribute-lr']})`);
  const attributions: { runId: number; model: ModelEntry; pooling: Pooling; documents: number; gap: { mean: number; max: number } | null; seconds: number; steps: { mean: number; refined: number }; tokens: number }[] = [];
  for (const m of attributed) {
    for (const pooling of POOLINGS) {
      const config = attributionConfigSchema.parse({
        corpusId: titlesId,
        source: { kind: 'model', path: m.path },
        target: { kind: 'embedding', pooling, layer: -1, estimate: Number(opts.estimate) },
        documents: { kind: 'ids', ids },
        maxLength: MAX_LENGTH,
        steps: Number(opts.steps),
        batchSize: Number(opts['attribution-batch']),
        seed,
        name: `${m.name} · ${pooling}`,
      });
      await timed(`attribute ${m.name} ${pooling} (${ids.length} titles)`, async () => {
        const job = done(await services.jobs.wait((await h['attribution.start'](config)).jobId), `attribution ${m.name} ${pooling}`);
        if (!isJobOf(job, 'attribution') || !job.result) throw new Error('attribution: no result');
        const r = job.result;
        // Integration points per title (more than --steps where the gap asked for them) and tokens per title.
        const docs = expectRunOf(await h['runs.get']({ runId: r.runId }), 'attribution').attributed;
        const steps = { mean: docs.reduce((a, d) => a + d.steps, 0) / docs.length, refined: docs.filter((d) => d.steps > config.steps).length };
        const tokens = docs.reduce((a, d) => a + d.tokens, 0) / docs.length;
        attributions.push({ runId: r.runId, model: m, pooling, documents: r.documents, gap: r.gap, seconds: r.seconds, steps, tokens });
        log(`attribution ${m.name} ${pooling}: ${r.documents} titles of ${tokens.toFixed(1)} tokens on average, completeness gap mean ${((r.gap?.mean ?? 0) * 100).toFixed(2)}% max ${((r.gap?.max ?? 0) * 100).toFixed(2)}%, ${steps.refined} titles given more than ${config.steps} steps (mean ${steps.mean.toFixed(1)}), ${r.seconds.toFixed(0)} s (${(r.seconds / r.documents).toFixed(1)} s a title)`);
      });
    }
  }
  const information = await timed('information analysis', async () => {
    const config = informationConfigSchema.parse({ runIds: attributions.map((a) => a.runId), frequencyCorpusId: fullTextId, unit: 'morpheme', bootstrap: Number(opts.bootstrap), seed });
    const job = done(await services.jobs.wait((await h['attribution.information'](config)).jobId), 'information');
    if (!isJobOf(job, 'information') || !job.result) throw new Error('information: no result');
    return job.result;
  });

  const f = (x: number) => (x >= 0 ? ' ' : '') + x.toFixed(2);
  const ci = (c: CorrelationInfo) => `${f(c.value)} [${c.fisher[0].toFixed(2)}, ${c.fisher[1].toFixed(2)}]`;
  const table = attributions.map((a) => {
    const rep = information.runs.find((x) => x.runId === a.runId) as InformationRunReport;
    const study = studyRow(a.model.simcse, a.pooling);
    return { model: a.model.name, learningRate: a.model.learningRate, pooling: a.pooling, runId: a.runId, n: rep.n, information: rep.information, probability: rep.probability, fit: rep.fit, study };
  });
  log(`\ninformation analysis: ${information.unit}s of livedoor's full texts for P(w) (N ${information.tokens}, V ${information.types}, add-one smoothed, symbols left out); ${ids.length} test-split titles; IG ${opts.steps} Gauss–Legendre steps, norm estimated from ${opts.estimate} projections`);
  log('model\tpooling\tn\tPearson −log P(w) [95% Fisher]\tSpearman −log P(w)\tPearson P(w)\tSpearman P(w)\tstudy (−log P / P)');
  for (const t of table) {
    log(`${t.model}\t${t.pooling.toUpperCase()}\t${t.n}\t${ci(t.information.pearson)}\t${ci(t.information.spearman)}\t${ci(t.probability.pearson)}\t${ci(t.probability.spearman)}\t${t.study ? `${t.study.model} ${t.study.pooling}: ${t.study.information.toFixed(2)} / ${t.study.probability.toFixed(2)}` : '—'}`);
  }
  log('\nthe study (English STS-B, BERT-base), as issue 18 quotes its Table 1:');
  for (const s of STUDY) log(`  ${s.model} ${s.pooling}\t${s.information.toFixed(2)} / ${s.probability.toFixed(2)}`);

  const status = await h['compute.status']({});
  const seconds = (performance.now() - startedAll) / 1000;
  load.max = Math.max(load.max, loadavg()[0]);
  const summary = {
    date: new Date().toISOString(),
    cores: cpus().length,
    backend: status.backend ? `${status.backend} (${status.device})` : null,
    options: { titles: opts.titles, attribute: attributeCount, attributeLr: opts['attribute-lr'], learningRates, seed, epochs: Number(opts.epochs), batchSize: Number(opts['batch-size']), estimate: Number(opts.estimate), steps: Number(opts.steps), maxLength: MAX_LENGTH, model: opts.model },
    corpus: { titles: titles.length, train: splitCount('train'), dev: splitCount('dev'), test: splitCount('test') },
    simcse,
    separation,
    attribution: attributions.map((a) => ({ runId: a.runId, model: a.model.name, pooling: a.pooling, documents: a.documents, tokens: a.tokens, steps: a.steps, gap: a.gap, seconds: a.seconds })),
    information: { unit: information.unit, tokens: information.tokens, types: information.types, documents: ids.length, runs: table },
    study: STUDY,
    phases,
    seconds,
    load: { start: load.start, max: load.max, end: loadavg()[0] },
  };
  if (opts.out) writeFileSync(opts.out, JSON.stringify(summary, null, 2) + '\n');
  if (opts.json) console.log(JSON.stringify(summary, null, 2));
  else {
    log(`\nphases: ${phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join('; ')}`);
    log(`whole run ${(seconds / 60).toFixed(1)} min on ${summary.backend}; load average (1 min) ${load.start.toFixed(2)} at the start, ${load.max.toFixed(2)} at the highest sample, ${summary.load.end.toFixed(2)} at the end`);
  }
  await shutdown(services);
}

async function shutdown(services: Services): Promise<void> {
  clearInterval(sampler);
  await services.shutdown();
}

await main();
