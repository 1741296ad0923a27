// The import directions of DESIGN.md, checked on every source file:
//   common ← main/ml ← main/* ← electron,   common ← renderer
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNode = (spec) => spec.startsWith('node:') || builtins.has(spec.split('/')[0]);

/** Which layer a repository-relative path belongs to. */
export function layerOf(rel) {
  const p = rel.split(sep).join('/');
  if (p.startsWith('common/')) return 'common';
  if (p.startsWith('main/ml/')) return 'ml';
  if (p.startsWith('main/')) return 'main';
  if (p.startsWith('electron/')) return 'electron';
  if (p.startsWith('renderer/')) return 'renderer';
  return null;
}

const rules = {
  common: { layers: ['common'], node: false, packages: (s) => s === 'zod' },
  ml: { layers: ['common', 'ml'], node: false, packages: (s) => !/^(better-sqlite3|electron)$/.test(s) },
  main: { layers: ['common', 'ml', 'main'], node: true, packages: (s) => s !== 'electron' },
  electron: { layers: ['common', 'ml', 'main', 'electron'], node: true, packages: () => true },
  renderer: { layers: ['common', 'renderer'], node: false, packages: (s) => !/^(electron|better-sqlite3|ws)$/.test(s) },
};

const isTest = (file) => /\.test\.tsx?$/.test(file);

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

export function importsOf(source) {
  return [...source.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(importPattern)].map((m) => m[1]);
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name)) yield full;
  }
}

/** Every import that breaks a layer rule, as "file: message". */
export function checkLayers(root) {
  const problems = [];
  for (const top of ['common', 'main', 'electron', 'renderer']) {
    let dir;
    try {
      dir = statSync(join(root, top)) && join(root, top);
    } catch {
      continue;
    }
    for (const file of sourceFiles(dir)) {
      const rel = relative(root, file);
      const layer = layerOf(rel);
      const rule = rules[layer];
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec));
          const targetLayer = layerOf(target + (target.includes(sep) ? '' : sep));
          if (targetLayer && !rule.layers.includes(targetLayer)) {
            problems.push(`${rel}: ${layer} must not import ${targetLayer} ('${spec}')`);
          }
        } else if (isNode(spec)) {
          // Tests beside the code may read their fixtures; the rule is about what ships.
          if (!rule.node && !isTest(file)) problems.push(`${rel}: ${layer} must not import Node's '${spec}'`);
        } else if (isTest(file) && spec === 'vitest') {
          continue;
        } else if (!rule.packages(spec)) {
          problems.push(`${rel}: ${layer} must not import '${spec}'`);
        }
      }
    }
  }
  return problems;
}
