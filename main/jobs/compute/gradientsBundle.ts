// Training in the compute worker needs tfjs's gradient configs, which Node cannot load from
// tfjs-core's ES modules: scripts/build.mjs bundles them as tfjsGradients.cjs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { installFastGradients } from '../../ml/train/gradients';

/** Registers tfjs's gradients (next to this bundle, or in dist/ when running from source), then ours over them. */
export function registerGradients(): void {
  const here = typeof __filename === 'string' && isAbsolute(__filename) ? __filename : '';
  const candidates = [here.endsWith('.cjs') ? join(dirname(here), 'tfjsGradients.cjs') : '', join(process.cwd(), 'dist', 'tfjsGradients.cjs')].filter(Boolean);
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`tfjs's gradients bundle is missing (${candidates.join(', ')}): run npm run build`);
  createRequire(file)(file);
  installFastGradients();
}
