// The Hugging Face architecture fixtures (test/fixtures/hf/<name>: config.json, model.safetensors,
// reference.json from transformers) as the model tests read them, and a reference's inputs as a batch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource, type TensorReader } from '../main/ml/weights/types';

export const hfFixtures = join(__dirname, 'fixtures', 'hf');

/** What every reference.json holds: the inputs (tests add the outputs they compare). */
export interface FixtureInputs {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds: number[][] | null;
}

/** A fixture's config (with `patch` over it), its weights and its reference. */
export function readHfFixture<R extends FixtureInputs>(name: string, patch: Record<string, unknown> = {}): { raw: Record<string, unknown>; reader: TensorReader; ref: R } {
  const dir = join(hfFixtures, name);
  const raw = { ...(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>), ...patch };
  const reader = openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))));
  const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as R;
  return { raw, reader, ref };
}

/** A reference's inputs as an EncoderBatch. */
export function fixtureBatch(ref: FixtureInputs) {
  const [B, T] = [ref.inputIds.length, ref.inputIds[0].length];
  return {
    ids: Int32Array.from(ref.inputIds.flat()),
    attentionMask: Int32Array.from(ref.attentionMask.flat()),
    tokenTypeIds: ref.tokenTypeIds ? Int32Array.from(ref.tokenTypeIds.flat()) : undefined,
    batchSize: B,
    length: T,
  };
}
