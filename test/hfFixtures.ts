// The Hugging Face architecture fixtures (test/fixtures/hf/<name>: config.json, model.safetensors,
// reference.json from transformers) as the model tests read them, and a reference's inputs as a batch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
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

/** An ONNX graph (bytes, or a file with its external data beside it) run once by onnxruntime's CPU provider on one thread: every output by name. */
export async function runOnnxGraph(graph: string | Uint8Array, model: { config: { typeVocabSize: number } }, batch: ReturnType<typeof fixtureBatch>): Promise<Record<string, Float32Array>> {
  const session = typeof graph === 'string' ? await ort.InferenceSession.create(graph, { intraOpNumThreads: 1, interOpNumThreads: 1 }) : await ort.InferenceSession.create(graph, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const dims = [batch.batchSize, batch.length];
  const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), dims);
  const feeds: Record<string, ort.Tensor> = { input_ids: int64(batch.ids), attention_mask: int64(batch.attentionMask) };
  if (model.config.typeVocabSize > 0) feeds.token_type_ids = int64(batch.tokenTypeIds ?? new Int32Array(batch.ids.length));
  const out = await session.run(feeds);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
}
