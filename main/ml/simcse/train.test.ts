// SimCSE training on the default model: the held-out contrastive loss falls; a run resumed from a
// checkpoint ends with exactly the uninterrupted run's weights; no tensor is left behind.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../common/random';
import { loadEncoder, type EncoderModel } from '../models/index';
import type { PretrainCheckpoint } from '../pretrain/pretrain';
import { expectNoLeakedTensors } from '../testing/tensors';
import { installFastGradients } from '../train/gradients';
import { openSafetensors } from '../weights/safetensors';
import { bytesSource } from '../weights/types';
import { SimCseTraining, type SimCseSettings } from './train';

const dir = join(__dirname, '../../../resources/models/shirabe-tiny-ja');
const load = (): EncoderModel => loadEncoder(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>, openSafetensors(bytesSource(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))))).model;

/** Sentences of seeded vocabulary ids between [CLS] (2) and [SEP] (3). */
function sentences(n: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => [2, ...Array.from({ length: 6 + Math.floor(rand() * 6) }, () => 1000 + Math.floor(rand() * 3000)), 3]);
}

const settings: SimCseSettings = { learningRate: 3e-4, epochs: 2, batchSize: 8, gradientAccumulation: 1, weightDecay: 0, warmupRatio: 0, maxGradNorm: 1, seed: 11, checkpointEvery: 3, evalSeeds: [0, 1], temperature: 0.05 };
const data = { train: sentences(40, 1), heldOut: sentences(16, 2), padId: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
});

describe('SimCseTraining', () => {
  it('lowers the held-out contrastive loss, and a resumed run ends exactly as an uninterrupted one', async () => {
    await expectNoLeakedTensors(async () => {
      const model = load();
      const run = new SimCseTraining(model, data, settings);
      let checkpoint: PretrainCheckpoint | null = null;
      const gen = run.run();
      let next = await gen.next();
      for (; !next.done; next = await gen.next()) if (next.value.type === 'checkpoint' && (await run.checkpoint()).step === 3) checkpoint = (await run.checkpoint());
      const outcome = next.value;
      expect(outcome.steps).toBe(10);
      expect(outcome.final.loss).toBeLessThan(outcome.initial.loss);
      const finalValues = (await run.checkpoint()).values;
      run.dispose();
      model.dispose();

      // From the checkpoint after step 3, in a fresh model.
      const again = load();
      const resumed = new SimCseTraining(again, data, settings, checkpoint!);
      const gen2 = resumed.run();
      let n2 = await gen2.next();
      while (!n2.done) n2 = await gen2.next();
      expect(n2.value.final.loss).toBe(outcome.final.loss);
      for (const [key, v] of (await resumed.checkpoint()).values) expect(v, key).toEqual(finalValues.get(key));
      resumed.dispose();
      again.dispose();
    });
  }, 120_000);
});
