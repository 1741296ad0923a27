#!/usr/bin/env node
// `shirabe` / `npx shirabe`: runs the bundled CLI, building it first on a fresh checkout.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('shirabe: building the command line tool once (npm run build)…\n');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--cli'], { stdio: 'inherit', cwd: root });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
require(cli);
