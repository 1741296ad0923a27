// The registry by family and task, and the token-classification head (which no fixture covers)
// against a float64 computation from the model's own exported weights.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, normals } from '../../../../common/random';
import { expectNoLeakedTensors } from '../../testing/tensors';
import { openSafetensors } from '../../weights/safetensors';
import { bytesSource } from '../../weights/types';
import { familyTasks } from '../family';
import { architectureFor, architectures, architecturesFor, headFor, registry, supports } from '../registry';
import { loadEncoder } from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registry by family and task', () => {
  it('files every architecture under its family, each head under a task its family serves', () => {
    expect(registry['encoder-only'].map((a) => a.modelType).sort()).toEqual(['bert', 'distilbert', 'roberta', 'xlm-roberta']);
    expect(registry['decoder-only']).toEqual([]);
    for (const a of architectures()) {
      for (const [task, h] of Object.entries(a.heads)) {
        expect(familyTasks[a.family] as readonly string[]).toContain(task);
        expect(h!.head.task).toBe(task);
        // A head's parameters are its own, never the backbone's.
        for (const s of h!.params(a.parseConfig({ model_type: a.modelType, vocab_size: 10, hidden_size: 8, num_attention_heads: 2, dim: 8, n_heads: 2 }))) expect(s.group).not.toBe('encoder');
      }
      for (const t of a.loads) expect(supports(a, t)).toBe(true);
    }
  });

  it('finds architectures by task and refuses a head an architecture does not declare', () => {
    expect(architecturesFor('next-sentence').map((a) => a.modelType)).toEqual(['bert']);
    expect(architecturesFor('causal-lm')).toEqual([]);
    expect(architecturesFor('token-classification')).toHaveLength(4);
    expect(headFor(architectureFor('roberta'), 'sequence-classification').head.name).toBe('roberta');
    expect(() => headFor(architectureFor('distilbert'), 'next-sentence')).toThrow(/DistilBERT has no next-sentence head/);
  });
});

const hfDir = join(__dirname, '../../../../test/fixtures/hf');
const reference = (name: string) => JSON.parse(readFileSync(join(hfDir, name, 'reference.json'), 'utf8')) as { inputIds: number[][]; attentionMask: number[][]; tokenTypeIds: number[][] | null };

describe('token classification', () => {
  for (const name of ['bert-cls', 'xlm-roberta-cls', 'distilbert-cls']) {
    it(`${name}: classifier(h) at every position, as a float64 product of the exported weights`, async () => {
      await expectNoLeakedTensors(() => {
        const raw = { ...(JSON.parse(readFileSync(join(hfDir, name, 'config.json'), 'utf8')) as Record<string, unknown>), id2label: { 0: 'O', 1: 'B-X', 2: 'I-X', 3: 'L-X', 4: 'U-X' }, hidden_dropout_prob: 0.5, dropout: 0.5 };
        const reader = openSafetensors(bytesSource(new Uint8Array(readFileSync(join(hfDir, name, 'model.safetensors')))));
        // The sequence classifier's tensors are not read: a new token classifier (5 labels) takes their place.
        const { model } = loadEncoder(raw, reader, { tasks: ['token-classification'], skipGroups: ['classifier'] });
        expect(model.heads.classifier).toBe(false);
        expect(model.initHead('classifier', normals(mulberry32(4)))).toEqual(['classifier.weight', 'classifier.bias']);
        const ref = reference(name);
        const [B, T] = [ref.inputIds.length, ref.inputIds[0].length];
        const batch = { ids: Int32Array.from(ref.inputIds.flat()), attentionMask: Int32Array.from(ref.attentionMask.flat()), tokenTypeIds: ref.tokenTypeIds ? Int32Array.from(ref.tokenTypeIds.flat()) : undefined, batchSize: B, length: T };
        const [hidden] = model.forward(batch, { keep: [model.config.numLayers] });
        const logits = model.logits('token-classification', hidden);
        expect(logits.shape).toEqual([B, T, 5]);
        const h = hidden.dataSync();
        const got = logits.dataSync();
        const w = model.exportParam('classifier.weight'); // torch [K, H]
        const bias = model.exportParam('classifier.bias');
        const H = model.config.hiddenSize;
        let worst = 0;
        for (let r = 0; r < B * T; r++) {
          for (let k = 0; k < 5; k++) {
            let v = bias.data[k];
            for (let j = 0; j < H; j++) v += h[r * H + j] * w.data[k * H + j];
            worst = Math.max(worst, Math.abs(v - got[r * 5 + k]));
          }
        }
        expect(worst).toBeLessThan(1e-5);
        // Training drops the hidden states first, at the architecture's rate (BERT's classifier_dropout ?? hidden, DistilBERT's dropout): the logits change, the shape does not.
        let seed = 1;
        const dropped = model.logits('token-classification', hidden, { dropout: { seed: () => seed++ } });
        expect(dropped.shape).toEqual([B, T, 5]);
        expect(Array.from(dropped.dataSync())).not.toEqual(Array.from(got));
        tf.dispose([hidden, logits, dropped]);
        model.dispose();
      });
    });
  }
});
