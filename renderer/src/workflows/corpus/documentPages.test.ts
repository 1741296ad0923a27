import { describe, expect, it } from 'vitest';
import type { DocumentRow } from '../../../../common/contract';
import { DocumentPages, pageSize } from './documentPages';

function fakeRows(offset: number, limit: number, total: number): DocumentRow[] {
  const rows: DocumentRow[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i++) {
    rows.push({ id: i + 1, corpusId: 1, ordinal: i, title: `t${i}`, label: null, split: 'train', chars: 1, duplicateOf: null, snippet: { text: '', highlights: [] } });
  }
  return rows;
}

describe('DocumentPages', () => {
  it('fetches only the pages asked for, once, and evicts old ones', async () => {
    const calls: [number, number][] = [];
    let changes = 0;
    const pages = new DocumentPages(
      async (offset, limit) => {
        calls.push([offset, limit]);
        return { total: 100_000, rows: fakeRows(offset, limit, 100_000) };
      },
      () => changes++,
      3,
    );
    pages.ensure(0, 50);
    pages.ensure(10, 60);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([[0, pageSize]]);
    expect(pages.total).toBe(100_000);
    expect(pages.row(5)?.ordinal).toBe(5);
    pages.ensure(50_000, 50_030);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls[1]).toEqual([50_000, pageSize]);
    expect(pages.row(50_010)?.ordinal).toBe(50_010);
    pages.ensure(1000, 1000);
    pages.ensure(99_999, 99_999);
    await new Promise((r) => setTimeout(r, 0));
    expect(pages.pageCount).toBe(3);
    expect(pages.row(5)).toBeUndefined();
    expect(changes).toBe(4);
  });
});
