import { describe, expect, it } from 'vitest';
import { csvField, csvLine, float32Text, toCsv } from './csv';

describe('csv', () => {
  it('quotes fields per RFC 4180 and ends records with CRLF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvLine(['映画', 4, null])).toBe('映画,4,\r\n');
    expect(toCsv(['x'], [['a'], ['b,c']])).toBe('x\r\na\r\n"b,c"\r\n');
  });
});

describe('float32Text', () => {
  it("writes a float32 as numpy's repr of np.float32 does (numpy 1.24.2)", () => {
    // [input as float64, repr(np.float32(input))], exponents as JavaScript writes them (numpy: 1e-08).
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1 / 3, '0.33333334'],
      [-2.5, '-2.5'],
      [2 / 3, '0.6666667'],
      [0.3, '0.3'],
      [1.0000001, '1.0000001'],
      [100, '100'],
      [1e7, '10000000'],
      [16777217, '16777216'],
      [123456789, '123456790'],
      [1e-8, '1e-8'],
      [5e-7, '5e-7'],
      [3.4028235e38, '3.4028235e+38'],
      [1.17549435e-38, '1.1754944e-38'],
      [1e-45, '1e-45'], // the smallest subnormal
      [-0, '-0'],
      [0, '0'],
    ];
    for (const [x, numpy] of cases) {
      const text = float32Text(Math.fround(x));
      expect(text, `${x}`).toBe(numpy);
      expect(Object.is(Math.fround(Number(text)), Math.fround(x))).toBe(true);
    }
    expect([NaN, Infinity, -Infinity].map(float32Text)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('reads back as the same float32, and no shorter rounding does', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let i = 0; i < 20_000; i++) {
      const x = Math.fround(random() * 10 ** Math.floor(random() * 12 - 6));
      const text = float32Text(x);
      expect(Math.fround(Number(text))).toBe(x);
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+|0+$/g, '').length;
      if (digits > 1) expect(Math.fround(Number(x.toPrecision(digits - 1)))).not.toBe(x);
    }
  });
});
