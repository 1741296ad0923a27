// The memory estimate against the peak tf.profile measures for one real step, on shapes and
// batches the coefficients were not fitted to (bench/memory.ts fitted them on L 1–3, H 64–192,
// B·T 4·32, 8·64, 2·128): within 25% of the measured peak.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BertShape } from '../../../common/bertSize';
import { estimatedPeak, probeStep, type ProbeKind } from '../testing/memoryProbe';
import { installFastGradients } from '../train/gradients';
import { estimate } from './estimate';
import { parseModelConfig } from './index';
import { wasmHeapBytes } from './memory';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
});

const heldOut: BertShape = { vocabSize: 2500, hiddenSize: 120, numLayers: 3, numHeads: 6, intermediateSize: 360, maxPositions: 512, typeVocabSize: 2 };

describe('memory estimate against tf.profile peaks on configs not used to fit it', () => {
  const cases: [ProbeKind, number, number][] = [
    ['full', 3, 48],
    ['full', 1, 160],
    ['lora', 3, 48],
    ['mlm', 3, 48],
    ['simcse', 3, 48],
    ['embed', 5, 96],
  ];
  for (const [kind, B, T] of cases) {
    it(`${kind}, ${B} × ${T} tokens on L3 H120 I360 6 heads`, async () => {
      const { peak } = await probeStep(kind, heldOut, B, T);
      const e = estimatedPeak(kind, heldOut, B, T);
      expect(Math.abs(e - peak) / peak).toBeLessThan(0.25);
    }, 60_000);
  }

  it("says a BERT-base's default fine-tuning (8 × 128) does not fit the 4 GiB WebAssembly heap, as measured", () => {
    // bench:attribution found 8 × 128 of BERT-base under the gradient tape past 3.4 GiB, aborting the worker.
    const { config } = parseModelConfig({ model_type: 'bert', vocab_size: 32768 });
    const e = estimate(config, 'sequence-classification', { numLabels: 9, batch: { batchSize: 8, maxLength: 128 } });
    expect(e.memoryBytes).toBeGreaterThan(wasmHeapBytes);
    // The old formula said 0.83 GB of activations; a step keeps several times that.
    expect(e.activationBytes).toBeGreaterThan(3.4 * 1024 ** 3);
    // LoRA at 4 × 64 fits.
    expect(estimate(config, 'sequence-classification', { numLabels: 9, method: 'lora', lora: { rank: 8, targets: ['query', 'value'] }, batch: { batchSize: 4, maxLength: 64 } }).memoryBytes).toBeLessThan(wasmHeapBytes);
  });
});
