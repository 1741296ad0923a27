// Entry of the `shirabe` command (bundled to dist/cli.cjs).
import { dirname, join } from 'node:path';
import { readVersion } from '../services';
import { runCli } from './cli';

const root = join(dirname(__filename), '..');
runCli(process.argv.slice(2), {
  root,
  version: readVersion(join(root, 'package.json')),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
