// The writer against the project's reader (round trip) and against files written by Python's
// safetensors (save_file through transformers' save_pretrained, test/fixtures/hf): read a
// fixture, re-encode it, and get the same header semantics, tensor bytes and, since the fixtures
// are all F32, the same file byte for byte.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../test/weightsFixtures';
import { parseHeader, readTensor } from './safetensors';
import { encodeSafetensors, type WritableTensor } from './safetensorsWrite';

const headerJson = (bytes: Uint8Array) => {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
};

describe('encodeSafetensors', () => {
  const tensors: [string, WritableTensor][] = [
    ['z.last', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, -0, Infinity, 1e-40]) }],
    ['a.first', { shape: [1], data: Float32Array.from([Math.PI]) }],
    ['m.scalar', { shape: [], data: Float32Array.from([7]) }],
    ['m.empty', { shape: [0, 4], data: new Float32Array(0) }],
  ];

  it('round-trips through the reader: names, shapes, values bit for bit, metadata', () => {
    const bytes = encodeSafetensors(tensors, { format: 'pt', note: '調べ' });
    const h = parseHeader(bytes);
    expect(h.metadata).toEqual({ format: 'pt', note: '調べ' });
    expect([...h.tensors.keys()]).toEqual(['a.first', 'm.empty', 'm.scalar', 'z.last']);
    for (const [name, t] of tensors) {
      const back = readTensor(bytes, h, name);
      expect(back.shape).toEqual(t.shape);
      expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(t.data.buffer));
    }
    expect(h.tensors.get('m.empty')!.offsets).toEqual([4, 4]);
  });

  it('pads the header with spaces to a multiple of 8 and packs the data after it', () => {
    for (const name of ['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh']) {
      const bytes = encodeSafetensors([[name, { shape: [1], data: Float32Array.from([1]) }]]);
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(n % 8).toBe(0);
      const json = headerJson(bytes);
      expect(json.trimEnd()).toBe(`{"${name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`);
      expect(json.length - json.trimEnd().length).toBeLessThan(8);
      expect(bytes.length).toBe(8 + n + 4);
    }
    // No metadata unless given.
    expect(headerJson(encodeSafetensors([])).trimEnd()).toBe('{}');
  });

  it('sorts by code point (UTF-8 byte order), not by UTF-16 units', () => {
    // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFF61).
    const bytes = encodeSafetensors([['\u{1F600}', { shape: [0], data: new Float32Array(0) }], ['\uFF61', { shape: [0], data: new Float32Array(0) }]]);
    expect([...parseHeader(bytes).tensors.keys()]).toEqual(['\uFF61', '\u{1F600}']);
  });

  it('refuses data that does not fit its shape, duplicate names and a tensor named __metadata__', () => {
    expect(() => encodeSafetensors([['x', { shape: [2, 2], data: new Float32Array(3) }]])).toThrow(/x: 3 values for shape \[2, 2\], which needs 4/);
    expect(() => encodeSafetensors([['x', { shape: [1], data: new Float32Array(1) }], ['x', { shape: [1], data: new Float32Array(1) }]])).toThrow(/given twice/);
    expect(() => encodeSafetensors([['__metadata__', { shape: [1], data: new Float32Array(1) }]])).toThrow(/cannot name a tensor/);
    expect(() => encodeSafetensors([['x', { shape: [-1], data: new Float32Array(0) }]])).toThrow(/bad shape/);
  });

  it.each(['bert-cls', 'distilbert-cls', 'xlm-roberta-cls', 'bert-mlm'])('re-encodes %s (written by Python safetensors) to the same file', (name) => {
    const original = loadFixture(`hf/${name}/model.safetensors`);
    const h = parseHeader(original);
    expect([...h.tensors.values()].every((t) => t.dtype === 'F32')).toBe(true);
    // Handed over in reverse order: the writer's own ordering must reproduce Python's.
    const names = [...h.tensors.keys()].reverse();
    const again = encodeSafetensors(
      names.map((n) => [n, readTensor(original, h, n)]),
      h.metadata,
    );
    const h2 = parseHeader(again);
    expect(JSON.parse(headerJson(again))).toEqual(JSON.parse(headerJson(original)));
    expect(h2.metadata).toEqual({ format: 'pt' });
    for (const n of names) {
      const [a, b] = [h.tensors.get(n)!, h2.tensors.get(n)!];
      expect(b).toEqual(a);
      expect(again.subarray(h2.dataStart + b.offsets[0], h2.dataStart + b.offsets[1])).toEqual(original.subarray(h.dataStart + a.offsets[0], h.dataStart + a.offsets[1]));
    }
    expect(again).toEqual(original);
  });
});
