// Builds everything into dist/: the CLI, the Electron main process and preload (esbuild),
// and the renderer (Vite). `--cli` builds only the CLI (bin/shirabe.cjs on a fresh checkout).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliOnly = process.argv.includes('--cli');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Dependencies stay in node_modules: native modules and packages that read their own data files.
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({ ...node, entryPoints: ['main/cli/index.ts'], outfile: 'dist/cli.cjs' });
// The compute worker: its own bundle, started by main/jobs/compute/client.ts from dist/.
await build({ ...node, entryPoints: ['main/jobs/compute/worker.ts'], outfile: 'dist/computeWorker.cjs' });
// tfjs-core's gradient configs exist only as ES modules that Node cannot load (extensionless
// imports) and its CommonJS bundle registers none: bundle them once for the worker. They register
// into tfjs's global registry and run on its global engine, so this copy serves the real one.
await build({ ...node, packages: undefined, entryPoints: ['node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js'], outfile: 'dist/tfjsGradients.cjs', sourcemap: false });
if (!cliOnly) {
  await build({ ...node, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', external: ['electron'] });
  // The sandboxed preload can require only 'electron': bundle everything else into it.
  await build({ ...node, packages: undefined, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] });
  const vite = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
