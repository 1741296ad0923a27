import { describe, expect, it } from 'vitest';
import type { TableView } from '../../../../common/contract';
import { labelType, tableCells, tableChart } from './tableHeatmap';

// Two words, one type each way: tags O, U-Peop; relation cells ⊥, Kill→, Kill←.
const table: TableView = {
  words: ['Oswald', 'Kennedy'],
  entityLabels: ['O', 'U-Peop'],
  relationLabels: ['⊥', 'Kill→', 'Kill←'],
  wordsCut: 0,
  entityProbs: [0.1, 0.9, 0.3, 0.7],
  relationProbs: [
    // (0,0)
    0, 0, 0,
    // (0,1)
    0.2, 0.7, 0.1,
    // (1,0)
    0, 0, 0,
    // (1,1)
    0, 0, 0,
  ],
  gold: { entity: [1, 1], relation: [-1, 1, -1, -1] },
};

const text = { gold: 'Gold', predicted: 'Predicted', probability: 'p', row: 'Row', col: 'Col', none: 'none' };

describe('table cells', () => {
  it('names the type of a tag or cell label, none for O and ⊥', () => {
    expect(labelType('B-Peop', 1)).toBe('Peop');
    expect(labelType('Kill←', 2)).toBe('Kill');
    expect(labelType('O', 0)).toBeNull();
  });

  it('takes the argmax of the diagonal and the upper triangle only, with the gold label', () => {
    const cells = tableCells(table);
    expect(cells).toHaveLength(3);
    expect(cells[0]).toEqual({ row: 0, col: 0, label: 1, probability: 0.9, gold: 1 });
    expect(cells[1]).toEqual({ row: 0, col: 1, label: 1, probability: 0.7, gold: 1 });
    expect(cells[2]).toEqual({ row: 1, col: 1, label: 1, probability: 0.7, gold: 1 });
  });

  it('leaves gold out where the sentence has none', () => {
    expect(tableCells({ ...table, gold: null }).every((c) => c.gold === null)).toBe(true);
  });
});

describe('table chart', () => {
  it('marks the gold cells when asked, and writes every cell to the CSV', () => {
    const withGold = tableChart(table, text, true);
    const series = withGold.option.series as { data: unknown[] }[];
    expect(series[0].data).toHaveLength(3);
    expect(series[1].data).toHaveLength(3);
    expect((tableChart(table, text, false).option.series as { data: unknown[] }[])[1].data).toHaveLength(0);
    expect(withGold.csv.rows[1]).toEqual([0, 'Oswald', 1, 'Kennedy', 'Kill→', 0.7, 'Kill→']);
  });

  it('gives repeated words distinct axis categories', () => {
    const axis = (tableChart({ ...table, words: ['a', 'a'] }, text, false).option.xAxis as { data: string[] }).data;
    expect(new Set(axis).size).toBe(2);
  });
});
