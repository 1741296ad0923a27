// Where tests find the repository's resources and the shared real data.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..');
export const fontPath = resolve(repoRoot, 'resources/fonts/ipaexg.ttf');
export const sharedData = resolve(repoRoot, '../shared/data');
export const hasSharedData = existsSync(resolve(sharedData, 'README.md'));
