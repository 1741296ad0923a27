import { describe, expect, it } from 'vitest';
import { allStrings, workflows } from '../workflows';
import { gatherStrings, mergeStrings, type StringTree } from './strings';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const get = (tree: StringTree, key: string): unknown => key.split('.').reduce<unknown>((a, p) => (a as StringTree)[p], tree);

describe('i18n resources', () => {
  it('have, in every namespace, the same keys in Japanese and English, none empty', () => {
    expect(allStrings.length).toBeGreaterThan(workflows.filter((w) => !w.coming).length);
    for (const { en, ja } of allStrings) {
      expect(keys(ja).sort()).toEqual(keys(en).sort());
      for (const k of keys(ja)) {
        expect(String(get(ja, k)).length, k).toBeGreaterThan(0);
        expect(String(get(en, k)).length, k).toBeGreaterThan(0);
      }
    }
  });

  it('gather every namespace without a key defined twice, and every navigation entry has its label', () => {
    const { en, ja } = gatherStrings(allStrings);
    expect(keys(ja).sort()).toEqual(keys(en).sort());
    for (const w of workflows) {
      expect(typeof get(en, w.label), w.label).toBe('string');
      expect(typeof get(ja, w.label), w.label).toBe('string');
    }
  });

  it('merge branches that several namespaces add to, and refuse a key defined twice', () => {
    expect(mergeStrings([{ nav: { a: 'A' } }, { nav: { b: 'B' }, x: 'X' }])).toEqual({ nav: { a: 'A', b: 'B' }, x: 'X' });
    expect(() => mergeStrings([{ nav: { a: 'A' } }, { nav: { a: 'again' } }])).toThrow('"nav.a" is defined twice');
    expect(() => mergeStrings([{ nav: 'A' }, { nav: { b: 'B' } }])).toThrow('"nav" is defined twice');
  });
});
