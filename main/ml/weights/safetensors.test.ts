// Files of known contents, assembled byte by byte here; expected values worked out by hand
// from the IEEE 754 binary16 and bfloat16 definitions.
import { describe, expect, it } from 'vitest';
import { halfToFloat, parseHeader, readTensor, SafetensorsError } from './safetensors';

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
