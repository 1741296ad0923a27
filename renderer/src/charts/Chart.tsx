// The one chart component: ECharts with the shared palette and an export menu
// (SVG, 300 dpi PNG, PDF through the backend, CSV of the data; ExportMenu.tsx).
import { Box, Group, Text } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { echarts } from './echarts';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../ui/ErrorAlert';
import { useApp } from '../state/AppContext';
import { withBase } from './chartOptions';
import type { CsvCell } from './csv';
import { ExportMenu } from './ExportMenu';

export interface ChartProps {
  option: EChartsOption;
  /** File name without extension, e.g. "histogram-chars". */
  fileName: string;
  title?: string;
  csv: { header: string[]; rows: CsvCell[][] };
  testId: string;
  /** Test ids of the export menu: "<prefix>" on its button, "<prefix>-svg" … on its items; "export" (button "chart-export") unless given. */
  exportTestId?: string;
  height?: number;
}

export function Chart(props: ChartProps) {
  const app = useApp();
  const dark = app.settings.theme === 'dark';
  const holder = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const height = props.height ?? 320;
  const optionRef = useRef(props.option);
  optionRef.current = props.option;

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    // ECharts' dark theme gives axes and labels readable colours; palette and font stay ours.
    const instance = echarts.init(el, dark ? 'dark' : null, { renderer: 'canvas' });
    chart.current = instance;
    instance.setOption(withBase(optionRef.current, dark, false), true);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    chart.current?.setOption(withBase(props.option, dark, false), true);
  }, [props.option, dark]);

  return (
    <Box data-testid={props.testId}>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {props.title ?? ''}
        </Text>
        <ExportMenu
          fileName={props.fileName}
          testId={props.exportTestId}
          option={() => props.option}
          size={() => ({ width: holder.current?.clientWidth || 800, height: holder.current?.clientHeight || height })}
          csv={() => props.csv}
          onError={(err) => setError(err)}
        />
      </Group>
      <div ref={holder} style={{ width: '100%', height }} />
      <ErrorAlert error={error} />
    </Box>
  );
}
