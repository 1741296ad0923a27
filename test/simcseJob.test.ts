// SimCSE sentence-embedding training (pretraining's simcse mode) through the services and a real
// compute worker: the held-out contrastive loss falls, the folder reopens as a model, and, embedded
// with CLS pooling, documents of one planted topic come nearer to each other than to the others'
// by more than they did before training — without any label seen in training.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, pretrainConfigSchema, type PretrainResult } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir, writePlantedCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const planted = {
  sports: ['野球', '試合', '投手', 'サッカー', '選手', '優勝', '球場', '監督'],
  food: ['料理', 'ラーメン', '味噌', '野菜', 'レシピ', '寿司', '台所', '食材'],
  computer: ['パソコン', 'ソフト', 'メモリ', 'プログラム', '画面', 'データ', '電池', '通信'],
};
let corpusId = 0;

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writePlantedCsv(dir, planted, 24, [3, 5]);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'planted', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
}, 120_000);

/** Mean cosine of pairs of documents with the same label, minus that of pairs with different labels, CLS-pooled by the model. */
async function topicGap(modelPath: string): Promise<number> {
  const job = await services.jobs.wait((await h['embed.start']({ corpusId, modelPath, pooling: 'cls', layer: -1, maxLength: 32, batchSize: 16, truncation: 'head' })).jobId);
  expect(job.error).toBeNull();
  const run = (await h['embed.runs']({ corpusId }))[0];
  const { documentIds, vectors } = services.projects.require().embeddings.vectors(run.id);
  const labels = new Map(services.projects.require().documents.labelled(corpusId).map((d) => [d.id, d.label]));
  const d = run.dimensions;
  const unit = documentIds.map((_, i) => {
    const v = vectors.subarray(i * d, (i + 1) * d);
    const n = Math.hypot(...v);
    return Array.from(v, (x) => x / n);
  });
  const same: number[] = [];
  const different: number[] = [];
  for (let i = 0; i < unit.length; i++) {
    for (let j = i + 1; j < unit.length; j++) {
      const cos = unit[i].reduce((s, x, k) => s + x * unit[j][k], 0);
      (labels.get(documentIds[i]) === labels.get(documentIds[j]) ? same : different).push(cos);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return mean(same) - mean(different);
}

describe('SimCSE training', () => {
  it('lowers the held-out contrastive loss and separates the planted topics more than before, unsupervised', async () => {
    // The base model's embedding first: the worker then keeps that model, whose tensors are the baseline.
    const before = await topicGap(defaultModelPath);
    const tensors = (await h['compute.status']({})).memory?.tensors;
    const outputDir = join(dir, 'simcse');
    const config = pretrainConfigSchema.parse({ corpusId, mode: 'simcse', modelPath: defaultModelPath, outputDir, epochs: 2, batchSize: 16, learningRate: 1e-4, seed: 4, heldOut: { source: 'holdout', fraction: 0.2 } });
    expect(config).toMatchObject({ maxLength: 32, temperature: 0.05, nsp: false });
    const job = await services.jobs.wait((await h['pretrain.start'](config)).jobId);
    expect(JSON.stringify(job.error)).toBe('null');
    const r = job.result as PretrainResult;
    expect(r.finalLoss.loss).toBeLessThan(r.initialLoss.loss);
    const info = await h['models.inspect']({ path: outputDir });
    expect(info).toMatchObject({ missing: [], misshaped: [] });
    // Embedding with the trained model keeps it instead: as many tensors (same shape), nothing else.
    const after = await topicGap(outputDir);
    console.log(`SimCSE held-out loss ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}; same-minus-different topic cosine ${before.toFixed(4)} → ${after.toFixed(4)}`);
    expect(after).toBeGreaterThan(before);
    expect((await h['compute.status']({})).memory?.tensors).toBe(tensors);
  }, 300_000);

  it('refuses SimCSE without a model or with next-sentence prediction', () => {
    expect(pretrainConfigSchema.safeParse({ corpusId, mode: 'simcse', outputDir: join(dir, 'x') }).success).toBe(false);
    expect(pretrainConfigSchema.safeParse({ corpusId, mode: 'simcse', modelPath: defaultModelPath, outputDir: join(dir, 'x'), nsp: true }).success).toBe(false);
  });
});
