// Whether the topic map stays interactive at 100,000 documents (issue 17): the map view of the built
// app in browser mode (`shirabe serve` and headless Chromium, as the end-to-end tests drive it),
// beside bare ECharts drawing the same points on a page of its own in the same browser.
//
// Run: npm run bench:mapview [-- --sizes 10000,100000] [--opens 5] [--hovers 20] [--zooms 10]
//        [--pans 10] [--peers plain,whole,groups,groups-large] [--workdir DIR] [--seed 1] [--json]
//
// Per size, a project is made through the services (as bench/common.ts's freshProject does):
// n short synthetic Japanese documents imported, a synthetic embedding run saved straight into the
// store (d = 16, 20 Gaussian topics: centres N(0, 3²), points centre + N(0, 1)), then a PCA map and
// a k-means clustering (k = 20, one restart) made by the app's own jobs. The clustering analyses
// every document's morphemes for its labels, which is most of the setup time. With --workdir the
// projects are kept there and reused by a later run.
//
// Then the services are shut down and the project is opened by `shirabe serve`. In the page:
//   open    from the click on the clustering's "open" to the map drawn with its clusters' colours
//           (the page's click event to the moment ECharts has drawn an option with a series per
//           cluster and has nothing left to draw); also when the first points were drawn, which may
//           be before the assignment arrives (then every point is drawn grey, as unassigned)
//   hover   the mouse moved from beside the chart onto a point (a pixel ECharts' own hit test
//           finds a point at): from the mousemove event to the tooltip shown in the DOM
//   zoom    one wheel notch over the middle of the plot, in and out in turn: from the wheel event
//           to ECharts' 'finished' after its dataZoom
//   pan     with the map's pan tool (zoomed in three notches first, so there is room to pan), one
//           30-pixel mousemove of a drag, right and back in turn: from the mousemove to 'finished'
// Every time is taken inside the page (event.timeStamp and performance.now()), not in Node, so
// Playwright's round trips are not in them (the app's CSP forbids eval, so the waits are in the
// probe too). The screen shows a change at the next frame after it (at most 16.7 ms later at
// 60 Hz); the JSON has that frame too. A zoom or pan step is also split into the input's delivery
// (event to its handler in the page), ECharts' processing (handler to its 'datazoom' event) and
// drawing (to 'finished'); an open reports how much of it the main thread spent in long tasks.
// Chromium runs with --disable-gpu as in the end-to-end tests, so canvases are drawn in software;
// Electron on a desktop draws them with the GPU, which this does not measure. Peak RSS of the
// `shirabe serve` process is its VmHWM (Linux). The renderer and server come from dist/ (built
// when missing): after pulling, run `npm run build`, or serve may refuse a project the sources
// just made with a newer schema.
//
// The peers, in a fresh page of the same browser: a div of the map canvas's size and ECharts'
// own full build (node_modules/echarts/dist/echarts.min.js), with the app's grid, axes, tooltip
// and inside dataZoom, drawing the same n points as
//   plain   one scatter series, large: true, everything else ECharts' defaults (large mode draws
//           progressively above 10,000 points, 5,000 a frame)
//   whole   the same, progressive: 0 (every point in one frame)
//   groups  one series per cluster with the app's series settings, as the map draws them (large:
//           true, largeThreshold 2000: a cluster of fewer points is drawn as separate symbols)
//   groups-large  the same with largeThreshold 1, every cluster in large mode
// Their "open" is init + setOption to drawn, the data already in the page: what ECharts itself
// costs, so the difference is the app's own (fetching the points, React, the legend, the labels).
//
// How the map's ECharts instance is reached without any hook in the renderer: from the chart's
// div, its React fiber, up to the component whose ref holds an object with convertToPixel and
// getZr (TopicMap's `chart` ref). ECharts' private `_scheduler.unfinished`, `__pendingUpdate` and
// `_pendingActions` tell when it has nothing left to draw (its own test for 'finished').
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clusterConfigSchema, mapConfigSchema } from '../common/contract';
import { deriveSeed, mulberry32, normals } from '../common/random';
import { buildServices, type Services } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { importAndWait, percentile, root, syntheticText } from './common';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    opens: { type: 'string', default: '5' },
    hovers: { type: 'string', default: '20' },
    zooms: { type: 'string', default: '10' },
    pans: { type: 'string', default: '10' },
    peers: { type: 'string', default: 'plain,whole,groups,groups-large' },
    workdir: { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const opens = Number(values.opens);
const hovers = Number(values.hovers);
const zooms = Number(values.zooms);
const pans = Number(values.pans);
const peerKinds = values.peers.split(',').filter(Boolean) as PeerKind[];
const seed = Number(values.seed);
const TOPICS = 20;
const D = 16;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const echartsPath = join(root, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
const log = (s: string) => (values.json ? process.stderr : process.stdout).write(`${s}\n`);

type PeerKind = 'plain' | 'whole' | 'groups' | 'groups-large';
for (const p of peerKinds) if (!['plain', 'whole', 'groups', 'groups-large'].includes(p)) throw new Error(`unknown peer ${p} (plain, whole, groups, groups-large)`);

// ---------------------------------------------------------------------------------------------
// The project: documents, a synthetic embedding run, a PCA map and a k-means clustering.

interface Prepared {
  n: number;
  projectPath: string;
  clusterRunId: number;
  mapRunId: number;
  /** [2n] the map's coordinates, in the map's point order. */
  coords: Float32Array;
  /** [n] each point's cluster. */
  clusters: Int32Array;
  setup: { seconds: Record<string, number>; reused: boolean };
}

async function servicesAt(dir: string): Promise<Services> {
  return buildServices({
    mode: 'browser',
    version: 'bench',
    settings: fileSettings(join(dir, 'settings.json')),
    fontPath: join(root, 'resources', 'fonts', 'ipaexg.ttf'),
  });
}

/** n short documents (40–120 characters: the map does not depend on length, the clustering's morpheme analysis does), each of a planted topic, its label. */
function writeCsv(dir: string, n: number): { path: string; topics: Int32Array } {
  const rand = mulberry32(deriveSeed(seed, n, 1));
  const topics = new Int32Array(n);
  const lines = ['title,label,text'];
  for (let i = 0; i < n; i++) {
    topics[i] = Math.floor(rand() * TOPICS);
    lines.push(`文書${i + 1},topic${topics[i]},${syntheticText(rand, 40 + Math.floor(rand() * 80))}`);
  }
  const path = join(dir, `synthetic-${n}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, topics };
}

async function prepare(n: number, dir: string): Promise<Prepared> {
  mkdirSync(dir, { recursive: true });
  const projectPath = join(dir, 'bench.shirabe');
  const marker = join(dir, 'prepared.json');
  const services = await servicesAt(dir);
  const h = services.handlers;
  const seconds: Record<string, number> = {};
  let ids: { clusterRunId: number; mapRunId: number };
  const reused = existsSync(marker) && existsSync(projectPath);
  try {
    if (reused) {
      await h['project.open']({ path: projectPath });
      ids = JSON.parse(readFileSync(marker, 'utf8')) as typeof ids;
    } else {
      rmSync(projectPath, { force: true });
      await h['project.create']({ path: projectPath });
      let t = performance.now();
      const { path: csv, topics } = writeCsv(dir, n);
      await importAndWait(services, csv, { name: `synthetic-${n}`, textColumn: 'text', titleColumn: 'title', labelColumn: 'label' });
      seconds.import = (performance.now() - t) / 1000;
      rmSync(csv);
      const corpusId = (await h['corpus.list']({}))[0].id;
      const store = services.projects.require();
      const docs = store.documents.texts(corpusId);
      if (docs.length !== n) throw new Error(`imported ${docs.length} documents, expected ${n}`);
      const gauss = normals(mulberry32(deriveSeed(seed, n, 2)));
      const centres = Float32Array.from({ length: TOPICS * D }, () => 3 * gauss());
      const vectors = new Float32Array(n * D);
      for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) vectors[i * D + j] = centres[topics[i] * D + j] + gauss();
      const embeddingRunId = store.embeddings.save(
        {
          corpusId,
          model: { name: 'synthetic-blobs', path: '/none', hash: 'none', modelType: 'synthetic' },
          pooling: 'mean',
          layer: -1,
          maxLength: 32,
          batchSize: 8,
          truncation: 'head',
          seed,
          dimensions: D,
          truncatedDocuments: 0,
          backend: 'synthetic',
          versions: {},
          seconds: 0,
        },
        docs.map((d) => d.id),
        vectors,
      );
      t = performance.now();
      const map = await h['maps.start'](mapConfigSchema.parse({ embeddingRunId, method: 'pca' }));
      const cluster = await h['topics.cluster'](
        clusterConfigSchema.parse({
          embeddingRunId,
          algorithm: { kind: 'kmeans', k: TOPICS, restarts: 1 },
          labels: { words: 10, minDf: 10, maxDfShare: 1, stopWords: [], diversity: null },
        }),
      );
      for (const [what, jobId] of [['map', map.jobId], ['cluster', cluster.jobId]] as const) {
        const job = await services.jobs.wait(jobId);
        if (job.error !== null || job.status !== 'done') throw new Error(`${what} job ${job.status}: ${JSON.stringify(job.error)}`);
        seconds[what] = (performance.now() - t) / 1000;
      }
      ids = { clusterRunId: cluster.runId, mapRunId: map.runId };
      writeFileSync(marker, JSON.stringify(ids));
    }
    const points = await h['maps.points']({ runId: ids.mapRunId });
    const assignment = await h['topics.assignments']({ runId: ids.clusterRunId });
    const clusterOf = new Map<number, number>();
    assignment.documentIds.forEach((id, i) => clusterOf.set(id, assignment.clusters[i]));
    const clusters = Int32Array.from(points.documentIds, (id) => clusterOf.get(id) ?? -2);
    if (points.documentIds.length !== n) throw new Error(`the map has ${points.documentIds.length} points, expected ${n}`);
    return { n, projectPath, ...ids, coords: points.coords, clusters, setup: { seconds, reused } };
  } finally {
    await services.shutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// In the page: the probe, plain JavaScript injected into the app's page and the peers' page alike.

const probe = String.raw`(() => {
  if (window.__bench) return;
  const now = () => performance.now();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(now())));
  let chartSelector = null;
  const results = {};
  const chartDom = () => document.querySelector(chartSelector);
  /** The ECharts instance of a chart div: the peer's own, or the one TopicMap keeps in a ref (found through React's fiber). */
  function findChart(el) {
    if (!el) return null;
    if (el.__benchChart) return el.__benchChart;
    const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
    for (let f = key ? el[key] : null; f; f = f.return) {
      if (typeof f.type === 'string') continue;
      for (let h = f.memoizedState; h && typeof h === 'object' && 'next' in h; h = h.next) {
        const s = h.memoizedState;
        if (s && typeof s === 'object' && 'current' in s && s.current && typeof s.current.convertToPixel === 'function' && typeof s.current.getZr === 'function') return s.current;
      }
    }
    return null;
  }
  /** ECharts' own test before it triggers 'finished': nothing pending, nothing left to draw progressively. */
  const settled = (c) => c.getZr().animation.isFinished() && !c.__pendingUpdate && !c._scheduler.unfinished && !c._pendingActions.length;
  const tooltipEl = (dom) => (dom ? Array.from(dom.children).find((c) => c.tagName === 'DIV' && !c.querySelector('canvas')) : null);
  const tooltipVisible = (el) => !!el && el.innerHTML !== '' && el.style.display !== 'none' && el.style.visibility !== 'hidden';
  const withTimeout = (ms, executor) =>
    new Promise((resolve) => {
      let done = false;
      const cleanups = [];
      const finish = (v) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        for (const c of cleanups) c();
        resolve(v);
      };
      const timer = setTimeout(() => finish(null), ms);
      executor(finish, (c) => cleanups.push(c));
    });

  window.__bench = {
    setChart(selector) {
      chartSelector = selector;
    },
    result(name) {
      return results[name];
    },
    chartBox() {
      const r = chartDom().getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    },
    /** Resolves once the tooltip is hidden (true), or false after ms. */
    async tooltipHidden(ms) {
      const t0 = now();
      while (tooltipVisible(tooltipEl(chartDom()))) {
        if (now() - t0 > ms) return false;
        await sleep(10);
      }
      return true;
    },
    /** Waits until the chart has drawn everything and nothing was drawn for quietMs. */
    async settle(quietMs) {
      const chart = findChart(chartDom());
      let last = now();
      const onRendered = () => (last = now());
      chart.on('rendered', onRendered);
      const t0 = now();
      while (!(settled(chart) && now() - last >= quietMs) && now() - t0 < 30000) await sleep(10);
      chart.off('rendered', onRendered);
      return settled(chart);
    },
    /**
     * Page coordinates of the first count candidates (data coordinates) inside the plot where ECharts'
     * own hit test finds a point on top (not a cluster's label drawn over it).
     */
    hoverTargets(candidates, count, grid) {
      const dom = chartDom();
      const chart = findChart(dom);
      const r = dom.getBoundingClientRect();
      const w = dom.clientWidth;
      const h = dom.clientHeight;
      const handler = chart.getZr().handler;
      const out = [];
      for (const c of candidates) {
        const p = chart.convertToPixel({ gridIndex: 0 }, c);
        if (!p) continue;
        const X = Math.round(r.left + p[0]);
        const Y = Math.round(r.top + p[1]);
        const x = X - r.left;
        const y = Y - r.top;
        if (x < grid.left + 5 || x > w - grid.right - 5 || y < grid.top + 5 || y > h - grid.bottom - 5) continue;
        const hit = handler.findHover(x, y);
        // A label is a text element; a point is a large series' path (findDataIndex) or, below largeThreshold, a symbol path.
        if (!hit || !hit.target || hit.target.type === 'text' || hit.target.type === 'tspan') continue;
        out.push([X, Y]);
        if (out.length >= count) break;
      }
      return out;
    },
    /** The middle of the plot, in page coordinates. */
    plotCentre(grid) {
      const dom = chartDom();
      const r = dom.getBoundingClientRect();
      return [Math.round(r.left + grid.left + (dom.clientWidth - grid.left - grid.right) / 2), Math.round(r.top + grid.top + (dom.clientHeight - grid.top - grid.bottom) / 2)];
    },
    /** Arms the measurement of the next mousemove to the tooltip shown. */
    armHover() {
      const dom = chartDom();
      results.hover = withTimeout(5000, (finish, onEnd) => {
        let start = null;
        let handled = null;
        const onMove = (e) => {
          if (start !== null) return;
          start = e.timeStamp;
          handled = now();
        };
        addEventListener('mousemove', onMove, { capture: true });
        onEnd(() => removeEventListener('mousemove', onMove, { capture: true }));
        const mo = new MutationObserver(() => {
          if (start === null || !tooltipVisible(tooltipEl(dom))) return;
          const shown = now();
          mo.disconnect();
          nextFrame().then((frame) => finish({ start, handled, shown, frame }));
        });
        mo.observe(dom, { subtree: true, childList: true, attributes: true, characterData: true });
        onEnd(() => mo.disconnect());
      });
    },
    /** Arms the measurement of the next input event of a type to the chart's dataZoom drawn ('finished' after 'datazoom'). */
    armAction(type) {
      const chart = findChart(chartDom());
      results.action = withTimeout(15000, (finish, onEnd) => {
        let start = null;
        let handled = null;
        let zoomed = null;
        let rendered = null;
        const onInput = (e) => {
          if (start !== null) return;
          start = e.timeStamp;
          handled = now();
        };
        addEventListener(type, onInput, { capture: true });
        const onZoom = () => {
          if (start !== null && zoomed === null) zoomed = now();
        };
        const onRendered = () => {
          if (zoomed !== null && rendered === null) rendered = now();
        };
        const onFinished = () => {
          if (zoomed === null) return;
          const done = now();
          nextFrame().then((frame) => finish({ start, handled, zoomed, rendered, done, frame }));
        };
        chart.on('datazoom', onZoom);
        chart.on('rendered', onRendered);
        chart.on('finished', onFinished);
        onEnd(() => {
          removeEventListener(type, onInput, { capture: true });
          chart.off('datazoom', onZoom);
          chart.off('rendered', onRendered);
          chart.off('finished', onFinished);
        });
      });
    },
    /**
     * Arms the measurement of opening the clustering's page: from the next click to the map of n points
     * drawn with k clusters coloured (data-clusters = k) and settled; then 1.5 s more to see later redraws.
     */
    armOpen(n, k) {
      const selector = '[data-testid="topic-map"][data-points="' + n + '"]';
      // Coloured: the map's option has a series per cluster (TopicMap's "group-<cluster>"), not only the unassigned group it draws before the assignment arrives.
      const coloured = (c) => c.getModel().getSeries().filter((s) => /^group-\d+$/.test(String(s.id))).length === k;
      results.open = withTimeout(180000, (finish, onEnd) => {
        let click = null;
        let chart = null;
        let attached = null;
        const draws = [];
        let colouredDraw = null;
        const onClick = (e) => {
          if (click === null) click = e.timeStamp;
        };
        addEventListener('click', onClick, { capture: true });
        // The main thread's long tasks (over 50 ms) meanwhile: the page's own work, beside waiting for the server.
        const longTasks = [];
        const po = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) longTasks.push([e.startTime, e.duration]);
        });
        po.observe({ type: 'longtask' });
        onEnd(() => po.disconnect());
        const drawn = (t) => {
          draws.push(t);
          if (colouredDraw !== null || !coloured(chart)) return;
          colouredDraw = t;
          nextFrame().then((frame) =>
            sleep(1500).then(() => {
              // Each long task's part between the click and the coloured draw.
              const before = longTasks.map(([t0, d]) => Math.max(0, Math.min(t0 + d, colouredDraw) - Math.max(t0, click))).filter((d) => d > 0);
              finish({
                click,
                attached,
                firstDraw: draws[0],
                colouredDraw,
                colouredFrame: frame,
                lastDraw: draws[draws.length - 1],
                draws: draws.length,
                longTaskMs: before.reduce((a, d) => a + d, 0),
                longestTaskMs: before.reduce((a, d) => Math.max(a, d), 0),
              });
            }),
          );
        };
        const onFinished = () => drawn(now());
        const check = () => {
          if (click === null || chart) return;
          const card = document.querySelector(selector);
          const dom = card && card.querySelector('[data-testid="topic-map-canvas"]');
          const c = dom && dom.querySelector('canvas') ? findChart(dom) : null;
          if (!c) return;
          chart = c;
          attached = now();
          chart.on('finished', onFinished);
          onEnd(() => chart.off('finished', onFinished));
          // setOption draws at once: by this microtask after React's effects the first draw is done (unless it is progressive, then 'finished' follows).
          if (settled(chart)) drawn(attached);
        };
        const mo = new MutationObserver(check);
        mo.observe(document.body, { subtree: true, childList: true, attributes: true });
        onEnd(() => {
          mo.disconnect();
          removeEventListener('click', onClick, { capture: true });
        });
      });
    },
    /** Peer page: the points (and their clusters, for the groups peer) kept in the page. */
    peerData(coords, clusters, k) {
      const xy = Float32Array.from(coords);
      const groups = [];
      for (let c = 0; c < k; c++) {
        const idx = [];
        for (let i = 0; i < clusters.length; i++) if (clusters[i] === c) idx.push(i);
        const data = new Float32Array(2 * idx.length);
        idx.forEach((p, j) => {
          data[2 * j] = xy[2 * p];
          data[2 * j + 1] = xy[2 * p + 1];
        });
        groups.push(data);
      }
      window.__peerData = { xy, groups };
    },
    /** Peer page: a fresh chart of the kind, timed from init to everything drawn. */
    async peerDraw(kind, grid, symbolSize) {
      const dom = chartDom();
      if (dom.__benchChart) {
        dom.__benchChart.dispose();
        dom.__benchChart = null;
      }
      await nextFrame();
      await nextFrame();
      const { xy, groups } = window.__peerData;
      const palette = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
      const series =
        kind === 'groups' || kind === 'groups-large'
          ? groups.map((data, c) => ({
              id: 'group-' + c,
              name: 'cluster ' + c,
              type: 'scatter',
              data,
              dimensions: ['x', 'y'],
              large: true,
              largeThreshold: kind === 'groups-large' ? 1 : 2000,
              progressive: 20000,
              progressiveThreshold: 50000,
              symbolSize,
              itemStyle: { color: palette[c % palette.length], opacity: 0.75 },
              emphasis: { scale: false },
            }))
          : [{ type: 'scatter', data: xy, dimensions: ['x', 'y'], large: true, symbolSize, ...(kind === 'whole' ? { progressive: 0 } : {}) }];
      const option = {
        animation: false,
        grid,
        xAxis: { type: 'value', scale: true, splitLine: { show: false }, axisLine: { onZero: false } },
        yAxis: { type: 'value', scale: true, splitLine: { show: false }, axisLine: { onZero: false } },
        tooltip: { trigger: 'item', confine: true, showDelay: 0, transitionDuration: 0 },
        dataZoom: [
          { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
          { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
        ],
        series,
      };
      const start = now();
      const chart = echarts.init(dom, null, { renderer: 'canvas' });
      dom.__benchChart = chart;
      let firstDraw = null;
      chart.on('rendered', () => firstDraw === null && (firstDraw = now()));
      const finished = new Promise((r) => chart.on('finished', () => r(now())));
      chart.setOption(option);
      const returned = now();
      const done = settled(chart) ? returned : await finished;
      const frame = await nextFrame();
      return { start, firstDraw, done, frame };
    },
  };
})();`;

interface Grid {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
/** TopicMap's grid. */
const grid: Grid = { left: 40, right: 190, top: 16, bottom: 30 };
const symbolSizeFor = (n: number) => (n > 20_000 ? 2 : n > 2_000 ? 4 : 7);

/** Calls window.__bench[method](...args) in the page and awaits it. */
async function call<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.__bench.${method}(...${JSON.stringify(args)})`) as Promise<T>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Latencies {
  /** The headline latency of each successful trial (ms). */
  ms: number[];
  /** Trials that timed out (no tooltip, no redraw). */
  failed: number;
  /** Every trial's raw in-page times. */
  raw: unknown[];
}
const latencies = (): Latencies => ({ ms: [], failed: 0, raw: [] });

interface Subject {
  name: string;
  open: Latencies;
  /** Open to the first points drawn (the app: possibly before the colours arrived). */
  firstDraw: Latencies;
  hover: Latencies;
  zoom: Latencies;
  pan: Latencies;
  heapMiB: number | null;
}
const subject = (name: string): Subject => ({ name, open: latencies(), firstDraw: latencies(), hover: latencies(), zoom: latencies(), pan: latencies(), heapMiB: null });

/** Seeded candidates for hovering: random points of the map. */
function hoverCandidates(p: Prepared): [number, number][] {
  const rand = mulberry32(deriveSeed(seed, p.n, 3));
  return Array.from({ length: 400 }, () => {
    const i = Math.floor(rand() * p.n);
    return [p.coords[2 * i], p.coords[2 * i + 1]];
  });
}

/** Hover, zoom and pan on the chart the probe was pointed at; pan needs room, so it zooms in first. */
async function interact(page: Page, p: Prepared, s: Subject, beforePan: () => Promise<void>): Promise<void> {
  const box = await call<{ x: number; y: number; width: number; height: number }>(page, 'chartBox');
  const park = { x: Math.max(1, box.x - 6), y: box.y + box.height / 2 };
  await page.mouse.move(park.x, park.y);
  await call(page, 'settle', 300);
  const targets = await call<[number, number][]>(page, 'hoverTargets', hoverCandidates(p), hovers, grid);
  if (targets.length < hovers) log(`  ${s.name}: only ${targets.length} hover targets found`);
  for (const [x, y] of targets) {
    await page.mouse.move(park.x, park.y);
    if (!(await call<boolean>(page, 'tooltipHidden', 10_000))) throw new Error(`${s.name}: the tooltip stayed shown with the mouse beside the chart`);
    await call(page, 'settle', 100);
    await call(page, 'armHover');
    await page.mouse.move(x, y);
    const r = await call<{ start: number; shown: number; frame: number } | null>(page, 'result', 'hover');
    s.hover.raw.push(r);
    if (r) s.hover.ms.push(r.shown - r.start);
    else s.hover.failed++;
    // The app fetches the document's title for the tooltip: let it arrive before the next trial.
    await sleep(150);
  }

  let [cx, cy] = await call<[number, number]>(page, 'plotCentre', grid);
  const action = async (type: 'wheel' | 'mousemove', act: () => Promise<void>, into: Latencies | null) => {
    await call(page, 'settle', 150);
    await call(page, 'armAction', type);
    await act();
    const r = await call<{ start: number; zoomed: number; rendered: number | null; done: number; frame: number } | null>(page, 'result', 'action');
    if (!into) return;
    into.raw.push(r);
    if (r) into.ms.push(r.done - r.start);
    else into.failed++;
  };
  await page.mouse.move(cx, cy);
  for (let i = 0; i < zooms; i++) await action('wheel', () => page.mouse.wheel(0, i % 2 === 0 ? -100 : 100), s.zoom);
  // Back to the whole map if an odd number of notches left it zoomed in.
  if (zooms % 2 === 1) await action('wheel', () => page.mouse.wheel(0, 100), null);

  await beforePan();
  // The tool bar may have been scrolled into view: the plot's middle again.
  [cx, cy] = await call<[number, number]>(page, 'plotCentre', grid);
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 3; i++) await action('wheel', () => page.mouse.wheel(0, -100), null);
  await call(page, 'settle', 300);
  await page.mouse.down();
  for (let i = 0; i < pans; i++) await action('mousemove', () => page.mouse.move(i % 2 === 0 ? cx + 30 : cx, cy), s.pan);
  await page.mouse.up();
}

async function jsHeapMiB(page: Page): Promise<number | null> {
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    await cdp.detach();
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
    return used === undefined ? null : used / 2 ** 20;
  } catch {
    return null;
  }
}

/** `shirabe serve --json PROJECT` from the build, as test/e2eHarness.ts starts it. */
async function startServer(p: Prepared, configDir: string): Promise<{ url: string; server: ChildProcess; stop(): Promise<number | null> }> {
  const server = spawn(process.execPath, [join(root, 'bin', 'shirabe.cjs'), 'serve', '--json', p.projectPath], {
    env: { ...process.env, SHIRABE_CONFIG_DIR: configDir, LANG: 'ja_JP.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (d: Buffer) => log(`  serve: ${d.toString().trimEnd()}`));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        /* partial */
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  /** Stops the server; its peak RSS (VmHWM) in MiB, read just before. */
  const stop = async () => {
    let peak: number | null = null;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
      if (m) peak = Number(m[1]) / 1024;
    } catch {
      /* not Linux */
    }
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    return peak;
  };
  return { url, server, stop };
}

async function measureApp(browser: Browser, p: Prepared, dir: string): Promise<{ app: Subject; serverPeakMiB: number | null; canvas: { width: number; height: number } }> {
  const s = subject('app');
  const { url, stop } = await startServer(p, join(dir, 'config'));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  let canvas = { width: 0, height: 0 };
  let serverPeakMiB: number | null = null;
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`  page error: ${e.message}`));
    await page.addInitScript({ content: probe });
    await page.goto(url);
    await page.getByTestId('nav-maps').click();
    const row = page.getByTestId('cluster-runs').getByTestId('runs-row').first();
    for (let r = 0; r < opens; r++) {
      await page.waitForSelector('[data-testid="cluster-runs"] [data-testid="runs-row"][data-status="done"]', { timeout: 60_000 });
      await sleep(300);
      await call(page, 'armOpen', p.n, TOPICS);
      await row.getByTestId('runs-open').click();
      const o = await call<{ click: number; firstDraw: number; colouredDraw: number; lastDraw: number; draws: number; longTaskMs: number; longestTaskMs: number } | null>(page, 'result', 'open');
      s.open.raw.push(o);
      if (o) {
        s.open.ms.push(o.colouredDraw - o.click);
        s.firstDraw.ms.push(o.firstDraw - o.click);
        log(
          `  app open ${r + 1}/${opens}: ${fmt(o.colouredDraw - o.click)} ms (first points ${fmt(o.firstDraw - o.click)} ms, ${o.draws} draws; ` +
            `main thread in long tasks ${fmt(o.longTaskMs)} ms of it, the longest ${fmt(o.longestTaskMs)} ms)`,
        );
      } else {
        s.open.failed++;
        log(`  app open ${r + 1}/${opens}: no coloured map within 180 s`);
      }
      if (r < opens - 1) await page.getByTestId('run-back').click();
    }
    await page.locator(`[data-testid="topic-map"][data-points="${p.n}"]`).waitFor({ timeout: 60_000 });
    await page.getByTestId('topic-map-canvas').scrollIntoViewIfNeeded();
    await call(page, 'setChart', '[data-testid="topic-map"] [data-testid="topic-map-canvas"]');
    const box = await call<{ width: number; height: number }>(page, 'chartBox');
    canvas = { width: Math.round(box.width), height: Math.round(box.height) };
    s.heapMiB = await jsHeapMiB(page);
    await interact(page, p, s, async () => {
      await page.locator('[data-testid="map-tool"] label[for$="-pan"]').click();
      await sleep(200);
    });
    log(`  app: hover ${summary(s.hover)}, zoom ${summary(s.zoom)}, pan ${summary(s.pan)} ms`);
  } finally {
    await context.close();
    serverPeakMiB = await stop();
  }
  return { app: s, serverPeakMiB, canvas };
}

async function measurePeer(browser: Browser, p: Prepared, kind: PeerKind, canvas: { width: number; height: number }): Promise<Subject> {
  const s = subject(`echarts ${kind}`);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`  page error: ${e.message}`));
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><title>ECharts peer</title></head>` +
        `<body style="margin:0;padding:40px 24px"><div id="chart" style="width:${canvas.width}px;height:${canvas.height}px"></div></body></html>`,
    );
    await page.addScriptTag({ path: echartsPath });
    await page.addScriptTag({ content: probe });
    await call(page, 'setChart', '#chart');
    await call(page, 'peerData', Array.from(p.coords), Array.from(p.clusters), TOPICS);
    for (let r = 0; r < opens; r++) {
      const d = await call<{ start: number; firstDraw: number | null; done: number }>(page, 'peerDraw', kind, grid, symbolSizeFor(p.n));
      s.open.raw.push(d);
      s.open.ms.push(d.done - d.start);
      if (d.firstDraw !== null) s.firstDraw.ms.push(d.firstDraw - d.start);
    }
    s.heapMiB = await jsHeapMiB(page);
    await interact(page, p, s, async () => undefined);
    log(`  ${s.name}: draw ${summary(s.open)}, hover ${summary(s.hover)}, zoom ${summary(s.zoom)}, pan ${summary(s.pan)} ms`);
    return s;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
function stats(l: Latencies): { median: number; p95: number; n: number; failed: number } | null {
  if (l.ms.length === 0) return null;
  const sorted = [...l.ms].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length, failed: l.failed };
}
function summary(l: Latencies): string {
  const s = stats(l);
  if (!s) return l.failed ? `all ${l.failed} failed` : '—';
  return `${fmt(s.median)} / ${fmt(s.p95)}${l.failed ? ` (${l.failed} failed)` : ''}`;
}

/** Medians of an action's phases: input delivery, ECharts' processing, drawing. */
function phases(l: Latencies): string {
  const raw = l.raw.filter((x): x is { start: number; handled: number; zoomed: number; done: number } => x !== null);
  if (raw.length === 0) return '—';
  const med = (f: (x: (typeof raw)[number]) => number) => fmt(percentile(raw.map(f).sort((a, b) => a - b), 50));
  return `${med((x) => x.handled - x.start)} / ${med((x) => x.zoomed - x.handled)} / ${med((x) => x.done - x.zoomed)}`;
}

function buildIfMissing(): void {
  if (existsSync(join(root, 'dist', 'renderer', 'index.html')) && existsSync(join(root, 'dist', 'cli.cjs'))) return;
  log('dist/ is missing: npm run build');
  execSync('npm run build', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) throw new Error(`needs Chromium at ${chromiumPath} (or CHROMIUM_PATH)`);
  buildIfMissing();
  const loadStart = loadavg();
  let loadMax = loadStart[0];
  const sampler = setInterval(() => (loadMax = Math.max(loadMax, loadavg()[0])), 5000);
  const base = values.workdir ?? mkdtempSync(join(tmpdir(), 'shirabe-bench-mapview-'));
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
    } catch {
      return null;
    }
  })();
  log(`map view benchmark: sizes ${sizes.join(', ')}; ${opens} opens, ${hovers} hovers, ${zooms} zooms, ${pans} pan steps; peers ${peerKinds.join(', ')}`);
  log(`${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, commit ${commit}; load average at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  const results: {
    n: number;
    setup: Prepared['setup'];
    canvas: { width: number; height: number };
    serverPeakMiB: number | null;
    subjects: Subject[];
  }[] = [];
  let browserVersion = '';
  try {
    for (const n of sizes) {
      const dir = join(base, `map-${n}`);
      log(`\n${n.toLocaleString('en')} documents: preparing the project in ${dir}`);
      const p = await prepare(n, dir);
      log(
        p.setup.reused
          ? '  reused the project made by an earlier run'
          : `  import ${p.setup.seconds.import.toFixed(1)} s, PCA map done after ${p.setup.seconds.map.toFixed(1)} s, clustering after ${p.setup.seconds.cluster.toFixed(1)} s`,
      );
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      browserVersion = browser.version();
      try {
        const { app, canvas, serverPeakMiB } = await measureApp(browser, p, dir);
        const subjects = [app];
        for (const kind of peerKinds) subjects.push(await measurePeer(browser, p, kind, canvas));
        results.push({ n, setup: p.setup, canvas, serverPeakMiB, subjects });
      } finally {
        await browser.close();
      }
    }
  } finally {
    clearInterval(sampler);
    if (!values.workdir) rmSync(base, { recursive: true, force: true });
  }
  const loadEnd = loadavg();
  loadMax = Math.max(loadMax, loadEnd[0]);

  if (values.json) {
    const out = {
      date: new Date().toISOString(),
      commit,
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.versions.node, chromium: browserVersion },
      load: { start: loadStart, end: loadEnd, max1min: loadMax },
      sizes: results.map((r) => ({
        ...r,
        subjects: r.subjects.map((s) => ({
          name: s.name,
          heapMiB: s.heapMiB,
          open: { ...stats(s.open), samples: s.open.ms, raw: s.open.raw },
          firstDraw: { ...stats(s.firstDraw), samples: s.firstDraw.ms },
          hover: { ...stats(s.hover), samples: s.hover.ms, raw: s.hover.raw },
          zoom: { ...stats(s.zoom), samples: s.zoom.ms, raw: s.zoom.raw },
          pan: { ...stats(s.pan), samples: s.pan.ms, raw: s.pan.raw },
        })),
      })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  console.log(`\nChromium ${browserVersion} (headless, --disable-gpu); times in ms, median / p95, measured in the page`);
  console.log('| documents | page | open → map drawn | first points drawn | hover → tooltip | zoom notch → drawn | pan step → drawn | page JS heap |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    for (const s of r.subjects) {
      const heap = s.heapMiB === null ? '—' : `${s.heapMiB.toFixed(0)} MiB`;
      console.log(`| ${r.n.toLocaleString('en')} | ${s.name} | ${summary(s.open)} | ${summary(s.firstDraw)} | ${summary(s.hover)} | ${summary(s.zoom)} | ${summary(s.pan)} | ${heap} |`);
    }
  }
  console.log('\nWhere a zoom notch and a pan step go (medians, ms): input event to its handler in the page / ECharts processing the dataZoom (handler to its datazoom event) / drawing (to finished)');
  console.log('| documents | page | zoom: input / process / draw | pan: input / process / draw |');
  console.log('| ---: | --- | ---: | ---: |');
  for (const r of results) {
    for (const s of r.subjects) console.log(`| ${r.n.toLocaleString('en')} | ${s.name} | ${phases(s.zoom)} | ${phases(s.pan)} |`);
  }
  for (const r of results) {
    console.log(`${r.n.toLocaleString('en')}: map canvas ${r.canvas.width} × ${r.canvas.height}; peak RSS of shirabe serve ${r.serverPeakMiB === null ? '—' : `${r.serverPeakMiB.toFixed(0)} MiB`}`);
  }
  console.log(`load average (1 min) at start ${loadStart[0].toFixed(2)}, at end ${loadEnd[0].toFixed(2)}, highest sampled ${loadMax.toFixed(2)} on ${cpus().length} cores (other work may share them)`);
}

await main();
