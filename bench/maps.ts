// Speed and memory of the map projections (main/ml/maps): UMAP of 10,000 and 100,000 points and
// t-SNE of 10,000, PCA of both sizes, and the nearest-neighbour search under them, beside peers:
// umap-js's own pipeline (its NN-descent and fit) at 10,000, and Debian's scikit-learn (PCA, TSNE)
// through /usr/bin/python3, skipped with a note when absent. Quality beside time: trustworthiness
// (k = 10) and the silhouette of the known topics in the map, on the same seeded sample of 5,000
// points for every method when there are more (both are O(n²): exact trustworthiness of 100,000
// × 768 would take hours), computed here by the same code for every method.
//
// Run: node --import tsx bench/maps.ts [--only pca,knn,umap,umap-js,tsne] [--sizes 10000,100000]
//        [--umap-js-max 10000] [--json]
//
// Each measurement runs in its own child process, so its peak RSS (process.resourceUsage().maxRSS,
// or ru_maxrss for Python) is its own; every child reads the same vectors from one file (their
// 4·n·d bytes are in every peak). The vectors are seeded synthetic "embeddings" in 768-D:
// 20 Gaussian topics (centres N(0, 0.5²), points centre + N(0, 1)), so a point's nearest
// neighbours mostly, not always, share its topic, as with real sentence embeddings. Ours is one
// JavaScript thread; sklearn is run with one thread and with every core.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UMAP } from 'umap-js';
import { makeNNDescent } from 'umap-js/dist/nn_descent';
import { makeForest, makeLeafArray } from 'umap-js/dist/tree';
import { cosine as umapJsCosine } from 'umap-js/dist/umap';
import { deriveSeed, mulberry32, normals, permutation } from '../common/random';
import type { MapPhase, MapControl } from '../main/ml/maps/control';
import { nearestNeighbours } from '../main/ml/maps/knn';
import { pca } from '../main/ml/maps/pca';
import { trustworthiness } from '../main/ml/maps/trustworthiness';
import { tsne } from '../main/ml/maps/tsne';
import { umap } from '../main/ml/maps/umap';
import { separation } from '../main/ml/testing/separation';
import { root } from './common';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    file: { type: 'string' },
    n: { type: 'string' },
    only: { type: 'string', default: 'pca,knn,umap,umap-js,tsne' },
    sizes: { type: 'string', default: '10000,100000' },
    d: { type: 'string', default: '768' },
    seed: { type: 'string', default: '1' },
    /** umap-js's own pipeline is run up to this size (beyond it the default run skips it, with the reason). */
    'umap-js-max': { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false },
  },
});
const d = Number(values.d);
const seed = Number(values.seed);
const TOPICS = 20;
/** Points scored for trustworthiness and silhouette above this size (both are O(n²)). */
const SAMPLE = 5000;

function syntheticVectors(n: number): { x: Float32Array; labels: Int32Array } {
  const gauss = normals(mulberry32(deriveSeed(seed, 17)));
  const centres = Float32Array.from({ length: TOPICS * d }, () => 0.5 * gauss()); // [TOPICS, d]
  const pick = mulberry32(deriveSeed(seed, 18));
  const x = new Float32Array(n * d); // [n, d]
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(pick() * TOPICS);
    labels[i] = t;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[t * d + j] + gauss();
  }
  return { x, labels };
}

interface Quality {
  trustworthiness10: number;
  silhouette: number;
  scoredPoints: number;
}

/** Trustworthiness (k = 10) and topic silhouette of a map y [n, m], on a seeded sample above SAMPLE points. */
function quality(x: Float32Array, y: Float32Array, n: number, m: number, labels: Int32Array): Quality {
  let xs = x;
  let ys = y;
  let ls: ArrayLike<number> = labels;
  let s = n;
  if (n > SAMPLE) {
    const rows = permutation(n, mulberry32(deriveSeed(seed, 99))).slice(0, SAMPLE).sort((a, b) => a - b);
    s = SAMPLE;
    xs = new Float32Array(s * d);
    ys = new Float32Array(s * m);
    ls = rows.map((r) => labels[r]);
    rows.forEach((r, i) => {
      xs.set(x.subarray(r * d, (r + 1) * d), i * d);
      ys.set(y.subarray(r * m, (r + 1) * m), i * m);
    });
  }
  return { trustworthiness10: trustworthiness(xs, ys, s, d, m, 10, 'euclidean'), silhouette: separation(ys, s, m, ls).silhouette, scoredPoints: s };
}

/** Seconds spent in each phase, from the progress events. */
function phaseTimer(): { control: MapControl; phases: Partial<Record<MapPhase, number>>; finish(): void } {
  const phases: Partial<Record<MapPhase, number>> = {};
  let current: MapPhase | undefined;
  let since = performance.now();
  const close = (): void => {
    if (current) phases[current] = (phases[current] ?? 0) + (performance.now() - since) / 1000;
  };
  return {
    phases,
    control: {
      onProgress: (p) => {
        if (p.phase === current) return;
        close();
        current = p.phase;
        since = performance.now();
      },
    },
    finish: close,
  };
}

/** A Float32Array over a file's bytes, copied only when they are not 4-byte aligned. */
function floats(bytes: Buffer, length: number): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length * 4));
}

const mib = (): number => process.resourceUsage().maxRSS / 1024;

/** One measurement in this (child) process; prints its JSON. */
async function child(kind: string, file: string, n: number): Promise<void> {
  const x = floats(readFileSync(file), n * d);
  const lb = readFileSync(`${file}.labels`);
  const topicLabels = new Int32Array(lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.byteLength));
  const baseline = mib();
  let out: Record<string, unknown> = {};
  if (kind === 'pca') {
    const t = performance.now();
    const r = pca(x, n, d, 2);
    out = { seconds: (performance.now() - t) / 1000, explainedVarianceRatio: Array.from(r.explainedVarianceRatio) };
  } else if (kind === 'knn') {
    const t0 = performance.now();
    const exact = await nearestNeighbours(x, n, d, 91, 'cosine', { method: 'exact' });
    const exactSeconds = (performance.now() - t0) / 1000;
    const recall = (k: number, approx: { indices: Int32Array; k: number }): number => {
      let hits = 0;
      for (let i = 0; i < n; i++) {
        const truth = new Set(exact.indices.subarray(i * 91, i * 91 + k));
        for (let t = 0; t < k; t++) if (truth.has(approx.indices[i * k + t])) hits++;
      }
      return hits / (n * k);
    };
    const runs: Record<string, { seconds: number; recall: number }> = {};
    for (const k of [14, 91]) {
      const t = performance.now();
      const g = await nearestNeighbours(x, n, d, k, 'cosine', { method: 'nnDescent', seed });
      runs[`nnDescent k=${k}`] = { seconds: (performance.now() - t) / 1000, recall: recall(k, g) };
    }
    // umap-js's own search as its initializeFit runs it (its trees, NN-descent and parameters),
    // for 15 neighbours with the point itself among them, scored on the 14 others.
    const rows: number[][] = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
    const t = performance.now();
    const rand = mulberry32(seed);
    const forest = makeForest(rows, 15, 5 + Math.round(Math.sqrt(n) / 20), rand);
    const js = makeNNDescent(umapJsCosine, rand)(rows, makeLeafArray(forest), 15, Math.max(5, Math.round(Math.log2(n))));
    const jsSeconds = (performance.now() - t) / 1000;
    let hits = 0;
    let selfFirst = 0;
    for (let i = 0; i < n; i++) {
      const truth = new Set(exact.indices.subarray(i * 91, i * 91 + 14));
      if (js.indices[i][0] === i) selfFirst++;
      for (const j of js.indices[i]) if (j !== i && truth.has(j)) hits++;
    }
    runs['umap-js NN-descent k=15 (self + 14)'] = { seconds: jsSeconds, recall: hits / (n * 14) };
    out = { exactSeconds, runs, umapJsSelfFirstRows: selfFirst };
  } else if (kind === 'umap') {
    const timer = phaseTimer();
    const t = performance.now();
    const r = await umap(x, n, d, { seed }, timer.control);
    timer.finish();
    out = { seconds: (performance.now() - t) / 1000, phases: timer.phases, epochs: r.epochs, exactNeighbours: r.exactNeighbours, maxRssMiB: mib(), ...quality(x, r.embedding, n, 2, topicLabels) };
  } else if (kind === 'umap-js') {
    // umap-js end to end as its README shows it, seeded, cosine, umap-learn's epoch count.
    const t = performance.now();
    const rows: number[][] = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
    const converted = (performance.now() - t) / 1000;
    const cosine = (a: number[], b: number[]): number => {
      let s = 0;
      let na = 0;
      let nb = 0;
      for (let c = 0; c < a.length; c++) {
        s += a[c] * b[c];
        na += a[c] * a[c];
        nb += b[c] * b[c];
      }
      return na === 0 || nb === 0 ? 1 : 1 - s / Math.sqrt(na * nb);
    };
    const model = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, nEpochs: n <= 10_000 ? 500 : 200, distanceFn: cosine, random: mulberry32(seed) });
    const t1 = performance.now();
    const epochs = model.initializeFit(rows);
    const fitSeconds = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    for (let e = 0; e < epochs; e++) model.step();
    const epochSeconds = (performance.now() - t2) / 1000;
    const emb = model.getEmbedding();
    const y = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) y.set(emb[i], i * 2);
    out = { seconds: (performance.now() - t) / 1000, phases: { convert: converted, neighboursAndGraph: fitSeconds, epochs: epochSeconds }, maxRssMiB: mib(), ...quality(x, y, n, 2, topicLabels) };
  } else if (kind === 'tsne') {
    const timer = phaseTimer();
    const t = performance.now();
    const r = await tsne(x, n, d, { seed }, timer.control);
    timer.finish();
    out = { seconds: (performance.now() - t) / 1000, phases: timer.phases, method: r.method, klDivergence: r.klDivergence, iterations: r.iterations, maxRssMiB: mib(), ...quality(x, r.embedding, n, 2, topicLabels) };
  } else {
    throw new Error(`unknown measurement ${kind}`);
  }
  console.log(JSON.stringify({ baselineMiB: baseline, maxRssMiB: mib(), ...out }));
}

function hasSklearn(): string | null {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn, threadpoolctl'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'skipped: /usr/bin/python3 with python3-sklearn not found (apt-get install python3-sklearn)';
  }
}

type Row = { what: string; n: number; result: Record<string, unknown> | string };

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.file as string, Number(values.n));
  const only = new Set(values.only.split(','));
  const sizes = values.sizes.split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-maps-'));
  const rows: Row[] = [];
  const self = fileURLToPath(import.meta.url);
  const missing = hasSklearn();
  const report = (row: Row): void => {
    rows.push(row);
    console.error(`${row.what} n=${row.n}: ${typeof row.result === 'string' ? row.result : JSON.stringify(row.result)}`);
  };
  const runNode = (kind: string, file: string, n: number): Record<string, unknown> | string => {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', kind, '--file', file, '--n', `${n}`, '--d', `${d}`, '--seed', `${seed}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
    const after = ((performance.now() - t) / 1000).toFixed(0);
    if (r.status !== 0) return `failed after ${after} s (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').filter((l) => /heap|memory|Error/i.test(l)).slice(0, 2).join(' / ') || r.stderr.trim().split('\n').slice(-2).join(' / ')}`;
    return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
  };
  const runPython = (task: 'pca' | 'tsne', file: string, n: number, threads: number, labels: Int32Array, x: Float32Array): Record<string, unknown> | string => {
    const outFile = join(dir, `sklearn-${task}-${n}.f32`);
    const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'maps_sklearn.py'), task, file, `${n}`, `${d}`, `${seed}`, outFile], {
      env: { ...process.env, OMP_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}` },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) return `failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    if (task === 'tsne') {
      const yb = readFileSync(outFile);
      Object.assign(result, quality(x, floats(yb, n * 2), n, 2, labels));
    }
    return result;
  };
  try {
    for (const n of sizes) {
      const { x, labels } = syntheticVectors(n);
      const file = join(dir, `vectors-${n}.f32`);
      writeFileSync(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
      writeFileSync(`${file}.labels`, new Uint8Array(labels.buffer));
      if (only.has('pca')) {
        report({ what: 'ours: pca', n, result: runNode('pca', file, n) });
        for (const threads of [1, cpus().length]) report({ what: `sklearn PCA, ${threads} thread(s)`, n, result: missing ?? runPython('pca', file, n, threads, labels, x) });
      }
      if (only.has('knn') && n <= 10_000) report({ what: 'ours: nearest neighbours', n, result: runNode('knn', file, n) });
      if (only.has('umap')) report({ what: 'ours: umap', n, result: runNode('umap', file, n) });
      if (only.has('umap-js')) report({ what: 'umap-js alone', n, result: n <= Number(values['umap-js-max']) ? runNode('umap-js', file, n) : `skipped above --umap-js-max ${values['umap-js-max']}: see bench/README.md for its run at this size` });
      if (only.has('tsne') && n <= 10_000) {
        report({ what: 'ours: tsne', n, result: runNode('tsne', file, n) });
        for (const threads of [1, cpus().length]) report({ what: `sklearn TSNE, ${threads} thread(s)`, n, result: missing ?? runPython('tsne', file, n, threads, labels, x) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const meta = { d, seed, topics: TOPICS, cores: cpus().length, loadAverage: loadavg(), node: process.version };
  if (values.json) console.log(JSON.stringify({ ...meta, rows }, null, 2));
  else console.log(JSON.stringify(meta));
}

void main();
