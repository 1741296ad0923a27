import { describe, expect, it } from 'vitest';
import { baseName, findAll, formatCount, formatEta, formatEtaRange, formatGigabytes, formatMemory, formatMegabytes, formatScore, percentOf, splitBySpans } from './format';

describe('format', () => {
  it('formats ETAs', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(-1)).toBeNull();
    expect(formatEta(5)).toBe('0:05');
    expect(formatEta(125)).toBe('2:05');
    expect(formatEta(3725)).toBe('1:02:05');
  });

  it("formats a job's estimate as a range until it is stable, never 0 without one", () => {
    expect(formatEtaRange(null, null)).toBeNull();
    expect(formatEtaRange(undefined, 42)).toBe('0:42');
    expect(formatEtaRange({ seconds: 200, low: 150, high: 260, stable: false }, 200)).toEqual(['2:30', '4:20']);
    expect(formatEtaRange({ seconds: 200, low: 200, high: 200, stable: true }, 200)).toBe('3:20');
    // A range that rounds to one value reads as that value.
    expect(formatEtaRange({ seconds: 5, low: 4.9, high: 5.1, stable: false }, 5)).toBe('0:05');
  });

  it('formats memory in MiB below a GiB, never 0.0 GB', () => {
    expect(formatMemory(24 * 1024 ** 2)).toEqual({ value: '24', unit: 'mebibytes' });
    expect(formatMemory(3.4 * 1024 ** 2)).toEqual({ value: '3.4', unit: 'mebibytes' });
    expect(formatMemory(1.5 * 1024 ** 3)).toEqual({ value: '1.5', unit: 'gibibytes' });
    expect(formatMemory(1023.99 * 1024 ** 2)).toEqual({ value: '1.0', unit: 'gibibytes' });
  });

  it('formats parameter counts and memory', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12.3K');
    expect(formatCount(110_106_428)).toBe('110.1M');
    expect(formatCount(999_950)).toBe('1.0M');
    expect(formatCount(999_949)).toBe('999.9K');
    expect(formatCount(1_300_000_000)).toBe('1.3B');
    expect(formatMegabytes(3 * 1024 * 1024 + 512 * 1024)).toBe('3.5');
  });

  it('computes percentages safely', () => {
    expect(percentOf(1, 0)).toBe(0);
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 3)).toBe(100);
  });

  it('takes a corpus name from a path', () => {
    expect(baseName('/tmp/upload/ニュース.csv')).toBe('ニュース');
    expect(baseName('C:\\data\\livedoor\\')).toBe('livedoor');
    expect(baseName('/x/.hidden')).toBe('.hidden');
  });

  it('finds and marks spans', () => {
    expect(findAll('映画と映画', '映画')).toEqual([[0, 2], [3, 5]]);
    expect(splitBySpans('映画と映画', [[3, 5], [0, 2]]).map((p) => [p.text, p.mark])).toEqual([
      ['映画', true],
      ['と', false],
      ['映画', true],
    ]);
    expect(splitBySpans('abc', [[1, 9]]).map((p) => p.text)).toEqual(['a', 'bc']);
  });

  it('formats scores and memory estimates', () => {
    expect(formatScore(0.85349)).toBe('0.853');
    expect(formatScore(1)).toBe('1.000');
    expect(formatScore(null)).toBe('—');
    expect(formatScore(undefined)).toBe('—');
    expect(formatScore(Number.NaN)).toBe('—');
    expect(formatGigabytes(2.5 * 1024 ** 3)).toBe('2.5');
  });
});
