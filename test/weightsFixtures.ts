// Shared by the checkpoint-reader tests: the fixture bytes, and a WeightsError caught for its kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsError } from '../main/ml/weights/errors';

export const fixturesDir = join(__dirname, 'fixtures');

/** A file under test/fixtures/ as bytes. */
export const loadFixture = (path: string) => new Uint8Array(readFileSync(join(fixturesDir, path)));

export function weightsError(fn: () => unknown): WeightsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WeightsError) return err;
    throw new Error(`expected a WeightsError, got ${String(err)}`);
  }
  throw new Error('expected a WeightsError, but nothing was thrown');
}
