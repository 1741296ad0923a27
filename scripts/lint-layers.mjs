import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers } from './layers.mjs';

const problems = checkLayers(join(dirname(fileURLToPath(import.meta.url)), '..'));
if (problems.length) {
  console.error(`Layer rule violations (see DESIGN.md, Architecture):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('layers: every import follows DESIGN.md');
