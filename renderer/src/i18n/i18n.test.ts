import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ja } from './ja';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('i18n resources', () => {
  it('have the same keys in Japanese and English, none empty', () => {
    expect(keys(ja).sort()).toEqual(keys(en).sort());
    for (const k of keys(ja)) {
      const get = (o: unknown) => k.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown>)[p], o);
      expect(String(get(ja)).length, k).toBeGreaterThan(0);
      expect(String(get(en)).length, k).toBeGreaterThan(0);
    }
  });
});
