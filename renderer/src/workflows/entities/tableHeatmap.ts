// A sentence's table as the model fills it (Ma et al. 2022's figure): an n × n grid of the words,
// the diagonal the entity tag of each word, the upper triangle the relation label of each word
// pair, each coloured by its label with the opacity of its probability, and the gold table marked
// on top. Pure: the words come in as arguments.
import type { EChartsOption } from 'echarts';
import type { TableView } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';
import { okabeIto } from '../../charts/chartOptions';

export interface TableCell {
  row: number;
  col: number;
  /** Index into entityLabels (diagonal) or relationLabels (upper triangle). */
  label: number;
  probability: number;
  /** The gold label index, or null where unannotated or unscored. */
  gold: number | null;
}

/** The type a tag or cell label is about: "B-Peop" → "Peop", "Kill→" → "Kill"; "O" and "⊥" (index 0) → null. */
export function labelType(label: string, index: number): string | null {
  if (index === 0) return null;
  return label.replace(/^[BILU]-/, '').replace(/[→←]$/, '');
}

/** Argmax of each diagonal and upper-triangle cell. */
export function tableCells(table: TableView): TableCell[] {
  const n = table.words.length;
  const E = table.entityLabels.length;
  const R = table.relationLabels.length;
  const cells: TableCell[] = [];
  const argmax = (probs: readonly number[], at: number, k: number) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[at + c] > probs[at + best]) best = c;
    return { label: best, probability: probs[at + best] ?? 0 };
  };
  for (let i = 0; i < n; i++) {
    const g = table.gold ? table.gold.entity[i] : -1;
    cells.push({ row: i, col: i, ...argmax(table.entityProbs, i * E, E), gold: g >= 0 ? g : null });
    for (let j = i + 1; j < n; j++) {
      const gr = table.gold ? table.gold.relation[i * n + j] : -1;
      cells.push({ row: i, col: j, ...argmax(table.relationProbs, (i * n + j) * R, R), gold: gr >= 0 ? gr : null });
    }
  }
  return cells;
}

/** Colours by type: entity types and relation types each through Okabe–Ito in the order they come. */
export function labelColours(table: TableView): { entity: Map<string, string>; relation: Map<string, string> } {
  const types = (labels: string[]) => [...new Set(labels.map(labelType).filter((t): t is string => t !== null))];
  const palette = okabeIto.slice(0, 7);
  const map = (ts: string[]) => new Map(ts.map((t, i) => [t, palette[i % palette.length]]));
  return { entity: map(types(table.entityLabels)), relation: map(types(table.relationLabels)) };
}

export interface TableChartText {
  gold: string;
  predicted: string;
  probability: string;
  row: string;
  col: string;
  none: string;
}

function rgba(hex: string, alpha: number): string {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255},${(v >> 8) & 255},${v & 255},${alpha.toFixed(3)})`;
}

/** The heatmap: x the column word, y the row word (first word at the top), gold cells marked with a ring when `showGold`. */
export function tableChart(table: TableView, text: TableChartText, showGold: boolean): ChartData {
  const n = table.words.length;
  const cells = tableCells(table);
  const colours = labelColours(table);
  // Axis categories must be unique: a repeated word keeps its place by its index.
  const axis = table.words.map((w, i) => `${i + 1} ${w}`);
  const labelOf = (c: TableCell, index: number) => (c.row === c.col ? table.entityLabels[index] : table.relationLabels[index]) ?? '';
  const data = cells.map((c) => {
    const name = labelOf(c, c.label);
    const type = labelType(name, c.label);
    const colour = type ? ((c.row === c.col ? colours.entity : colours.relation).get(type) ?? '#999999') : '#bbbbbb';
    // Empty cells (O, ⊥) stay faint whatever their probability, so the labelled ones stand out.
    const alpha = type ? 0.15 + 0.85 * c.probability : 0.06;
    return {
      value: [c.col, c.row, c.probability],
      name,
      itemStyle: { color: rgba(colour, alpha), borderColor: c.row === c.col ? '#888888' : '#dddddd', borderWidth: c.row === c.col ? 1 : 0.5 },
      label: { show: type !== null && n <= 40, formatter: `${name}\n${c.probability.toFixed(2)}`, fontSize: n > 20 ? 8 : 10, color: '#222222' },
    };
  });
  const gold = showGold ? cells.filter((c) => c.gold !== null && c.gold !== 0).map((c) => ({ value: [c.col, c.row], name: labelOf(c, c.gold!), match: c.gold === c.label })) : [];
  const option: EChartsOption = {
    grid: { left: 110, right: 24, top: 110, bottom: 24 },
    tooltip: {
      formatter: (p) => {
        const item = p as unknown as { seriesIndex: number; value: number[]; name: string };
        const [x, y] = item.value;
        const where = `${text.row}: ${axis[y]} · ${text.col}: ${axis[x]}`;
        if (item.seriesIndex === 1) return `${where}<br/>${text.gold}: ${item.name}`;
        const cell = cells.find((c) => c.row === y && c.col === x);
        const g = cell && cell.gold !== null ? `<br/>${text.gold}: ${labelOf(cell, cell.gold)}` : '';
        return `${where}<br/>${text.predicted}: ${item.name || text.none} (${text.probability} ${item.value[2].toFixed(3)})${g}`;
      },
    },
    xAxis: { type: 'category', data: axis, position: 'top', axisLabel: { rotate: 60, interval: 0 }, splitArea: { show: false } },
    yAxis: { type: 'category', data: axis, inverse: true, axisLabel: { interval: 0 } },
    series: [
      { type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#000000', borderWidth: 1 } } },
      {
        type: 'scatter',
        name: text.gold,
        data: gold,
        symbol: 'circle',
        symbolSize: Math.max(6, Math.min(18, 300 / Math.max(1, n))),
        itemStyle: { color: 'transparent', borderColor: '#000000', borderWidth: 2 },
        z: 5,
      },
    ],
  };
  const csv = {
    header: ['row', 'row_word', 'col', 'col_word', 'predicted', 'probability', 'gold'],
    rows: cells.map((c) => [c.row, table.words[c.row], c.col, table.words[c.col], labelOf(c, c.label), Number(c.probability.toFixed(6)), c.gold === null ? '' : labelOf(c, c.gold)]),
  };
  return { option, csv };
}
