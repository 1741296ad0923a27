// k-means speed (issue 17's target: k = 20 on 100,000 × 768 within 2× of scikit-learn): our
// main/ml/cluster kmeans beside scikit-learn's KMeans on the same float32 vectors in the same run,
// three ways: k-means++ seeding alone, Lloyd iterations from the same given centres (the hot
// loop, the fairest comparison: both do exactly the same iterations; ours also with Hamerly's
// pruning off, measuring every distance as sklearn's Lloyd does), and a whole fit with n_init
// restarts (iteration counts differ there, as the seeds do). Peak memory beside each.
//
// Run: npm run bench:kmeans [-- --n 100000] [--d 768] [--k 20] [--n-init 3] [--iters 10] [--json]
//
// The vectors are seeded synthetic "embeddings": 40 Gaussian topics in d dimensions (centres
// N(0, 0.35²), points centre + N(0, 1)), so k = 20 has to merge topics and Lloyd takes tens of
// iterations, as on real embeddings. The peer is Debian's python3-sklearn through /usr/bin/python3,
// run once with OMP_NUM_THREADS=1 and once with every core (sklearn's default); ours is one
// JavaScript thread. Without python3-sklearn the peer is skipped with a note.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deriveSeed, mulberry32, normals } from '../common/random';
import { kmeans } from '../main/ml/cluster';
import { root } from './common';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    d: { type: 'string', default: '768' },
    k: { type: 'string', default: '20' },
    'n-init': { type: 'string', default: '3' },
    iters: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(values.n), d = Number(values.d), k = Number(values.k);
const nInit = Number(values['n-init']), iters = Number(values.iters), seed = Number(values.seed);
const TOPICS = 40;

interface Peer {
  sklearn: string;
  threads: { api: string; threads: number }[];
  seedingSeconds: number;
  lloydSeconds: number;
  lloydIterations: number;
  lloydInertia: number;
  fitSeconds: number;
  fitIterationsOfBest: number;
  fitInertia: number;
  maxRssMiB: number;
}

function syntheticVectors(): Float32Array {
  const gauss = normals(mulberry32(deriveSeed(seed, 17)));
  const centres = Float32Array.from({ length: TOPICS * d }, () => 0.35 * gauss()); // [TOPICS, d]
  const pick = mulberry32(deriveSeed(seed, 18));
  const data = new Float32Array(n * d); // [n, d]
  for (let i = 0; i < n; i++) {
    const t = Math.floor(pick() * TOPICS);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[t * d + j] + gauss();
  }
  return data;
}

function hasSklearn(): string | null {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn, threadpoolctl'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'skipped: /usr/bin/python3 with python3-sklearn not found (apt-get install python3-sklearn)';
  }
}

function main(): void {
  const t0 = performance.now();
  const data = syntheticVectors();
  const vectors = { data, n, d };
  const generated = (performance.now() - t0) / 1000;
  // Starting centres for the Lloyd-only comparison: k vectors spread through the data.
  const init = new Float32Array(k * d); // [k, d]
  for (let c = 0; c < k; c++) init.set(data.subarray(Math.floor((c * n) / k) * d, (Math.floor((c * n) / k) + 1) * d), c * d);

  let t = performance.now();
  kmeans(vectors, { k, nInit: 1, maxIter: 1, seed });
  const seedingPlusOne = (performance.now() - t) / 1000;
  t = performance.now();
  const fixed = kmeans(vectors, { k, init, maxIter: iters, tol: 0 });
  const lloyd = (performance.now() - t) / 1000;
  t = performance.now();
  const plain = kmeans(vectors, { k, init, maxIter: iters, tol: 0, pruning: false });
  const lloydPlain = (performance.now() - t) / 1000;
  // k-means++ alone = (seeding + one iteration) − one iteration.
  const seeding = seedingPlusOne - lloyd / fixed.iterations;
  t = performance.now();
  const fit = kmeans(vectors, { k, nInit, seed });
  const fitSeconds = (performance.now() - t) / 1000;
  const ours = {
    seedingSeconds: seeding,
    lloydSeconds: lloyd, lloydIterations: fixed.iterations, lloydInertia: fixed.inertia,
    lloydPlainSeconds: lloydPlain, lloydPlainIterations: plain.iterations,
    fitSeconds, fitIterations: fit.restarts.map((r) => r.iterations), fitInertia: fit.inertia,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };

  const peers: Record<string, Peer | string> = {};
  const missing = hasSklearn();
  if (missing) peers.sklearn = missing;
  else {
    const dir = mkdtempSync(join(tmpdir(), 'shirabe-kmeans-'));
    try {
      const vPath = join(dir, 'vectors.f32');
      const iPath = join(dir, 'init.f32');
      writeFileSync(vPath, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      writeFileSync(iPath, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
      for (const threads of [1, cpus().length]) {
        const out = execFileSync('/usr/bin/python3', [join(root, 'bench', 'kmeans_sklearn.py'), vPath, `${n}`, `${d}`, `${k}`, `${nInit}`, '300', `${seed}`, iPath, `${iters}`], {
          env: { ...process.env, OMP_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}` },
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        peers[`sklearn, ${threads} thread${threads > 1 ? 's' : ''}`] = JSON.parse(out) as Peer;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const report = { n, d, k, nInit, iters, seed, topics: TOPICS, generatedSeconds: generated, cores: cpus().length, loadAverage: loadavg(), ours, peers };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  console.log(`k-means, k = ${k} on ${n.toLocaleString('en')} × ${d} float32 vectors (${TOPICS} synthetic topics, seed ${seed}); ${cpus().length} cores, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`ours (1 JavaScript thread): k-means++ ${ms(ours.seedingSeconds)}; Lloyd ${ms(ours.lloydSeconds / ours.lloydIterations)} / iteration (${ours.lloydIterations} from given centres, inertia ${ours.lloydInertia.toExponential(6)}; ${ms(ours.lloydPlainSeconds / ours.lloydPlainIterations)} measuring every distance); fit n_init=${nInit}: ${ours.fitSeconds.toFixed(1)} s, iterations ${ours.fitIterations.join('+')}, inertia ${ours.fitInertia.toExponential(6)}; peak RSS ${ours.maxRssMiB.toFixed(0)} MiB`);
  for (const [name, p] of Object.entries(peers)) {
    if (typeof p === 'string') {
      console.log(`${name}: ${p}`);
      continue;
    }
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(
      `${name} (${p.sklearn}): k-means++ ${ms(p.seedingSeconds)} (ours ${ratio(ours.seedingSeconds, p.seedingSeconds)}); Lloyd ${ms(p.lloydSeconds / p.lloydIterations)} / iteration (${p.lloydIterations}, inertia ${p.lloydInertia.toExponential(6)}; ours ${ratio(ours.lloydSeconds / ours.lloydIterations, p.lloydSeconds / p.lloydIterations)}); fit n_init=${nInit}: ${p.fitSeconds.toFixed(1)} s (ours ${ratio(ours.fitSeconds, p.fitSeconds)}), best restart ${p.fitIterationsOfBest} iterations, inertia ${p.fitInertia.toExponential(6)}; peak RSS ${p.maxRssMiB.toFixed(0)} MiB`,
    );
  }
}

main();
