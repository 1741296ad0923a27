import { describe, expect, it } from 'vitest';
import { bestIndexes } from './quality';

describe('bestIndexes', () => {
  it('marks the highest value, or the lowest where fewer is better, ties all', () => {
    expect([...bestIndexes([0.2, 0.7, null, 0.5])]).toEqual([1]);
    expect([...bestIndexes([3, 0, 0, 5], true)]).toEqual([1, 2]);
  });
  it('marks nothing with fewer than two values to compare', () => {
    expect(bestIndexes([0.4, null, undefined, Number.NaN]).size).toBe(0);
    expect(bestIndexes([]).size).toBe(0);
  });
});
