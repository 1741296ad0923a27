// Export to ONNX of a fine-tuned LoRA run through the services: model.onnx run by onnxruntime
// (a padded batch of the corpus's documents, tokenized by the exported tokenizer files) gives the
// logits the merged Hugging Face export gives on tfjs's cpu backend, within 1e-4; the folder has the
// labels and the tokenizer beside the graph.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, trainConfigSchema } from '../common/contract';
import { encodeLong } from '../main/ml/tokenizers/long';
import { padBatch } from '../main/ml/tokenizers/types';
import { readConfig, readEncoder, readTokenizer } from '../main/modelFolders/modelFolder';
import { segmenterFor } from '../main/modelFolders/segmenter';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

let corpusId = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const csv = writeSyntheticCsv(dir, 60, 3);
  await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'synthetic', textColumn: 'text', labelColumn: 'label' } })).jobId);
  corpusId = (await h['corpus.list']({}))[0].id;
}, 120_000);

describe('Export to ONNX', () => {
  it('writes model.onnx whose logits on onnxruntime equal the merged model’s on tfjs (1e-4)', async () => {
    const config = trainConfigSchema.parse({ corpusId, modelPath: defaultModelPath, method: 'lora', learningRates: [5e-3], epochs: 1, batchSize: 8, maxLength: 32, seed: 3 });
    const { jobId, runId } = await h['train.start'](config);
    expect((await services.jobs.wait(jobId)).status).toBe('done');

    const onnxDir = join(dir, 'onnx');
    const exported = await h['train.exportOnnx']({ runId, outDir: onnxDir });
    expect(exported.files).toEqual(expect.arrayContaining(['model.onnx', 'config.json', 'vocab.txt', 'tokenizer_config.json']));
    await expect(h['train.exportOnnx']({ runId, outDir: onnxDir })).rejects.toMatchObject({ code: 'exportTargetNotEmpty' });
    const labels = JSON.parse(readFileSync(join(onnxDir, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
    const merged = await h['train.export']({ runId, outDir: join(dir, 'merged'), merge: true });

    // The exported tokenizer, a padded batch of documents of different lengths.
    const { tokenizer } = readTokenizer(onnxDir, await segmenterFor(onnxDir, services.morphology));
    const texts = services.projects.require().documents.texts(corpusId).slice(0, 6).map((d) => d.text);
    const encoded = texts.map((t, i) => encodeLong(tokenizer, t, { maxLength: 8 + 4 * i, truncation: 'head' }));
    const batch = padBatch(encoded, tokenizer.special.pad);
    const B = encoded.length;
    const T = batch.length;
    expect(batch.attentionMask.includes(0)).toBe(true);

    const session = await ort.InferenceSession.create(join(onnxDir, 'model.onnx'));
    expect([...session.inputNames].sort()).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(session.outputNames).toEqual(['logits']);
    const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [B, T]);
    const out = await session.run({ input_ids: int64(batch.ids), attention_mask: int64(batch.attentionMask), token_type_ids: int64(batch.tokenTypeIds) });
    await session.release();
    expect(out.logits.dims).toEqual([B, Object.keys(labels.id2label).length]);

    const model = readEncoder(merged.path, readConfig(merged.path));
    const expected = tf.tidy(() => {
      const [hidden] = model.forward({ ...batch, batchSize: B }, { keep: [model.config.numLayers] });
      return model.classify(hidden).dataSync();
    });
    model.dispose();
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((out.logits.data as Float32Array)[i] - expected[i]));
    console.log(`ONNX export vs merged model on tfjs cpu: largest |logit difference| ${worst.toExponential(2)} (${B} documents, ${T} tokens, padded)`);
    expect(worst).toBeLessThan(1e-4);
  }, 300_000);
});
