import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec';

describe('codec', () => {
  it('round-trips typed arrays and plain data exactly', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    const floats = new Float32Array([1.5, -0, Number.MIN_VALUE, 3.4e38, Math.PI]);
    const value = { a: 'テキスト', n: [1, 2, null], bytes, nested: { floats, ints: new Int32Array([-1, 2 ** 31 - 1]) } };
    const back = decode(encode(value)) as typeof value;
    expect(back.a).toBe('テキスト');
    expect(back.n).toEqual([1, 2, null]);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.bytes)).toEqual(Array.from(bytes));
    expect(back.nested.floats).toBeInstanceOf(Float32Array);
    expect(Array.from(back.nested.floats)).toEqual(Array.from(floats));
    expect(Array.from(back.nested.ints)).toEqual([-1, 2 ** 31 - 1]);
  });
  it('leaves user data with any key alone', () => {
    const metadata = { toString: 'a', constructor: 'b', $u8: 'c', __proto__x: 'd' };
    for (const [k, v] of Object.entries(metadata)) expect(decode(encode({ [k]: v }))).toEqual({ [k]: v });
  });

  it('encodes a view of a larger buffer without its neighbours', () => {
    const buffer = new Uint8Array([9, 1, 2, 3, 9]);
    const back = decode(encode({ b: buffer.subarray(1, 4) })) as { b: Uint8Array };
    expect(Array.from(back.b)).toEqual([1, 2, 3]);
  });
});
