// External data through the two places Shirabe writes ONNX graphs, forced on the bert-cls fixture by a
// limit of 0 bytes: the inference engine's graph cache (the side file renamed beside its graph,
// pruned with it) and a model built in memory (its tensors handed to onnxruntime as in-memory
// external data), and Export to ONNX (model.onnx + model.onnx.data in the export folder). Every
// output equals the single-file graph's exactly.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../../common/contract';
import { mulberry32 } from '../../../common/random';
import { fixtureBatch, hfFixtures, readHfFixture } from '../../../test/hfFixtures';
import { tempDir } from '../../../test/fixtures';
import { loadEncoder } from '../../ml/models/index';
import { dataLocationExternal, decodeModel } from '../../ml/onnx/graph';
import { trainableValue } from '../../ml/train/lora';
import { onnxEngine, pruneGraphs, type InferenceResult } from './inference';
import type { TaskContext } from './task';
import { exportModel } from './tasks/training/export';
import { runClassifier } from './tasks/training/classifier';

const threads = { threads: 1, how: 'test' };
const cpu = { provider: 'cpu' as const, adapter: null, skipped: [] };
const auto = { choice: 'auto' as const, forcedBy: null };

function fixture() {
  const { raw, reader, ref } = readHfFixture('bert-cls');
  return { model: loadEncoder(raw, reader).model, batch: fixtureBatch(ref) };
}

function expectSame(a: InferenceResult, b: InferenceResult) {
  expect([...b.hidden.keys()]).toEqual([...a.hidden.keys()]);
  for (const [k, v] of a.hidden) expect(Array.from(b.hidden.get(k)!)).toEqual(Array.from(v));
  expect(b.pooled && Array.from(b.pooled)).toEqual(a.pooled && Array.from(a.pooled));
  expect(b.logits && Array.from(b.logits)).toEqual(a.logits && Array.from(a.logits));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('inference engine with external data', () => {
  it('caches graph + side file, gives the single-file graph’s outputs, prunes both together', async () => {
    const { model, batch } = fixture();
    const [oneCache, extCache] = [tempDir(), tempDir()];
    const one = onnxEngine(ort, 'test', threads, oneCache, cpu, auto);
    const ext = onnxEngine(ort, 'test', threads, extCache, cpu, auto, { externalDataLimit: 0 });
    const outputs = { hidden: [0, 2], pooled: { layer: 1, pooling: 'mean' as const }, logits: true };
    const expected = await one.run(model, batch, outputs, 'hash-1');
    expectSame(expected, await ext.run(model, batch, outputs, 'hash-1'));
    expect(readdirSync(join(oneCache, 'onnx'))).toHaveLength(1);
    const dir = join(extCache, 'onnx');
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    const [graph, data] = files;
    expect(data).toBe(`${graph}.data`);
    const single = statSync(join(oneCache, 'onnx', readdirSync(join(oneCache, 'onnx'))[0])).size;
    expect(statSync(join(dir, graph)).size).toBeLessThan(single / 3);
    const external = decodeModel(readFileSync(join(dir, graph))).graph!.initializer!.filter((t) => t.dataLocation === dataLocationExternal);
    expect(external.length).toBeGreaterThan(5);
    for (const t of external) expect(t.externalData!.find((e) => e.key === 'location')!.value).toBe(data);
    console.log(`graph cache, bert-cls: one file ${single} B; graph ${statSync(join(dir, graph)).size} B + ${data.slice(-5)} ${statSync(join(dir, data)).size} B`);

    // A second engine (a later worker) finds the cached pair and gives the same outputs.
    ext.release();
    const again = onnxEngine(ort, 'test', threads, extCache, cpu, auto, { externalDataLimit: 0 });
    expectSame(expected, await again.run(model, batch, outputs, 'hash-1'));
    expect(readdirSync(dir).sort()).toEqual(files);

    // A side file deleted by hand: the graph is dropped and written anew, with the same outputs.
    again.release();
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, data));
    expectSame(expected, await again.run(model, batch, outputs, 'hash-1'));
    expect(readdirSync(dir).sort()).toEqual(files);

    // Eight more output sets: four graphs stay, each with its side file, no side file alone.
    for (const pooling of ['cls', 'mean', 'max', 'last'] as const) for (const layer of [1, 2]) await again.run(model, batch, { pooled: { layer, pooling } }, 'hash-1');
    const left = readdirSync(dir);
    const graphs = left.filter((f) => f.endsWith('.onnx'));
    expect(graphs).toHaveLength(4);
    expect(left.filter((f) => f.endsWith('.onnx.data')).sort()).toEqual(graphs.map((g) => `${g}.data`).sort());
    expect(left).toHaveLength(8);
    expect(left).not.toContain(graph);
    expect(left).not.toContain(data);

    // A model without a cache key: built in memory, its weights as in-memory external data, nothing on disk.
    expectSame(await one.run(model, batch, { logits: true }), await again.run(model, batch, { logits: true }));
    expect(readdirSync(dir).sort()).toEqual(left.sort());
    one.release();
    again.release();
    model.dispose();
  });

  it('pruning deletes a graph’s side file with it, and a side file left alone for an hour', async () => {
    const { writeFileSync, utimesSync } = await import('node:fs');
    const dir = tempDir();
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      writeFileSync(join(dir, `${name}.onnx`), 'g');
      writeFileSync(join(dir, `${name}.onnx.data`), 'd');
      const t = new Date(Date.now() - (3 - i) * 60_000);
      utimesSync(join(dir, `${name}.onnx`), t, t);
    }
    writeFileSync(join(dir, 'orphan.onnx.data'), 'd');
    utimesSync(join(dir, 'orphan.onnx.data'), old, old);
    writeFileSync(join(dir, 'fresh.onnx.data'), 'd'); // a side file renamed a moment before its graph
    pruneGraphs(dir, 'c.onnx', 2);
    expect(readdirSync(dir).sort()).toEqual(['b.onnx', 'b.onnx.data', 'c.onnx', 'c.onnx.data', 'fresh.onnx.data']);
  });
});

describe('Export to ONNX with external data', () => {
  it('writes model.onnx + model.onnx.data into the export folder; logits equal the single-file export’s', async () => {
    const modelPath = join(hfFixtures, 'bert-cls');
    const labels = ['a', 'b', 'c'];
    const config = trainConfigSchema.parse({ corpusId: 1, modelPath, method: 'full', learningRates: [1e-3], epochs: 1, batchSize: 4, maxLength: 16, seed: 3 });
    // The run's classifier: values drawn for its weights, so the logits are not all zero.
    const rand = mulberry32(5);
    const { model: shape } = runClassifier({ modelPath, config, labels, values: new Map() });
    const values = new Map(['classifier.weight', 'classifier.bias'].map((k) => [k, Float32Array.from({ length: trainableValue(shape, k)!.size }, () => rand() - 0.5)] as const));
    shape.dispose();
    const ctx = {} as TaskContext<never>;
    const input = { modelPath, config, labels, values, merge: true, baseName: 'base', format: 'onnx' as const };
    const [oneDir, extDir] = [tempDir(), tempDir()];
    const inMemory = await exportModel.run(input, ctx);
    expect(inMemory.map(([n]) => n)).toEqual(['model.onnx', 'config.json']);
    const one = await exportModel.run({ ...input, outDir: oneDir }, ctx);
    expect(one.map(([n, c]) => [n, c === null])).toEqual([['model.onnx', true], ['config.json', false]]);
    expect(readdirSync(oneDir)).toEqual(['model.onnx']);
    expect(readFileSync(join(oneDir, 'model.onnx')).equals(Buffer.from(inMemory[0][1] as Uint8Array))).toBe(true);
    const ext = await exportModel.run({ ...input, outDir: extDir, externalDataLimit: 0 }, ctx);
    expect(ext.map(([n, c]) => [n, c === null])).toEqual([['model.onnx', true], ['model.onnx.data', true], ['config.json', false]]);
    expect(readdirSync(extDir).sort()).toEqual(['model.onnx', 'model.onnx.data']);
    const graph = decodeModel(readFileSync(join(extDir, 'model.onnx'))).graph!;
    expect(graph.name).toBe('sequence-classifier');
    expect(graph.initializer!.filter((t) => t.externalData?.some((e) => e.key === 'location' && e.value === 'model.onnx.data')).length).toBeGreaterThan(5);

    const { batch } = fixture();
    const logits = async (file: string) => {
      const s = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
      const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, (v) => BigInt(v)), [batch.batchSize, batch.length]);
      const out = await s.run({ input_ids: int64(batch.ids), attention_mask: int64(batch.attentionMask), token_type_ids: int64(batch.tokenTypeIds ?? new Int32Array(batch.ids.length)) });
      await s.release();
      return Array.from(out.logits.data as Float32Array);
    };
    const [a, b] = [await logits(join(oneDir, 'model.onnx')), await logits(join(extDir, 'model.onnx'))];
    expect(a).toHaveLength(batch.batchSize * labels.length);
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(b).toEqual(a);
  });
});
