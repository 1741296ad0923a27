// An entities run's curves (loss per step; per epoch the dev NER, RE and RE+ micro F1, one line per
// learning rate and score, fed by the run's curves plus live entities.progress events) and its
// scores as a table to keep (CSV) or publish (LaTeX booktabs). Pure: the words come in as arguments.
import type { EntityMetrics, EntityRunDetail } from '../../../../common/contract';
import type { ChartData } from '../../charts/chartOptions';
import { curveChartOption, learningRateLines, stepLine } from '../../charts/runCurves';
import { toCsv } from '../../charts/csv';

export type EntityCurves = EntityRunDetail['curves'];

export function formatRate(lr: number): string {
  return lr.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
}

const lrName = (learningRates: readonly number[], i: number) => `lr ${learningRates[i] === undefined ? `#${i + 1}` : formatRate(learningRates[i])}`;

export function entityStepChart(curves: EntityCurves, learningRates: readonly number[], text: { step: string; loss: string }): ChartData {
  const series = learningRateLines(learningRates, curves.steps).map((i) => ({
    ...stepLine,
    name: lrName(learningRates, i),
    data: curves.steps.filter((p) => p.learningRateIndex === i).map((p) => [p.step, p.loss]),
  }));
  return {
    option: curveChartOption(text.step, { type: 'value', name: text.loss, scale: true }, series),
    csv: { header: ['learning_rate', 'step', 'epoch', 'loss'], rows: curves.steps.map((p) => [learningRates[p.learningRateIndex] ?? '', p.step, p.epoch, p.loss]) },
  };
}

export const epochScores = ['nerF1', 'reF1', 'rePlusF1'] as const;

/** Dev micro F1 per epoch: NER, RE and RE+ of each learning rate. */
export function entityEpochChart(curves: EntityCurves, learningRates: readonly number[], text: { epoch: string; f1: string; scores: Record<(typeof epochScores)[number], string> }): ChartData {
  const lines = learningRateLines(learningRates, curves.epochs);
  const series = lines.flatMap((i) =>
    epochScores.map((s) => ({
      type: 'line' as const,
      name: lines.length > 1 ? `${text.scores[s]} (${lrName(learningRates, i)})` : text.scores[s],
      data: curves.epochs.filter((p) => p.learningRateIndex === i).map((p) => [p.epoch, p[s]]),
    })),
  );
  return {
    option: curveChartOption(text.epoch, { type: 'value', name: text.f1, min: 0, max: 1 }, series),
    csv: {
      header: ['learning_rate', 'epoch', 'train_loss', 'dev_loss', 'ner_f1', 're_f1', 're_plus_f1', 'seconds'],
      rows: curves.epochs.map((p) => [learningRates[p.learningRateIndex] ?? '', p.epoch, p.trainLoss, p.devLoss, p.nerF1, p.reF1, p.rePlusF1, p.seconds]),
    },
  };
}

export const tasks = ['ner', 're', 'rePlus'] as const;
export type Task = (typeof tasks)[number];

/** One row per task and average (micro, macro) and per type: what the metrics tables show and export. */
export function metricsRows(m: EntityMetrics, taskNames: Record<Task, string>, averageNames: { micro: string; macro: string }): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const task of tasks) {
    const s = m[task];
    rows.push([taskNames[task], averageNames.micro, s.micro.precision, s.micro.recall, s.micro.f1, s.micro.tp, s.micro.fp, s.micro.fn]);
    rows.push([taskNames[task], averageNames.macro, s.macro.precision, s.macro.recall, s.macro.f1, '', '', '']);
    for (const p of s.perType) rows.push([taskNames[task], p.type, p.precision, p.recall, p.f1, p.tp, p.fp, p.fn]);
  }
  return rows;
}

export const metricsHeader = ['task', 'type', 'precision', 'recall', 'f1', 'tp', 'fp', 'fn'];

export function metricsCsv(rows: (string | number)[][]): string {
  return toCsv(metricsHeader, rows);
}

export const texEscape = (s: string) => s.replace(/\\/g, '\\textbackslash{}').replace(/([&%$#_{}])/g, '\\$1').replace(/~/g, '\\textasciitilde{}').replace(/\^/g, '\\textasciicircum{}');

/** A booktabs table of the scores (P, R, F1 as percentages with one decimal, as the CoNLL04 papers give them). */
export function metricsLatex(rows: (string | number)[][], headings: { task: string; type: string; precision: string; recall: string; f1: string }, caption: string | null): string {
  const pct = (x: string | number) => (typeof x === 'number' ? (x * 100).toFixed(1) : x);
  const lines = ['\\begin{table}[t]', '\\centering', '\\begin{tabular}{llrrr}', '\\toprule', `${[headings.task, headings.type, headings.precision, headings.recall, headings.f1].map(texEscape).join(' & ')} \\\\`, '\\midrule'];
  let task: string | number | null = null;
  for (const r of rows) {
    if (task !== null && r[0] !== task) lines.push('\\midrule');
    lines.push(`${r[0] === task ? '' : texEscape(String(r[0]))} & ${texEscape(String(r[1]))} & ${pct(r[2])} & ${pct(r[3])} & ${pct(r[4])} \\\\`);
    task = r[0];
  }
  lines.push('\\bottomrule', '\\end{tabular}');
  if (caption) lines.push(`\\caption{${texEscape(caption)}}`);
  lines.push('\\end{table}', '');
  return lines.join('\n');
}
