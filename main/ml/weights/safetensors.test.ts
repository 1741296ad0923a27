// Files of known contents, assembled byte by byte here; expected values worked out by hand
// from the IEEE 754 binary16 and bfloat16 definitions. openSafetensors also against
// transformers' files in test/fixtures/hf (scripts/fixtures/make_hf_fixtures.py).
import { describe, expect, it } from 'vitest';
import { loadFixture, weightsError } from '../../../test/weightsFixtures';
import { halfToFloat, openSafetensors, parseHeader, readTensor, SafetensorsError } from './safetensors';
import { bytesSource, type ByteSource } from './types';

function file(header: object, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

// Little-endian byte pairs of the 16-bit patterns.
const le16 = (...words: number[]) => words.flatMap((w) => [w & 0xff, w >> 8]);

describe('safetensors', () => {
  const bytes = file(
    {
      __metadata__: { format: 'pt' },
      'a.f32': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      'b.f16': { dtype: 'F16', shape: [2, 3], data_offsets: [8, 20] },
      'c.bf16': { dtype: 'BF16', shape: [3], data_offsets: [20, 26] },
    },
    [
      0x00, 0x00, 0x80, 0x3f, /* 1.0 */ 0x00, 0x00, 0x20, 0xc1, /* -10.0 */
      ...le16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555), // 1, -2, 65504, 2^-24, +inf, 0.333251953125
      ...le16(0x3f80, 0x4049, 0xbf00), // 1, 3.140625, -0.5
    ],
  );

  it('reads the header: names, dtypes, shapes, metadata', () => {
    const h = parseHeader(bytes);
    expect([...h.tensors.keys()]).toEqual(['a.f32', 'b.f16', 'c.bf16']);
    expect(h.tensors.get('b.f16')).toEqual({ dtype: 'F16', shape: [2, 3], offsets: [8, 20] });
    expect(h.metadata).toEqual({ format: 'pt' });
  });

  it('widens F32, F16 and BF16 exactly', () => {
    const h = parseHeader(bytes);
    expect(Array.from(readTensor(bytes, h, 'a.f32').data)).toEqual([1, -10]);
    expect(Array.from(readTensor(bytes, h, 'b.f16').data)).toEqual([1, -2, 65504, 2 ** -24, Infinity, 0.333251953125]);
    expect(Array.from(readTensor(bytes, h, 'c.bf16').data)).toEqual([1, 3.140625, -0.5]);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });

  it('refuses truncated, malformed and inconsistent files with a reason', () => {
    expect(() => parseHeader(bytes.subarray(0, 5))).toThrow(SafetensorsError);
    expect(() => parseHeader(bytes.subarray(0, 40))).toThrow(/truncated/);
    expect(() => parseHeader(bytes.subarray(0, bytes.length - 2))).toThrow(/c\.bf16: data runs past the end/);
    expect(() => parseHeader(file({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Array(8).fill(0)))).toThrow(/x: 8 bytes for shape \[3\] of F32/);
    expect(() => parseHeader(file({ x: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, [0]))).toThrow(/unsupported dtype Q4/);
    const notJson = new Uint8Array(12);
    new DataView(notJson.buffer).setBigUint64(0, 4n, true);
    notJson.set([0x7b, 0x7b, 0x7b, 0x7b], 8);
    expect(() => parseHeader(notJson)).toThrow(/not valid JSON/);
    expect(() => readTensor(bytes, parseHeader(bytes), 'missing')).toThrow(/no tensor named missing/);
  });
});

const load = (path: string) => loadFixture(`hf/${path}`);

/**
 * Round to the nearest value with `fractionBits` stored fraction bits and smallest normal
 * exponent `minExponent`, ties to even, past `maxFinite` to infinity: IEEE 754 round-to-nearest
 * worked out on doubles (which hold every float32 exactly), independent of the reader.
 */
function roundTo(x: number, fractionBits: number, minExponent: number, maxFinite: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const quantum = 2 ** (Math.max(e, minExponent) - fractionBits);
  let r = Math.floor(a / quantum);
  const rest = a / quantum - r;
  if (rest > 0.5 || (rest === 0.5 && r % 2 === 1)) r++;
  const v = r * quantum;
  return Math.sign(x) * (v > maxFinite ? Infinity : v);
}
const toF16 = (x: number) => roundTo(x, 10, -14, 65504);
const toBF16 = (x: number) => roundTo(x, 7, -126, 3.3895313892515355e38);

describe('roundTo (the test\'s own reference rounding)', () => {
  it('rounds as IEEE 754 says', () => {
    expect([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65519, 65520, 2 ** -25, 3 * 2 ** -26, -(2 ** -26), 0.1].map(toF16)).toEqual([1, 1 + 2 ** -9, 65504, Infinity, 0, 2 ** -24, -0, 0.0999755859375]);
    expect([1 + 2 ** -8, 1 + 3 * 2 ** -8, Math.PI, Math.fround(0.1)].map(toBF16)).toEqual([1, 1 + 2 ** -6, 3.140625, 0.10009765625]);
  });
});

describe('openSafetensors', () => {
  const header = {
    'a.f32': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    'b.f16': { dtype: 'F16', shape: [2, 3], data_offsets: [8, 20] },
    'c.bf16': { dtype: 'BF16', shape: [3], data_offsets: [20, 26] },
  };
  const bytes = file(header, [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc1, ...le16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555), ...le16(0x3f80, 0x4049, 0xbf00)]);
  const headerLength = bytes.length - 8 - 26;

  it('reads only the header at open, then each tensor\'s own bytes', () => {
    const reads: [number, number][] = [];
    const inner = bytesSource(bytes);
    const source: ByteSource = { size: inner.size, read: (o, l) => (reads.push([o, l]), inner.read(o, l)) };
    const reader = openSafetensors(source);
    expect(reads).toEqual([[0, 8], [8, headerLength]]);
    expect(reader.tensors.get('b.f16')).toEqual({ name: 'b.f16', dtype: 'F16', shape: [2, 3] });
    reads.length = 0;
    expect(Array.from(reader.read('b.f16'))).toEqual([1, -2, 65504, 2 ** -24, Infinity, 0.333251953125]);
    expect(reads).toEqual([[8 + headerLength + 8, 12]]);
    expect(Array.from(reader.read('c.bf16'))).toEqual([1, 3.140625, -0.5]);
    expect(Array.from(reader.read('a.f32'))).toEqual([1, -10]);
  });

  it('names what is wrong: header past the end, bad JSON, data past the end, size mismatch, dtype', () => {
    expect(weightsError(() => openSafetensors(bytesSource(bytes.subarray(0, 5))))).toMatchObject({ kind: 'truncated' });
    expect(weightsError(() => openSafetensors(bytesSource(bytes.subarray(0, 40))))).toMatchObject({
      kind: 'truncated',
      detail: `header of ${headerLength} bytes runs past the end of the file (truncated?): needs bytes 8–${8 + headerLength} but the file has 40 bytes`,
    });
    expect(weightsError(() => openSafetensors(bytesSource(bytes.subarray(0, bytes.length - 2))))).toMatchObject({
      kind: 'truncated',
      detail: `c.bf16: data runs past the end of the file (truncated?): needs bytes ${bytes.length - 6}–${bytes.length} but the file has ${bytes.length - 2} bytes`,
    });
    const notJson = new Uint8Array(12);
    new DataView(notJson.buffer).setBigUint64(0, 4n, true);
    notJson.set([0x7b, 0x7b, 0x7b, 0x7b], 8);
    expect(weightsError(() => openSafetensors(bytesSource(notJson)))).toMatchObject({ kind: 'corrupt', detail: expect.stringMatching(/^header is not valid JSON/) });
    expect(weightsError(() => openSafetensors(bytesSource(file({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Array(8).fill(0)))))).toMatchObject({
      kind: 'corrupt',
      detail: 'x: 8 bytes for shape [3] of F32, which needs 12',
    });
    expect(weightsError(() => openSafetensors(bytesSource(file({ x: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]))))).toMatchObject({ kind: 'unsupported' });
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(weightsError(() => openSafetensors(bytesSource(huge)))).toMatchObject({ kind: 'corrupt', detail: expect.stringMatching(/implausible/) });
    expect(weightsError(() => openSafetensors(bytesSource(bytes)).read('missing'))).toMatchObject({ detail: 'no tensor named missing' });
  });

  it('calls a transformers file cut anywhere truncated, naming the first tensor that no longer fits', () => {
    const full = load('bert-mlm/model.safetensors');
    for (let cut = 0; cut < full.length; cut += 97) {
      const err = weightsError(() => openSafetensors(bytesSource(full.subarray(0, cut))));
      expect(err.kind, `cut at ${cut}: ${err.detail}`).toBe('truncated');
    }
    expect(weightsError(() => openSafetensors(bytesSource(full.subarray(0, 8000)))).detail).toMatch(/^\S+: data runs past the end of the file \(truncated\?\): needs bytes \d+–\d+ but the file has 8000 bytes$/);
  });

  it('reads bert-mlm-f16 and bert-mlm-bf16 as bert-mlm\'s float32 weights rounded to half and bfloat16', () => {
    const f32 = openSafetensors(bytesSource(load('bert-mlm/model.safetensors')));
    for (const [dir, dtype, round] of [['bert-mlm-f16', 'F16', toF16], ['bert-mlm-bf16', 'BF16', toBF16]] as const) {
      const low = openSafetensors(bytesSource(load(`${dir}/model.safetensors`)));
      expect([...low.tensors.keys()].sort()).toEqual([...f32.tensors.keys()].sort());
      let changed = 0;
      for (const [name, info] of f32.tensors) {
        expect(low.tensors.get(name), name).toEqual({ ...info, dtype });
        const exact = f32.read(name);
        const want = Array.from(exact, round);
        expect(Array.from(low.read(name)), `${dir} ${name}`).toEqual(want);
        changed += want.filter((v, i) => v !== exact[i]).length;
      }
      expect(changed, 'the rounding is not a no-op').toBeGreaterThan(1000);
    }
  });
});
