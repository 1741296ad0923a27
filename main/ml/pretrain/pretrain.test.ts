// Masked-LM pretraining against independent references: the loss at chosen positions equals a
// float64 cross-entropy over transformers' own logits for the fixture BERT; the tied decoder's
// gradient is the sum of the embedding-side and decoder-side gradients of the same model untied;
// a small BERT from scratch learns (held-out loss far below ln V), a run resumed from a
// checkpoint ends exactly as an uninterrupted one, the saved folder reloads to the same logits,
// and no tensor is left behind.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertParameterCount } from '../../../common/bertSize';
import { mulberry32 } from '../../../common/random';
import { loadEncoder } from '../models/index';
import { installFastGradients } from '../train/gradients';
import { openSafetensors } from '../weights/safetensors';
import { bytesSource } from '../weights/types';
import { packDocuments, type PackedSequence } from './masking';
import { mlmBatch, mlmLoss, mlmLossSum, pretrainingLoss } from './mlm';
import { sentencePairs } from './nsp';
import { Pretrain, pretrainVariables, type PretrainEvent, type PretrainSettings } from './pretrain';
import { maskedLmFiles } from './save';
import { bertConfigJson, initialisedBert } from './scratch';
import { expectNoLeakedTensors } from '../testing/tensors';

const fixtureDir = join(__dirname, '../../../test/fixtures/hf/bert-mlm');
const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;

beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
});

function fixtureModel(extra: Record<string, unknown> = {}) {
  const raw = { ...readJson<Record<string, unknown>>(join(fixtureDir, 'config.json')), ...extra };
  const reader = openSafetensors(bytesSource(new Uint8Array(readFileSync(join(fixtureDir, 'model.safetensors')))));
  return loadEncoder(raw, reader).model;
}

describe('masked-LM loss on the transformers fixture', () => {
  const ref = readJson<{ inputIds: number[][]; attentionMask: number[][]; tokenTypeIds: number[][]; logits: number[]; logitsShape: [number, number, number] }>(join(fixtureDir, 'reference.json'));
  const [B, T, V] = ref.logitsShape;
  const batch = {
    ids: Int32Array.from(ref.inputIds.flat()),
    attentionMask: Int32Array.from(ref.attentionMask.flat()),
    tokenTypeIds: Int32Array.from(ref.tokenTypeIds.flat()),
    batchSize: B,
    length: T,
    // Four predicted tokens, their targets chosen by hand (not the inputs: a real masked-LM label).
    positions: Int32Array.from([1, 4, 8, 12]),
    targets: Int32Array.from([5, 99, 0, 71]),
  };

  it('equals a float64 cross-entropy over transformers’ logits at those positions', async () => {
    await expectNoLeakedTensors(async () => {
      const model = fixtureModel();
      let expected = 0;
      batch.positions.forEach((p, m) => {
        const row = ref.logits.slice(p * V, (p + 1) * V);
        const max = Math.max(...row);
        const logZ = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
        expected += logZ - row[batch.targets[m]];
      });
      const sum = mlmLossSum(model, batch);
      const mean = mlmLoss(model, batch);
      expect(Math.abs(sum.dataSync()[0] - expected)).toBeLessThan(1e-4 * 4);
      expect(Math.abs(mean.dataSync()[0] - expected / 4)).toBeLessThan(1e-4);
      tf.dispose([sum, mean]);
      model.dispose();
    });
  });

  it('a tied decoder gets the sum of what the embedding and the decoder would get untied', async () => {
    await expectNoLeakedTensors(async () => {
      const tied = fixtureModel();
      const untied = fixtureModel({ tie_word_embeddings: false });
      expect([tied.tiedDecoder, untied.tiedDecoder]).toEqual([true, false]);
      const gradsOf = (model: typeof tied) => {
        const vars = pretrainVariables(model);
        for (const v of vars.values()) v.trainable = true;
        const { value, grads } = tf.variableGrads(() => mlmLoss(model, batch), [...vars.values()]);
        value.dispose();
        const byKey = new Map([...vars].map(([k, v]) => [k, grads[v.name]] as const));
        return byKey;
      };
      const g = gradsOf(tied);
      const u = gradsOf(untied);
      expect(g.has('mlm.decoder.weightT')).toBe(false);
      const sum = tf.tidy(() => tf.add(u.get('embeddings.word')!, tf.transpose(u.get('mlm.decoder.weightT')!)));
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(sum, g.get('embeddings.word')!))).dataSync()[0]);
      const scale = tf.tidy(() => tf.max(tf.abs(sum)).dataSync()[0]);
      expect(scale).toBeGreaterThan(1e-3);
      expect(diff).toBeLessThan(1e-6 + 1e-5 * scale);
      // Every other gradient is the same in both.
      for (const [k, t] of g) if (k !== 'embeddings.word') expect(tf.tidy(() => tf.max(tf.abs(tf.sub(t, u.get(k)!))).dataSync()[0]), k).toBeLessThan(1e-6);
      tf.dispose([sum, ...g.values(), ...u.values()]);
      tied.dispose();
      untied.dispose();
    });
  });
});

// A toy language whose words follow Zipf's law (p(k) ∝ 1/k², entropy 1.45 nats over 27 words), so a
// model that learns anything at all goes well below the ln V of a uniform guess.
function toyCorpus(docs: number, seed: number): PackedSequence[] {
  const r = mulberry32(seed);
  const weights = Array.from({ length: 27 }, (_, k) => 1 / (k + 1) ** 2);
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = () => {
    let u = r() * total;
    for (let k = 0; k < 27; k++) if ((u -= weights[k]) < 0) return 5 + k;
    return 31;
  };
  const documents = Array.from({ length: docs }, () => {
    const ids = Array.from({ length: 40 }, draw);
    return { ids, words: ids.map((_, i) => Math.floor(i / 2)) };
  });
  return packDocuments(documents, { length: 18, cls: 2, sep: 3 });
}

const shape = { vocabSize: 32, hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32, maxPositions: 20, typeVocabSize: 2 };
const settings: PretrainSettings = {
  learningRate: 5e-3, epochs: 3, batchSize: 8, gradientAccumulation: 1, weightDecay: 0.01, warmupRatio: 0.1, maxGradNorm: 1, seed: 9,
  mlmProbability: 0.15, wholeWordMasking: true, evalSeeds: [0, 1, 2], checkpointEvery: 5, nsp: false,
};
const data = { train: toyCorpus(60, 1), heldOut: toyCorpus(12, 2), maskId: 4, padId: 0, replacementIds: Array.from({ length: 27 }, (_, i) => i + 5) };

describe('pretraining a BERT from scratch', () => {
  it('has the parameter count the wizard shows, and the held-out loss falls far below its start at ≈ ln V', async () => {
    await expectNoLeakedTensors(async () => {
      const model = initialisedBert(bertConfigJson(shape), 1);
      let count = 0;
      for (const v of model.parameters().values()) count += v.size;
      expect(count).toBe(bertParameterCount(shape));
      const run = new Pretrain(model, data, settings);
      const events: PretrainEvent[] = [];
      const gen = run.run();
      let r = await gen.next();
      for (; !r.done; r = await gen.next()) events.push(r.value);
      const outcome = r.value;
      run.dispose();
      expect(outcome.steps).toBe(run.totalSteps);
      expect(events.filter((e) => e.type === 'step')).toHaveLength(run.totalSteps);
      expect(events.filter((e) => e.type === 'eval').map((e) => (e as { epoch: number }).epoch)).toEqual([0, 1, 2, 3]);
      // Fresh weights predict about uniformly: ln 32 ≈ 3.47.
      expect(Math.abs(outcome.initial.loss - Math.log(32))).toBeLessThan(0.1);
      expect(outcome.final.loss).toBeLessThan(0.6 * outcome.initial.loss);
      model.dispose();
    });
  });

  it('resumes from a checkpoint and ends with exactly the uninterrupted run’s weights and loss', async () => {
    const full = initialisedBert(bertConfigJson(shape), 1);
    const a = new Pretrain(full, data, settings);
    const gen = a.run();
    let r = await gen.next();
    while (!r.done) r = await gen.next();
    const expected = r.value;
    const weights = [...full.parameters()].map(([k, v]) => [k, v.dataSync().slice()] as const);
    a.dispose();
    full.dispose();

    const first = initialisedBert(bertConfigJson(shape), 1);
    const b = new Pretrain(first, data, settings);
    const g1 = b.run();
    let checkpoint = null;
    let checkpoints = 0;
    for (let e = await g1.next(); !e.done; e = await g1.next()) {
      if (e.value.type === 'checkpoint' && ++checkpoints === 4) {
        checkpoint = (await b.checkpoint()); // mid-epoch: after step 5 or 10
        break;
      }
    }
    b.dispose();
    first.dispose();
    expect(checkpoint!.step % 5).toBe(0);

    const second = initialisedBert(bertConfigJson(shape), 777); // other weights: the checkpoint must replace them all
    const c = new Pretrain(second, data, settings, checkpoint!);
    const g2 = c.run();
    let e2 = await g2.next();
    while (!e2.done) e2 = await g2.next();
    expect(e2.value).toEqual(expected);
    for (const [k, v] of weights) expect(second.parameters().get(k)!.dataSync(), k).toEqual(v);
    c.dispose();
    second.dispose();
  });

  it('writes the tensor names and shapes transformers 5.17 itself saved for a BertForMaskedLM (the tied decoder left out, as save_pretrained does)', async () => {
    const fixtureConfig = readJson<Record<string, unknown>>(join(fixtureDir, 'config.json'));
    const theirs = openSafetensors(bytesSource(new Uint8Array(readFileSync(join(fixtureDir, 'model.safetensors')))));
    const shape = { vocabSize: 101, hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 48, maxPositions: 40, typeVocabSize: 2 };
    const model = initialisedBert(bertConfigJson(shape), 1);
    const files = maskedLmFiles(model);
    const ours = openSafetensors(bytesSource(files.get('model.safetensors') as Uint8Array));
    const layout = (r: typeof ours) => Object.fromEntries([...r.tensors].filter(([n]) => n !== 'cls.predictions.decoder.weight' && n !== 'cls.predictions.decoder.bias').map(([n, t]) => [n, t.shape]));
    expect(layout(ours)).toEqual(layout(theirs));
    // Every key of transformers' BertConfig that decides the model is there with the same meaning.
    const config = JSON.parse(files.get('config.json') as string) as Record<string, unknown>;
    for (const k of ['model_type', 'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size', 'hidden_act', 'layer_norm_eps', 'pad_token_id', 'tie_word_embeddings', 'architectures']) {
      expect(config[k], k).toEqual(fixtureConfig[k]);
    }
    model.dispose();
  });

  it('with next-sentence prediction: the first loss is ≈ ln V + ln 2, it falls, and the folder is a BertForPreTraining that reloads with its heads', async () => {
    await expectNoLeakedTensors(async () => {
      const r = mulberry32(4);
      // Documents of Zipfian sentences, as lists of sentences for the pairs.
      const docs = Array.from({ length: 40 }, () =>
        Array.from({ length: 4 }, (_, s) => {
          const ids = Array.from({ length: 6 }, () => 5 + Math.min(26, Math.floor(1 / (r() + 0.04))));
          return { ids, words: ids.map((_, i) => s * 10 + i) };
        }),
      );
      const pairs = sentencePairs(docs, { length: 18, cls: 2, sep: 3, shortSequenceProbability: 0.1 }, mulberry32(1));
      const model = initialisedBert(bertConfigJson(shape), 5);
      const run = new Pretrain(model, { ...data, train: pairs }, { ...settings, nsp: true, epochs: 2 });
      expect(pretrainVariables(model, true).has('nsp.weight')).toBe(true);
      expect(pretrainVariables(model, false).has('pooler.weight')).toBe(false);
      const losses: number[] = [];
      const gen = run.run();
      for (let e = await gen.next(); !e.done; e = await gen.next()) if (e.value.type === 'step') losses.push(e.value.loss);
      run.dispose();
      expect(Math.abs(losses[0] - (Math.log(32) + Math.log(2)))).toBeLessThan(0.2);
      expect(losses.slice(-3).reduce((a, b) => a + b) / 3).toBeLessThan(losses[0] - 0.5);
      const files = maskedLmFiles(model);
      const config = JSON.parse(files.get('config.json') as string) as Record<string, unknown>;
      expect(config.architectures).toEqual(['BertForPreTraining']);
      const reader = openSafetensors(bytesSource(files.get('model.safetensors') as Uint8Array));
      expect(reader.tensors.get('cls.seq_relationship.weight')?.shape).toEqual([2, 16]);
      expect(reader.tensors.get('bert.pooler.dense.weight')?.shape).toEqual([16, 16]);
      const { model: back, report } = loadEncoder(config, reader);
      expect([report.unexpected, report.heads.pooler, back.parameters().has('nsp.weight')]).toEqual([[], true, true]);
      const batch = mlmBatch([{ ...pairs[0], labels: Int32Array.from(pairs[0].ids, (id, i) => (i === 2 ? id : -100)) }], 0);
      const [x, y] = [pretrainingLoss(model, batch), pretrainingLoss(back, batch)];
      expect(y.dataSync()[0]).toBeCloseTo(x.dataSync()[0], 6);
      tf.dispose([x, y]);
      model.dispose();
      back.dispose();
    });
  });

  it('saves a Hugging Face folder that loads back to the same masked-LM logits', async () => {
    await expectNoLeakedTensors(async () => {
      const model = initialisedBert(bertConfigJson(shape), 3);
      const files = maskedLmFiles(model);
      const config = JSON.parse(files.get('config.json') as string) as Record<string, unknown>;
      expect(config.architectures).toEqual(['BertForMaskedLM']);
      const reader = openSafetensors(bytesSource(files.get('model.safetensors') as Uint8Array));
      expect([...reader.tensors.keys()]).toContain('bert.embeddings.word_embeddings.weight');
      expect([...reader.tensors.keys()]).toContain('cls.predictions.bias');
      expect([...reader.tensors.keys()]).not.toContain('cls.predictions.decoder.weight'); // tied
      const { model: back, report } = loadEncoder(config, reader);
      expect([report.missing, report.unexpected, report.heads.mlm]).toEqual([[], [], true]);
      const batch = mlmBatch([{ ids: Int32Array.from([2, 7, 4, 9, 3]), labels: Int32Array.from([-100, -100, 8, -100, -100]) }], 0);
      const [x, y] = [mlmLoss(model, batch), mlmLoss(back, batch)];
      expect(y.dataSync()[0]).toBe(x.dataSync()[0]);
      tf.dispose([x, y]);
      model.dispose();
      back.dispose();
    });
  });
});
