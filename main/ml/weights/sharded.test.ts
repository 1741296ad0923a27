// The sharded fixture is transformers' own save_pretrained(max_shard_size="40KB") of the
// same weights as bert-mlm (scripts/fixtures/make_hf_fixtures.py), so it must read the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, loadFixture, weightsError } from '../../../test/weightsFixtures';
import { openSafetensors } from './safetensors';
import { openSharded } from './sharded';
import { openTorchCheckpoint } from './torchPickle';
import { bytesSource, type TensorReader } from './types';

const hf = join(fixturesDir, 'hf');
const load = (path: string) => loadFixture(`hf/${path}`);

function expectSame(a: TensorReader, b: TensorReader) {
  expect([...a.tensors.keys()].sort()).toEqual([...b.tensors.keys()].sort());
  for (const [name, info] of b.tensors) {
    expect(a.tensors.get(name), name).toEqual(info);
    expect(new Uint32Array(a.read(name).buffer), name).toEqual(new Uint32Array(b.read(name).buffer));
  }
}

describe('openSharded', () => {
  const dir = 'bert-mlm-sharded';
  const index = readFileSync(join(hf, dir, 'model.safetensors.index.json'), 'utf8');
  const single = openSafetensors(bytesSource(load('bert-mlm/model.safetensors')));

  it('reads model.safetensors.index.json and its three shards as the unsharded file, opening each shard once', () => {
    const opened: string[] = [];
    const reader = openSharded(index, (file) => {
      opened.push(file);
      return openSafetensors(bytesSource(load(join(dir, file))));
    });
    expect(opened.sort()).toEqual(['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors']);
    expectSame(reader, single);
  });

  it('reads a pytorch_model.bin.index.json over PyTorch pickles', () => {
    const bin = openTorchCheckpoint(bytesSource(load('bert-mlm-bin/pytorch_model.bin')));
    const weightMap = Object.fromEntries([...bin.tensors.keys()].map((name, i) => [name, i % 2 ? 'pytorch_model-00002-of-00002.bin' : 'pytorch_model-00001-of-00002.bin']));
    const reader = openSharded(JSON.stringify({ metadata: { total_size: 1 }, weight_map: weightMap }), () => openTorchCheckpoint(bytesSource(load('bert-mlm-bin/pytorch_model.bin'))));
    expectSame(reader, bin);
  });

  it('names a missing shard file', () => {
    const err = weightsError(() =>
      openSharded(index, (file) => openSafetensors(bytesSource(new Uint8Array(readFileSync(join(hf, dir, file === 'model-00002-of-00003.safetensors' ? 'gone.safetensors' : file)))))),
    );
    expect(err.kind).toBe('truncated');
    expect(err.detail).toMatch(/^shard model-00002-of-00003\.safetensors is missing \(the index lists \d+ tensors in it, e\.g\. \S+\): the download is incomplete$/);
  });

  it('names the shard when a shard is damaged, and refuses an index that does not match its shards', () => {
    const cut = weightsError(() => openSharded(index, (file) => openSafetensors(bytesSource(load(join(dir, file)).subarray(0, 5000)))));
    expect(cut.kind).toBe('truncated');
    expect(cut.detail).toMatch(/^shard model-00001-of-00003\.safetensors: \S+: data runs past the end/);

    const parsed = JSON.parse(index) as { weight_map: Record<string, string> };
    parsed.weight_map['bert.embeddings.word_embeddings.weight'] = 'model-00003-of-00003.safetensors';
    const wrong = weightsError(() => openSharded(JSON.stringify(parsed), (file) => openSafetensors(bytesSource(load(join(dir, file))))));
    expect(wrong).toMatchObject({ kind: 'corrupt', detail: 'the shard index puts bert.embeddings.word_embeddings.weight in model-00003-of-00003.safetensors, but that shard has no such tensor' });

    expect(weightsError(() => openSharded('{"weight_map": ', () => single))).toMatchObject({ kind: 'corrupt' });
    expect(weightsError(() => openSharded('{"metadata": {}}', () => single))).toMatchObject({ kind: 'corrupt', detail: 'the shard index has no weight_map object' });
  });
});
