import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHfFixture } from '../../../test/hfFixtures';
import { loadEncoder } from '../models/index';
import { expectNoLeakedTensors } from '../testing/tensors';
import type { TableLabels } from './labels';
import { TableFiller, TableHead, conv2dSame, defaultCnn, tableLoss, type TableHeadConfig } from './tableFiller';
import { wordBatch, type EncodedWords } from './words';

interface HeadReference {
  config: TableHeadConfig;
  weights: Record<string, number[]>;
  entityLogits: number[][];
  relationLogits: number[][];
  loss: number;
  grads: Record<string, number[]>;
}

interface Reference {
  layer: number;
  cls: number;
  sep: number;
  sentences: number[][][];
  entityTags: number[][];
  relationTables: number[][][];
  numEntityLabels: number;
  numRelationLabels: number;
  heads: Record<'biaffine' | 'cnn', HeadReference>;
}

const ref = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/tablefill/reference.json'), 'utf8')) as Reference;

function encoded(words: number[][]): EncodedWords {
  const ids = [ref.cls, ...words.flat(), ref.sep];
  const wordOf = [-1, ...words.flatMap((w, i) => w.map(() => i)), -1];
  return { ids, tokenTypeIds: ids.map(() => 0), wordOf, wordsKept: words.length, numWords: words.length };
}

const labels: TableLabels[] = ref.sentences.map((_, s) => ({ entity: Int32Array.from(ref.entityTags[s]), relation: Int32Array.from(ref.relationTables[s].flat()) }));

function loadModel() {
  const { raw, reader } = readHfFixture('bert-base');
  return loadEncoder(raw, reader).model;
}

function headOf(name: 'biaffine' | 'cnn', H: number): TableHead {
  const h = ref.heads[name];
  return TableHead.fromValues(h.config, H, ref.numEntityLabels, ref.numRelationLabels, new Map(Object.entries(h.weights).map(([k, v]) => [k, Float32Array.from(v)])));
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / Math.max(scale, 1e-12);
}

/** Sentence s's slice of padded [B, n, E] / [B, n, n, R] logits. */
function slice(data: Float32Array, s: number, n: number, m: number, k: number, square: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    if (square) for (let j = 0; j < m; j++) for (let r = 0; r < k; r++) out.push(data[((s * n + i) * n + j) * k + r]);
    else for (let r = 0; r < k; r++) out.push(data[(s * n + i) * k + r]);
  }
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('table filling against float64 PyTorch (scripts/fixtures/make_tablefill_fixtures.py)', () => {
  for (const name of ['biaffine', 'cnn'] as const) {
    it(`${name}: logits within 1e-5, loss and gradients (head and encoder) within 1e-4 relative`, async () => {
      const h = ref.heads[name];
      await expectNoLeakedTensors(() => {
        const model = loadModel();
        const head = headOf(name, model.config.hiddenSize);
        try {
          const filler = new TableFiller(model, head, ref.layer);
          const batch = wordBatch(ref.sentences.map(encoded), 0);
          const n = batch.maxWords;
          const E = ref.numEntityLabels;
          const R = ref.numRelationLabels;
          const logits = filler.logits(batch);
          const ent = logits.entity.dataSync() as Float32Array;
          const rel = logits.relation.dataSync() as Float32Array;
          tf.dispose([logits.entity, logits.relation]);
          expect([...logits.entity.shape]).toEqual([3, n, E]);
          ref.sentences.forEach((words, s) => {
            const m = words.length;
            expect(maxRelDiff(slice(ent, s, n, m, E, false), h.entityLogits[s])).toBeLessThan(1e-5);
            expect(maxRelDiff(slice(rel, s, n, m, R, true), h.relationLogits[s])).toBeLessThan(1e-5);
          });
          const vars = new Map<string, tf.Variable>([...head.variables, ['layer.0.query.weight', model.parameters().get('layer.0.query.weight')!], ['embeddings.norm.weight', model.parameters().get('embeddings.norm.weight')!]]);
          const keys = [...vars.keys()];
          for (const v of vars.values()) v.trainable = true; // the encoder's weights load frozen (the Trainer unfreezes what it trains)
          const { value, grads } = tf.variableGrads(() => filler.loss(batch, labels), keys.map((k) => vars.get(k)!));
          expect(Math.abs(value.dataSync()[0] - h.loss) / h.loss).toBeLessThan(1e-5);
          for (const k of keys) {
            const g = grads[vars.get(k)!.name];
            expect(g, k).toBeDefined();
            expect(maxRelDiff(g.dataSync(), h.grads[k]), k).toBeLessThan(1e-4);
          }
          tf.dispose([value, ...Object.values(grads)]);
        } finally {
          head.dispose();
          model.dispose();
        }
      });
    });

    it(`${name}: a sentence gives the same logits in a padded batch as alone, and cached word vectors the same as the encoder path`, async () => {
      await expectNoLeakedTensors(() => {
        const model = loadModel();
        const head = headOf(name, model.config.hiddenSize);
        try {
          const filler = new TableFiller(model, head, ref.layer);
          const batch = wordBatch(ref.sentences.map(encoded), 0);
          const n = batch.maxWords;
          const E = ref.numEntityLabels;
          const R = ref.numRelationLabels;
          const words = filler.words(batch);
          const together = filler.logits(batch, { words });
          const direct = filler.logits(batch);
          expect(maxRelDiff(together.relation.dataSync(), direct.relation.dataSync())).toBe(0);
          const ent = together.entity.dataSync() as Float32Array;
          const rel = together.relation.dataSync() as Float32Array;
          ref.sentences.forEach((sentence, s) => {
            const alone = filler.logits(wordBatch([encoded(sentence)], 0));
            const m = sentence.length;
            expect(maxRelDiff(slice(ent, s, n, m, E, false), alone.entity.dataSync())).toBeLessThan(1e-5);
            expect(maxRelDiff(slice(rel, s, n, m, R, true), alone.relation.dataSync())).toBeLessThan(1e-5);
            tf.dispose([alone.entity, alone.relation]);
          });
          // Padding cells do not change the loss: the batch's loss is the one of its cached path.
          const l1 = tableLoss(together, labels, batch.numWords);
          const l2 = filler.loss(batch, labels);
          expect(Math.abs(l1.dataSync()[0] - l2.dataSync()[0])).toBeLessThan(1e-6);
          // 'sum' is the mean terms times their counts (3 sentences: 13 words, 10 + 1 + 15 cells).
          const wordCount = ref.sentences.reduce((a, s) => a + s.length, 0);
          const cells = ref.sentences.reduce((a, s) => a + (s.length * (s.length - 1)) / 2, 0);
          const summed = tableLoss(together, labels, batch.numWords, 'sum');
          const byTerm = tf.tidy(() => {
            const e = tableLoss({ entity: together.entity, relation: tf.zeros([3, n, n, R]) as tf.Tensor4D }, labels, batch.numWords);
            const rOnly = tf.sub(l1, e);
            return tf.add(tf.mul(tf.sub(e, Math.log(R)), wordCount), tf.mul(tf.add(rOnly, Math.log(R)), cells));
          });
          expect(Math.abs(summed.dataSync()[0] - byTerm.dataSync()[0]) / summed.dataSync()[0]).toBeLessThan(1e-5);
          tf.dispose([summed, byTerm, words, together.entity, together.relation, direct.entity, direct.relation, l1, l2]);
        } finally {
          head.dispose();
          model.dispose();
        }
      });
    });
  }

  it('conv2dSame equals tf.conv2d with same padding (3 × 5 kernel)', async () => {
    await expectNoLeakedTensors(() => {
      const [x, f, b] = [tf.randomNormal([2, 4, 6, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 5, 3, 4], 0, 1, 'float32', 2), tf.randomNormal([4], 0, 1, 'float32', 3)] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      const ours = conv2dSame(x, f, b);
      const theirs = tf.tidy(() => tf.add(tf.conv2d(x, f, 1, 'same'), b));
      expect(maxRelDiff(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-6);
      tf.dispose([x, f, b, ours, theirs]);
    });
  });

  it("conv2dSame's own gradient equals tf.conv2d's (input, filter and bias)", async () => {
    await expectNoLeakedTensors(() => {
      const [x, f, b] = [tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 4), tf.randomNormal([3, 5, 3, 4], 0, 1, 'float32', 5), tf.randomNormal([4], 0, 1, 'float32', 6)] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      const w = tf.randomNormal([2, 5, 5, 4], 0, 1, 'float32', 7);
      // A loss that weighs every output differently, so a transposed or shifted gradient shows.
      const ours = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(conv2dSame(a as tf.Tensor4D, c as tf.Tensor4D, d), w)))([x, f, b]);
      const theirs = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(a as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'), d), w)))([x, f, b]);
      ours.forEach((g, i) => expect(maxRelDiff(g.dataSync(), theirs[i].dataSync()), `gradient ${i}`).toBeLessThan(1e-5));
      tf.dispose([x, f, b, w, ...ours, ...theirs]);
    });
  });

  it('initialises seeded heads, reads and loads them back', async () => {
    await expectNoLeakedTensors(async () => {
      const a = TableHead.init(defaultCnn, 32, 9, 5, 7);
      const b = TableHead.init(defaultCnn, 32, 9, 5, 7);
      const c = TableHead.init(defaultCnn, 32, 9, 5, 8);
      try {
        const va = await a.read();
        const vb = await b.read();
        const vc = await c.read();
        expect([...va.keys()]).toEqual(['table.cnn.layer.0.weight', 'table.cnn.layer.0.bias', 'table.cnn.layer.1.weight', 'table.cnn.layer.1.bias', 'table.entity.weight', 'table.entity.bias']);
        expect(va.get('table.cnn.layer.0.weight')).toEqual(vb.get('table.cnn.layer.0.weight'));
        expect(va.get('table.cnn.layer.0.weight')).not.toEqual(vc.get('table.cnn.layer.0.weight'));
        c.load(va);
        expect(await c.read()).toEqual(va);
        expect(() => c.load(new Map())).toThrow(/missing/);
      } finally {
        a.dispose();
        b.dispose();
        c.dispose();
      }
    });
  });
});
