// ONNX graphs with external data (the format's answer to protobuf's 2 GiB limit, for weights such as
// XLM-RoBERTa large's 2.24 GB): forced on tiny fixtures by a limit of 0 bytes, the graph file holds
// only the small initializers, each larger one is marked EXTERNAL with its location, offset and
// length in model.onnx.data, whose bytes there are the single-file graph's raw_data; onnxruntime
// loading the graph's path gives the single-file graph's outputs exactly. Under the limit a model
// stays one file.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureBatch, readHfFixture, runOnnxGraph } from '../../../test/hfFixtures';
import { tempDir } from '../../../test/fixtures';
import { loadEncoder, type EncoderModel } from '../../ml/models/index';
import { encoderGraph } from '../../ml/onnx/encoderGraph';
import { dataLocationExternal, decodeModel, externalThreshold } from '../../ml/onnx/graph';
import { writeEncoderGraph } from './onnxFiles';

type Batch = ReturnType<typeof fixtureBatch>;

async function run(graph: string | Uint8Array, model: EncoderModel, batch: Batch): Promise<Record<string, number[]>> {
  const out = await runOnnxGraph(graph, model, batch);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)]));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('external data', () => {
  for (const name of ['bert-cls', 'xlm-roberta-cls']) {
    it(`${name}: model.onnx + model.onnx.data give the single-file graph's outputs exactly`, async () => {
      const { raw, reader, ref } = readHfFixture(name);
      const model = loadEncoder(raw, reader).model;
      const batch = fixtureBatch(ref);
      const outputs = { hidden: [0, model.config.numLayers], logits: model.has('classifier.weight') };
      const single = encoderGraph(model, outputs);
      const dir = tempDir();
      const path = join(dir, 'model.onnx');
      const written = writeEncoderGraph(model, outputs, path, { limit: 0 });
      expect(written).toMatchObject({ location: 'model.onnx.data', dataPath: join(dir, 'model.onnx.data') });
      expect(statSync(path).size).toBe(written.graphBytes);
      expect(statSync(join(dir, 'model.onnx.data')).size).toBe(written.dataBytes);

      // Every initializer of 1 KiB or more is EXTERNAL, at an aligned offset, with the single file's bytes.
      const inline = new Map(decodeModel(single).graph!.initializer!.map((t) => [t.name!, t.rawData!]));
      const graph = decodeModel(readFileSync(path)).graph!;
      const data = readFileSync(join(dir, 'model.onnx.data'));
      let external = 0;
      let end = 0;
      for (const t of graph.initializer!) {
        const bytes = inline.get(t.name!)!;
        if (bytes.length < externalThreshold) {
          expect(t.dataLocation ?? 0).not.toBe(dataLocationExternal);
          expect(Buffer.from(t.rawData!).equals(Buffer.from(bytes))).toBe(true);
          continue;
        }
        external++;
        expect(t.dataLocation).toBe(dataLocationExternal);
        expect(t.rawData?.length ?? 0).toBe(0);
        const entry = Object.fromEntries(t.externalData!.map((e) => [e.key, e.value]));
        expect(entry.location).toBe('model.onnx.data');
        const [offset, length] = [Number(entry.offset), Number(entry.length)];
        expect(offset % 4096).toBe(0);
        expect(offset).toBeGreaterThanOrEqual(end);
        expect(length).toBe(bytes.length);
        expect(data.subarray(offset, offset + length).equals(Buffer.from(bytes))).toBe(true);
        end = offset + length;
      }
      expect(end).toBe(written.dataBytes);
      expect(external).toBeGreaterThan(5);
      // The graph file keeps only the small tensors and the nodes.
      expect(written.graphBytes).toBeLessThan(single.length / 3);
      console.log(`${name}: one file ${single.length} B; with external data: graph ${written.graphBytes} B + data ${written.dataBytes} B (${external} of ${graph.initializer!.length} initializers external)`);

      const [a, b] = [await run(single, model, batch), await run(path, model, batch)];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const k of Object.keys(a)) expect(b[k]).toEqual(a[k]);
      model.dispose();
    });
  }

  it('stays one file under the limit (the default, 1.8 GiB), and names its side file as asked', () => {
    const { raw, reader } = readHfFixture('bert-cls');
    const model = loadEncoder(raw, reader).model;
    const dir = tempDir();
    const one = writeEncoderGraph(model, { logits: true }, join(dir, 'a.onnx'));
    expect(one).toMatchObject({ dataPath: null, location: null, dataBytes: 0 });
    expect(readFileSync(join(dir, 'a.onnx')).equals(Buffer.from(encoderGraph(model, { logits: true })))).toBe(true);
    const two = writeEncoderGraph(model, { logits: true }, join(dir, 'b.onnx.tmp'), { limit: 1000, location: 'b.onnx.data', dataPath: join(dir, 'b.onnx.data.tmp') });
    expect(two).toMatchObject({ location: 'b.onnx.data', dataPath: join(dir, 'b.onnx.data.tmp') });
    expect(existsSync(join(dir, 'b.onnx.data'))).toBe(false);
    const graph = decodeModel(readFileSync(join(dir, 'b.onnx.tmp'))).graph!;
    expect(graph.initializer!.filter((t) => t.externalData?.some((e) => e.key === 'location' && e.value === 'b.onnx.data')).length).toBeGreaterThan(5);
    model.dispose();
  });

  it('onnxruntime reads external data from bytes only with the externalData session option', async () => {
    const { raw, reader, ref } = readHfFixture('bert-cls');
    const model = loadEncoder(raw, reader).model;
    const dir = tempDir();
    writeEncoderGraph(model, { logits: true }, join(dir, 'model.onnx'), { limit: 0 });
    const bytes = readFileSync(join(dir, 'model.onnx'));
    // From bytes the side file is looked for in the working directory (and refused outside it).
    await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(/external data/i);
    const withData = await ort.InferenceSession.create(bytes, { externalData: [{ path: 'model.onnx.data', data: readFileSync(join(dir, 'model.onnx.data')) }] });
    await withData.release();
    const batch = fixtureBatch(ref);
    expect((await run(join(dir, 'model.onnx'), model, batch)).logits).toEqual((await run(encoderGraph(model, { logits: true }), model, batch)).logits);
    model.dispose();
  });
});
