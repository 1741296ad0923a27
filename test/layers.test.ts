// The layer lint (scripts/layers.mjs) fed small trees with one bad import each: it refuses what the
// allow-list does not name, a cycle between main's folders and a folder it does not know, and the
// repository itself passes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkLayers, cyclesOf, importsOf, layers, packageOf } from '../scripts/layers.mjs';
import { repoRoot } from './paths';

interface Layer {
  dir: string;
  node: boolean;
  packages: string[];
  testPackages?: string[];
  folders: string[];
}
const check = checkLayers as (root: string, table?: Layer[]) => string[];
const table = layers as Layer[];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The problems for one file added to an otherwise empty tree. */
const problemsOf = (path: string, text: string) => check(tree({ [path]: text }));

describe('import specifiers', () => {
  it('finds every form and nothing inside strings or comments', () => {
    const source = [
      `import a from 'x';`,
      `import { b } from "../y";`,
      `import type { T } from './t';`,
      `export * from './e';`,
      `const c = require('z');`,
      `await import('w');`,
      `import 'side';`,
      `const s = "from 'nope'"; // import 'no'`,
      `/* import 'no2' */ const t = \`import('no3')\`;`,
    ].join('\n');
    expect(importsOf(source)).toEqual(['x', '../y', './t', './e', 'z', 'w', 'side']);
  });

  it('names the package of a deep or scoped specifier', () => {
    expect(packageOf('echarts/core')).toBe('echarts');
    expect(packageOf('@mantine/core/styles.css')).toBe('@mantine/core');
    expect(packageOf('@tensorflow/tfjs-core/dist/register_all_gradients')).toBe('@tensorflow/tfjs-core');
  });
});

describe('layer allow-list', () => {
  it('the repository follows it', () => {
    expect(check(repoRoot)).toEqual([]);
  });

  it("refuses main/ml importing Node's fs", () => {
    expect(problemsOf('main/ml/weights/read.ts', `import { readFileSync } from 'node:fs';`)).toEqual([
      "main/ml/weights/read.ts: main/ml imports Node's 'node:fs'; main/ml runs without Node's built-ins (only its *.test.ts files may use them)",
    ]);
    expect(problemsOf('main/ml/a.ts', `import { Worker } from 'worker_threads';`)).toHaveLength(1);
  });

  it('refuses main/ml importing a native package', () => {
    expect(problemsOf('main/ml/store.ts', `import Database from 'better-sqlite3';`)).toEqual([
      "main/ml/store.ts: main/ml imports the package 'better-sqlite3', which is not in its allow-list; it may import the packages @tensorflow/tfjs-core, @huggingface/tokenizers, umap-js, ml-matrix, onnx-proto",
    ]);
    const [tfNode] = problemsOf('main/ml/a.ts', `import '@tensorflow/tfjs-node';`);
    expect(tfNode).toContain("main/ml imports the package '@tensorflow/tfjs-node', which is not in its allow-list");
  });

  it('refuses main/ml importing electron', () => {
    expect(problemsOf('main/ml/a.ts', `import { app } from 'electron';`)).toEqual([
      "main/ml/a.ts: main/ml imports the package 'electron', which is not in its allow-list; it may import the packages @tensorflow/tfjs-core, @huggingface/tokenizers, umap-js, ml-matrix, onnx-proto",
    ]);
  });

  it('lets a main/ml test use Node, vitest, the cpu backend and test/, but not shipped code', () => {
    const ok = `import { readFileSync } from 'node:fs';\nimport { it } from 'vitest';\nimport '@tensorflow/tfjs-backend-cpu';\nimport { repoRoot } from '../../../test/paths';\nimport * as tf from '@tensorflow/tfjs-core';`;
    expect(problemsOf('main/ml/models/encoder.test.ts', ok)).toEqual([]);
    const problems = problemsOf('main/ml/models/encoder.ts', ok);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toContain("main/ml/models/encoder.ts: main/ml imports the package 'vitest'");
    expect(problems.join('\n')).toContain("main/ml/models/encoder.ts: main/ml imports the package '@tensorflow/tfjs-backend-cpu'");
    expect(problems.join('\n')).toContain("main/ml/models/encoder.ts: main/ml imports test ('../../../test/paths'); it may import the folders common");
  });

  it('refuses main/ml importing another folder of main', () => {
    expect(problemsOf('main/ml/a.ts', `import { s } from '../project/store';`)).toEqual([
      "main/ml/a.ts: main/ml imports main/project ('../project/store'); it may import the folders common",
    ]);
  });

  it('refuses renderer importing ws', () => {
    expect(problemsOf('renderer/src/api.ts', `import WebSocket from 'ws';`)).toEqual([
      "renderer/src/api.ts: renderer imports the package 'ws', which is not in its allow-list; it may import the packages react, react-dom, react-i18next, i18next, @mantine/core, @mantine/hooks, @tanstack/react-virtual, echarts",
    ]);
  });

  it("refuses renderer importing Node's fs or main, even in a test", () => {
    const problems = problemsOf('renderer/src/a.test.ts', `import { readFileSync } from 'fs';\nimport { s } from '../../main/services';`);
    expect(problems).toEqual(["renderer/src/a.test.ts: renderer (test) imports main/services ('../../main/services'); it may import the folders common, test"]);
    expect(problemsOf('renderer/src/a.tsx', `import { readFileSync } from 'fs';`)).toEqual([
      "renderer/src/a.tsx: renderer imports Node's 'fs'; renderer runs without Node's built-ins (only its *.test.ts files may use them)",
    ]);
  });

  it('refuses common importing react', () => {
    expect(problemsOf('common/contract/x.ts', `import { useState } from 'react';`)).toEqual([
      "common/contract/x.ts: common imports the package 'react', which is not in its allow-list; it may import the packages zod",
    ]);
  });

  it('refuses main importing electron or renderer, and electron importing main/project', () => {
    const problems = check(
      tree({
        'main/services/a.ts': `import { app } from 'electron';\nimport { r } from '../../renderer/src/api';\nimport { m } from '../../electron/menu';`,
        'electron/b.ts': `import { p } from '../main/project/store';\nimport { s } from '../main/services';\nimport { app } from 'electron';`,
      }),
    );
    expect(problems).toEqual([
      "main/services/a.ts: main/services imports the package 'electron', which is not in its allow-list; it may import the packages pdfkit, svg-to-pdfkit, hyparquet-writer",
      "main/services/a.ts: main/services imports renderer ('../../renderer/src/api'); it may import the folders common, main/ml, main/corpus, main/project, main/modelFolders, main/jobs, main/hub",
      "main/services/a.ts: main/services imports electron ('../../electron/menu'); it may import the folders common, main/ml, main/corpus, main/project, main/modelFolders, main/jobs, main/hub",
      "electron/b.ts: electron imports main/project ('../main/project/store'); it may import the folders common, main/services, main/server",
    ]);
  });

  it('refuses a cycle between main/corpus and main/project, naming the files', () => {
    const problems = check(
      tree({
        'main/corpus/readers/csv.ts': `import { Store } from '../../project/store';`,
        'main/project/store.ts': `import { tokenize } from '../corpus/morphology';`,
      }),
    );
    expect(problems).toEqual([
      "main/corpus/readers/csv.ts: main/corpus imports main/project ('../../project/store'); it may import the folders common",
      'main folders import each other in a cycle: corpus → project → corpus (main/corpus/readers/csv.ts imports main/project; main/project/store.ts imports main/corpus)',
    ]);
  });

  it('finds a longer cycle, and one through allowed edges if the table allowed it', () => {
    const cyclic = table.map((l) => (l.dir === 'main/corpus' ? { ...l, folders: [...l.folders, 'main/services'] } : l));
    const problems = check(
      tree({
        'main/corpus/a.ts': `import { s } from '../services';`,
        'main/services/index.ts': `import { p } from '../project/store';`,
        'main/project/store.ts': `import { c } from '../corpus/a';`,
      }),
      cyclic,
    );
    expect(problems).toContain('scripts/layers.mjs: the allow-list lets main folders import each other in a cycle: corpus → services → corpus');
    expect(problems).toContain('scripts/layers.mjs: the allow-list lets main folders import each other in a cycle: corpus → services → project → corpus');
    expect(problems.filter((p) => p.startsWith('main folders'))).toEqual([
      'main folders import each other in a cycle: corpus → services → project → corpus (main/corpus/a.ts imports main/services; main/services/index.ts imports main/project; main/project/store.ts imports main/corpus)',
    ]);
    // Every edge of the cycle is allowed by this table, so the cycle check alone catches it.
    expect(problems.filter((p) => p.startsWith('main/'))).toEqual([]);
  });

  it('refuses a folder of main it does not know, and imports into it', () => {
    const problems = check(tree({ 'main/plugins/a.ts': `import fs from 'node:fs';`, 'main/services/b.ts': `import { a } from '../plugins/a';` }));
    expect(problems).toEqual([
      'main/plugins/: a top-level folder of main that the layer allow-list does not know; add it to `layers` in scripts/layers.mjs with the packages and main folders it may import (and to the main folders that may import it)',
      "main/services/b.ts: main/services imports main/plugins ('../plugins/a'), a main folder the allow-list does not know; it may import the folders common, main/ml, main/corpus, main/project, main/modelFolders, main/jobs, main/hub",
    ]);
  });

  it('refuses a file directly in main/', () => {
    expect(problemsOf('main/util.ts', `export const x = 1;`)).toEqual([
      'main/util.ts: a file directly in main/ belongs to no layer; move it into one of main\'s folders (ml, corpus, project, modelFolders, hub, jobs, services, server, cli)',
    ]);
  });

  it('has an acyclic allowed graph between main folders, naming only folders that exist in the table', () => {
    const graph = new Map(table.filter((l) => l.dir.startsWith('main/')).map((l) => [l.dir, new Set(l.folders.filter((f) => f.startsWith('main/')))]));
    expect(cyclesOf(graph)).toEqual([]);
    const dirs = new Set(table.map((l) => l.dir));
    for (const l of table) for (const f of l.folders) expect(dirs.has(f), `${l.dir} allows ${f}`).toBe(true);
  });
});
