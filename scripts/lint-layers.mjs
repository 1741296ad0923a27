// `npm run lint`: the layer allow-list of scripts/layers.mjs over common, main, electron and renderer.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers } from './layers.mjs';

const problems = checkLayers(join(dirname(fileURLToPath(import.meta.url)), '..'));
if (problems.length) {
  console.error(
    `Layer rule violations (see DESIGN.md, Architecture; the allow-list is \`layers\` in scripts/layers.mjs):\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log('layers: every import is in its layer\'s allow-list, and main\'s folders import each other without a cycle');
