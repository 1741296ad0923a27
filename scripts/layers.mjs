// The import directions of DESIGN.md ("Architecture") as an allow-list, in the manner of VS Code's
// layer checker: every layer names the npm packages and the folders it may import, and anything it
// does not name is refused. Between main's folders the allowed graph is acyclic, and the imports
// actually found are checked for cycles too:
//   common ← main/ml ← main/<folder>… ← electron,   common ← renderer
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * One entry per layer. `dir` is the folder the layer is (repository-relative); `folders` the other
 * layers' folders it may import (its own is always allowed); `packages` the npm packages its
 * shipped code may import; `testPackages` what its *.test.ts(x) files may import besides (every
 * test may also import vitest, Node's built-ins and test/); `node` whether shipped code may import
 * Node's built-ins. Main's folders are layers of their own, so `folders` is also the graph between
 * them.
 */
export const layers = [
  { dir: 'common', node: false, packages: ['zod'], folders: [] },
  {
    dir: 'renderer',
    node: false,
    packages: ['react', 'react-dom', 'react-i18next', 'i18next', '@mantine/core', '@mantine/hooks', '@tanstack/react-virtual', 'echarts'],
    folders: ['common'],
  },
  // The model library: data in, data out. No fs, no worker_threads, no SQLite, no backend choice
  // (a test picks the cpu backend for itself). onnx-proto encodes ONNX graphs as bytes; only the
  // compute worker runs them (onnxruntime-node, main/jobs), except in the parity tests.
  {
    dir: 'main/ml',
    node: false,
    packages: ['@tensorflow/tfjs-core', '@huggingface/tokenizers', 'umap-js', 'ml-matrix', 'onnx-proto'],
    testPackages: ['@tensorflow/tfjs-backend-cpu', 'onnxruntime-node'],
    folders: ['common'],
  },
  { dir: 'main/corpus', node: true, packages: ['iconv-lite', 'exceljs', 'kuromoji'], folders: ['common'] },
  { dir: 'main/project', node: true, packages: ['better-sqlite3'], folders: ['common', 'main/corpus'] },
  { dir: 'main/modelFolders', node: true, packages: [], folders: ['common', 'main/ml', 'main/corpus'] },
  // The Hugging Face Hub: search, model info and verified, resumable downloads into the models folder.
  { dir: 'main/hub', node: true, packages: [], folders: ['common', 'main/ml'] },
  {
    dir: 'main/jobs',
    node: true,
    // The native backends are optional dependencies, loaded by name at run time (compute/backends.ts);
    // onnxruntime-node likewise (compute/onnx.ts: inference, with tfjs as the fallback).
    packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'onnxruntime-node'],
    folders: ['common', 'main/ml', 'main/corpus', 'main/modelFolders'],
  },
  {
    dir: 'main/services',
    node: true,
    packages: ['pdfkit', 'svg-to-pdfkit', 'hyparquet-writer'],
    folders: ['common', 'main/ml', 'main/corpus', 'main/project', 'main/modelFolders', 'main/jobs', 'main/hub'],
  },
  { dir: 'main/server', node: true, packages: ['ws'], folders: ['common', 'main/services'] },
  { dir: 'main/cli', node: true, packages: ['commander', 'zod'], folders: ['common', 'main/services', 'main/server'] },
  { dir: 'electron', node: true, packages: ['electron'], folders: ['common', 'main/services', 'main/server'] },
];

/** What every test file may import besides its layer's allow-list. */
const testAllowance = { packages: ['vitest'], folders: ['test'] };

const roots = ['common', 'main', 'electron', 'renderer'];

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNode = (spec) => spec.startsWith('node:') || builtins.has(spec);
const isTest = (file) => /\.test\.tsx?$/.test(file);
const toPosix = (p) => p.split(sep).join('/');
const list = (items) => (items.length ? items.join(', ') : 'none');

/** The npm package a bare specifier names: '@scope/name/sub/path' → '@scope/name', 'name/sub' → 'name'. */
export function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module specifier a source file imports, re-exports, import()s or require()s. */
export function importsOf(source) {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Where a repository-relative path lies: its layer's dir ('main/ml', 'renderer', …), 'test', or
 * `main/<name>` for a folder of main the table does not know (layer undefined), or null elsewhere.
 */
function placeOf(rel, table) {
  const p = toPosix(rel);
  const layer = table.find((l) => p === l.dir || p.startsWith(`${l.dir}/`));
  if (layer) return { dir: layer.dir, layer };
  const top = p.split('/');
  if (top[0] === 'main') return { dir: top.length > 1 ? `main/${top[1]}` : 'main', layer: undefined };
  if (top[0] === 'test') return { dir: 'test', layer: undefined };
  return null;
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name)) yield full;
  }
}

const isDir = (p) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Every cycle of a graph (Map node → Set of nodes), each once, as its path back to the start: [a, b, a]. */
export function cyclesOf(graph) {
  const cycles = [];
  const seen = new Set();
  const nodes = [...graph.keys()].sort();
  // Elementary cycles through each start node, visiting only nodes after it in order, so each
  // cycle is found once, from its smallest node.
  for (const [i, start] of nodes.entries()) {
    const allowed = new Set(nodes.slice(i));
    const walk = (node, path) => {
      for (const next of [...(graph.get(node) ?? [])].sort()) {
        if (next === start) {
          const key = path.join('→');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push([...path, start]);
          }
        } else if (allowed.has(next) && !path.includes(next)) {
          walk(next, [...path, next]);
        }
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

const short = (dir) => dir.replace(/^main\//, '');
const describeCycle = (cycle) => cycle.map(short).join(' → ');

/** Every import that breaks the allow-list, and every cycle between main's folders, as messages naming the file. */
export function checkLayers(root, table = layers) {
  const problems = [];

  // The table itself: main's folders must not be allowed to import each other in a cycle.
  const allowedGraph = new Map(table.filter((l) => l.dir.startsWith('main/')).map((l) => [l.dir, new Set(l.folders.filter((f) => f.startsWith('main/')))]));
  for (const cycle of cyclesOf(allowedGraph)) {
    problems.push(`scripts/layers.mjs: the allow-list lets main folders import each other in a cycle: ${describeCycle(cycle)}`);
  }

  // A folder of main the table does not name has no rules: say so instead of passing it silently.
  if (isDir(join(root, 'main'))) {
    for (const name of readdirSync(join(root, 'main')).sort()) {
      const rel = `main/${name}`;
      if (name.startsWith('.') || table.some((l) => l.dir === rel)) continue;
      problems.push(
        isDir(join(root, rel))
          ? `${rel}/: a top-level folder of main that the layer allow-list does not know; add it to \`layers\` in scripts/layers.mjs with the packages and main folders it may import (and to the main folders that may import it)`
          : `${rel}: a file directly in main/ belongs to no layer; move it into one of main's folders (${table.filter((l) => l.dir.startsWith('main/')).map((l) => short(l.dir)).join(', ')})`,
      );
    }
  }

  const found = new Map(); // main folder → (main folder → first file that imports it)
  for (const top of roots) {
    if (!isDir(join(root, top))) continue;
    for (const file of sourceFiles(join(root, top))) {
      const rel = toPosix(relative(root, file));
      const layer = placeOf(rel, table)?.layer;
      if (!layer) continue; // an unknown folder of main, reported above
      const test = isTest(file);
      const packages = [...layer.packages, ...(test ? [...(layer.testPackages ?? []), ...testAllowance.packages] : [])];
      const folders = [...layer.folders, ...(test ? testAllowance.folders : [])];
      const where = `${rel}: ${layer.dir}${test ? ' (test)' : ''}`;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = toPosix(relative(root, resolve(dirname(file), spec)));
          const place = placeOf(target, table);
          if (place?.dir === layer.dir) continue;
          if (!place) {
            problems.push(`${where} imports '${spec}' (${target}), outside every layer; it may import the folders ${list([layer.dir, ...folders])}`);
            continue;
          }
          if (layer.dir.startsWith('main/') && place.dir.startsWith('main/')) {
            if (!found.has(layer.dir)) found.set(layer.dir, new Map());
            if (!found.get(layer.dir).has(place.dir)) found.get(layer.dir).set(place.dir, rel);
          }
          if (!folders.includes(place.dir)) {
            const unknown = place.dir.startsWith('main') && !place.layer ? ', a main folder the allow-list does not know' : '';
            problems.push(`${where} imports ${place.dir} ('${spec}')${unknown}; it may import the folders ${list(folders)}`);
          }
        } else if (isNode(spec)) {
          if (!layer.node && !test) {
            problems.push(`${where} imports Node's '${spec}'; ${layer.dir} runs without Node's built-ins (only its *.test.ts files may use them)`);
          }
        } else if (!packages.includes(packageOf(spec))) {
          problems.push(`${where} imports the package '${spec}', which is not in its allow-list; it may import the packages ${list(packages)}`);
        }
      }
    }
  }

  // The imports found, whatever the table says: a cycle between main's folders is an error of its own.
  const foundGraph = new Map([...found].map(([from, tos]) => [from, new Set(tos.keys())]));
  for (const cycle of cyclesOf(foundGraph)) {
    const evidence = cycle.slice(0, -1).map((from, i) => `${found.get(from).get(cycle[i + 1])} imports ${cycle[i + 1]}`);
    problems.push(`main folders import each other in a cycle: ${describeCycle(cycle)} (${evidence.join('; ')})`);
  }
  return problems;
}
