// Parameter counts from each architecture's own parameter list, checked two independent ways:
// against the counts transformers prints for the published checkpoints (model.num_parameters(),
// PEFT's print_trainable_parameters), from their config.json alone; and against the tensors a
// loaded tiny model actually holds, with new heads and LoRA adapters attached as training does.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bertParameterCount } from '../../../common/bertSize';
import { mulberry32, normals } from '../../../common/random';
import { bertConfigJson, initialisedBert } from '../pretrain/scratch';
import { expectNoLeakedTensors } from '../testing/tensors';
import { trainableVariables } from '../train/fineTune';
import { attachLora } from '../train/lora';
import { openSafetensors } from '../weights/safetensors';
import { bytesSource } from '../weights/types';
import { estimate, loraParameterCount } from './estimate';
import { activationFloats } from './memory';
import { loadEncoder, parseModelConfig } from './index';
import { architectures } from './registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The config.json fields that decide the shape of the published base checkpoints (everything else at transformers' defaults).
const published = {
  'bert-base-uncased': { model_type: 'bert', vocab_size: 30522 },
  'roberta-base': { model_type: 'roberta', vocab_size: 50265, max_position_embeddings: 514, type_vocab_size: 1, pad_token_id: 1, layer_norm_eps: 1e-5 },
  'xlm-roberta-base': { model_type: 'xlm-roberta', vocab_size: 250002, max_position_embeddings: 514, type_vocab_size: 1, pad_token_id: 1, layer_norm_eps: 1e-5 },
  'distilbert-base-uncased': { model_type: 'distilbert', vocab_size: 30522 },
};
const config = (name: keyof typeof published) => parseModelConfig(published[name]).config;

describe('parameter counts of the published checkpoints, from config.json alone', () => {
  // transformers 4.x/5.x model.num_parameters() of …Model, …ForSequenceClassification (2 labels) and …ForMaskedLM (decoder tied).
  const cases: [keyof typeof published, { model: number; sequenceClassification: number; maskedLm: number }][] = [
    ['bert-base-uncased', { model: 109_482_240, sequenceClassification: 109_483_778, maskedLm: 109_514_298 }],
    ['roberta-base', { model: 124_645_632, sequenceClassification: 124_647_170, maskedLm: 124_697_433 }],
    ['xlm-roberta-base', { model: 278_043_648, sequenceClassification: 278_045_186, maskedLm: 278_295_186 }],
    ['distilbert-base-uncased', { model: 66_362_880, sequenceClassification: 66_955_010, maskedLm: 66_985_530 }],
  ];
  for (const [name, counts] of cases) {
    it(`${name}: the …Model, …ForSequenceClassification and …ForMaskedLM`, () => {
      const c = config(name);
      const hasPooler = c.modelType !== 'distilbert';
      // The …Model is the backbone and (BERT, RoBERTa, XLM-R) its pooler, as the checkpoint report counts it.
      expect(estimate(c, 'masked-lm', { loaded: { pooler: hasPooler } }).checkpoint).toBe(counts.model);
      // …ForSequenceClassification: BERT keeps the pooler under its classifier; RoBERTa's head replaces it; DistilBERT has none.
      expect(estimate(c, 'sequence-classification', { numLabels: 2 }).parameters).toBe(counts.sequenceClassification);
      expect(estimate(c, 'masked-lm').parameters).toBe(counts.maskedLm);
    });
  }

  it('BertForPreTraining (masked LM and next-sentence prediction) as the independent count of common/bertSize', () => {
    const c = config('bert-base-uncased');
    expect(estimate(c, ['masked-lm', 'next-sentence']).parameters).toBe(110_106_428);
    const shape = { vocabSize: c.vocabSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers, numHeads: c.numHeads, intermediateSize: c.intermediateSize, maxPositions: c.maxPositions, typeVocabSize: c.typeVocabSize };
    expect(estimate(c, ['masked-lm', 'next-sentence']).parameters).toBe(bertParameterCount(shape, true));
    expect(estimate(c, 'masked-lm').parameters).toBe(bertParameterCount(shape));
  });

  it('an untied masked-LM decoder counts its own V×H matrix', () => {
    const c = parseModelConfig({ ...published['bert-base-uncased'], tie_word_embeddings: false }).config;
    expect(estimate(c, 'masked-lm').parameters).toBe(109_514_298 + 30522 * 768);
  });

  it('LoRA r = 8 on query and value of bert-base for 2 labels: PEFT’s 296,450 trainable parameters', () => {
    const c = config('bert-base-uncased');
    const e = estimate(c, 'sequence-classification', { numLabels: 2, method: 'lora', lora: { rank: 8, targets: ['query', 'value'] } });
    expect(e.adapters).toBe(294_912);
    expect(e.trainable).toBe(296_450);
    // Full fine-tuning trains everything the classifier reads: backbone, pooler, head.
    expect(estimate(c, 'sequence-classification', { numLabels: 2 }).trainable).toBe(109_483_778);
  });

  it('memory: float32 weights, two moments, a gradient and temporaries per trainable value, and the activations of one step', () => {
    const c = config('distilbert-base-uncased');
    const e = estimate(c, 'sequence-classification', { numLabels: 3, batch: { batchSize: 16, maxLength: 128 } });
    expect(e.activationBytes).toBe(4 * activationFloats(c, 'fine-tune', { batchSize: 16, maxLength: 128 }));
    expect(e.memoryBytes).toBe(4 * (e.parameters + 7 * e.trainable) + e.activationBytes);
    // Without a batch (or with a small one) the optimizer's update is the peak: 17 floats per trainable value beside the weights.
    expect(estimate(c, 'sequence-classification', { numLabels: 3 }).memoryBytes).toBe(4 * 18 * e.parameters);
    const small = estimate(c, 'sequence-classification', { numLabels: 3, batch: { batchSize: 1, maxLength: 16 } });
    expect(small.memoryBytes).toBe(4 * 18 * e.parameters);
    // LoRA: the frozen weights once, the adapters' and head's training state, LoRA's own activations.
    const lora = estimate(c, 'sequence-classification', { numLabels: 3, method: 'lora', lora: { rank: 8, targets: ['query', 'value'] }, batch: { batchSize: 16, maxLength: 128 } });
    expect(lora.activationBytes).toBe(4 * activationFloats(c, 'lora', { batchSize: 16, maxLength: 128 }));
    expect(estimate(c, 'masked-lm', { batch: { batchSize: 16, maxLength: 128 } }).activationBytes).toBe(4 * activationFloats(c, 'masked-lm', { batchSize: 16, maxLength: 128 }));
  });
});

const hfDir = join(__dirname, '../../../test/fixtures/hf');
function fixture(name: string, extra: Record<string, unknown> = {}) {
  const raw = { ...(JSON.parse(readFileSync(join(hfDir, name, 'config.json'), 'utf8')) as Record<string, unknown>), ...extra };
  return { raw, reader: openSafetensors(bytesSource(new Uint8Array(readFileSync(join(hfDir, name, 'model.safetensors'))))) };
}
const held = (vars: Iterable<tf.Variable>) => [...vars].reduce((n, v) => n + v.size, 0);

describe('parameter counts against the tensors a loaded tiny model holds', () => {
  const fixtures = ['bert-base', 'bert-cls', 'bert-mlm', 'roberta-mlm', 'xlm-roberta-cls', 'distilbert-cls', 'distilbert-mlm'];

  it('covers every registered architecture', () => {
    const types = new Set(fixtures.map((f) => fixture(f).raw.model_type));
    for (const a of architectures()) expect(types.has(a.modelType)).toBe(true);
  });

  for (const name of fixtures) {
    it(`${name}: as loaded, and set up for full and LoRA fine-tuning`, async () => {
      await expectNoLeakedTensors(() => {
        const { raw, reader } = fixture(name);
        const { model, config, report } = loadEncoder(raw, reader);
        // Every tensor the checkpoint gave, by the report's head groups.
        expect(estimate(config, 'masked-lm', { loaded: report.heads }).checkpoint).toBe(held(model.parameters().values()));
        expect(report.parameterCount).toBe(held(model.parameters().values()));
        model.dispose();

        // As the training worker loads it: no old head, a new 5-label classifier (and BERT's pooler where missing).
        const labels = { ...raw, id2label: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [String(i), `l${i}`])) };
        const base = loadEncoder(labels, reader, { skipGroups: ['classifier', 'mlm', 'nsp'] });
        const m = base.model;
        const normal = normals(mulberry32(1));
        if (m.classifierStyle === 'pooler' && !m.heads.pooler) m.initHead('pooler', normal);
        m.initHead('classifier', normal);
        const loaded = { pooler: base.report.heads.pooler };
        const full = estimate(base.config, 'sequence-classification', { numLabels: 5, loaded });
        expect(full.parameters).toBe(held(m.parameters().values()));
        expect(full.trainable).toBe(held(trainableVariables(m, 'full').values()));
        const lora = { rank: 3, alpha: 6, dropout: 0, targets: ['query', 'value', 'intermediate', 'output'] as const };
        attachLora(m, { ...lora, targets: [...lora.targets] }, mulberry32(2));
        const adapted = estimate(base.config, 'sequence-classification', { numLabels: 5, loaded, method: 'lora', lora });
        const adapters = [...m.lora!.layers.values()].flatMap((l) => [l.a, l.b]);
        expect(adapted.adapters).toBe(held(adapters));
        expect(adapted.parameters).toBe(held(m.parameters().values()) + held(adapters));
        expect(adapted.trainable).toBe(held(trainableVariables(m, 'lora').values()));
        expect(loraParameterCount(m.arch, base.config, lora)).toBe(adapted.adapters);
        m.dispose();
      });
    });
  }

  it('a BERT drawn from scratch holds exactly what the masked-LM estimate counts', async () => {
    await expectNoLeakedTensors(() => {
      const shape = { vocabSize: 97, hiddenSize: 24, numLayers: 3, numHeads: 4, intermediateSize: 40, maxPositions: 33, typeVocabSize: 2 };
      const model = initialisedBert(bertConfigJson(shape), 7);
      expect(held(model.parameters().values())).toBe(estimate(model.config, 'masked-lm').parameters);
      expect(estimate(model.config, 'masked-lm').parameters).toBe(bertParameterCount(shape));
      model.dispose();
    });
  });
});
