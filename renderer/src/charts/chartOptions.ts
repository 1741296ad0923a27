// The look every chart shares: Okabe–Ito colours (colour-blind safe) and Japanese fonts.
import type { EChartsOption } from 'echarts';
import { chartFontFamily } from '../theme';
import type { CsvCell } from './csv';

/** A chart as the Chart component takes it: its option and its data as a CSV table. */
export interface ChartData {
  option: EChartsOption;
  csv: { header: string[]; rows: CsvCell[][] };
}

export const okabeIto = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];

/** Merges the shared palette, font and colours into a chart's own option. */
export function withBase(option: EChartsOption, dark: boolean, forExport: boolean): EChartsOption {
  const text = dark && !forExport ? '#dddddd' : '#222222';
  return {
    ...option,
    color: okabeIto,
    backgroundColor: forExport ? '#ffffff' : 'transparent',
    textStyle: { fontFamily: chartFontFamily, color: text },
    animation: forExport ? false : option.animation,
  };
}
