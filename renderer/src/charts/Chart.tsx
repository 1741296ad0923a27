// The one chart component: ECharts with the shared palette and an export menu
// (SVG, 300 dpi PNG, PDF through the backend, CSV of the data).
import { Box, Button, Group, Menu, Text } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { echarts } from './echarts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../ui/ErrorAlert';
import { useApp } from '../state/AppContext';
import { withBase } from './chartOptions';
import { csvBytes, type CsvCell } from './csv';
import { dataUrlToBytes, downloadBlob, downloadBytes } from './download';
import { setPngDpi } from './png';

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

const exportDpi = 300;

export function Chart(props: ChartProps) {
  const { t } = useTranslation();
  const app = useApp();
  const dark = app.settings.theme === 'dark';
  const holder = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const height = props.height ?? 320;
  const exportId = props.exportTestId ?? 'export';
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

  const size = () => ({ width: holder.current?.clientWidth || 800, height: holder.current?.clientHeight || height });

  const svgString = (): { svg: string; width: number; height: number } => {
    const { width, height: h } = size();
    const ssr = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: h });
    try {
      ssr.setOption(withBase(props.option, false, true));
      return { svg: ssr.renderToSVGString(), width, height: h };
    } finally {
      ssr.dispose();
    }
  };

  const run = async (kind: 'svg' | 'png' | 'pdf' | 'csv') => {
    setError(null);
    try {
      if (kind === 'svg') {
        downloadBlob(new Blob([svgString().svg], { type: 'image/svg+xml' }), `${props.fileName}.svg`);
      } else if (kind === 'png') {
        const instance = chart.current;
        if (!instance) return;
        let url: string;
        if (dark) {
          // The on-screen chart uses the dark theme: render the export on a light, hidden twin.
          const { width, height: h } = size();
          const box = document.createElement('div');
          box.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${h}px`;
          document.body.appendChild(box);
          const twin = echarts.init(box, null, { renderer: 'canvas', width, height: h });
          try {
            twin.setOption(withBase(props.option, false, true));
            url = twin.getDataURL({ type: 'png', pixelRatio: exportDpi / 96, backgroundColor: '#ffffff' });
          } finally {
            twin.dispose();
            box.remove();
          }
        } else {
          // Render with the export look, then restore the screen look whatever happens.
          instance.setOption(withBase(props.option, false, true), true);
          try {
            url = instance.getDataURL({ type: 'png', pixelRatio: exportDpi / 96, backgroundColor: '#ffffff' });
          } finally {
            instance.setOption(withBase(props.option, dark, false), true);
          }
        }
        downloadBytes(setPngDpi(dataUrlToBytes(url), exportDpi), `${props.fileName}.png`, 'image/png');
      } else if (kind === 'pdf') {
        const { svg, width, height: h } = svgString();
        const { bytes } = await app.api.call('figure.pdf', { svg, width, height: h });
        downloadBytes(bytes, `${props.fileName}.pdf`, 'application/pdf');
      } else {
        downloadBytes(csvBytes(props.csv.header, props.csv.rows), `${props.fileName}.csv`, 'text/csv;charset=utf-8');
      }
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Box data-testid={props.testId}>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {props.title ?? ''}
        </Text>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button data-testid={exportId === 'export' ? 'chart-export' : exportId} size="compact-xs" variant="default">
              {t('chart.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item data-testid={`${exportId}-svg`} onClick={() => void run('svg')}>
              {t('chart.svg')}
            </Menu.Item>
            <Menu.Item data-testid={`${exportId}-png`} onClick={() => void run('png')}>
              {t('chart.png')}
            </Menu.Item>
            <Menu.Item data-testid={`${exportId}-pdf`} onClick={() => void run('pdf')}>
              {t('chart.pdf')}
            </Menu.Item>
            <Menu.Item data-testid={`${exportId}-csv`} onClick={() => void run('csv')}>
              {t('chart.csv')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <div ref={holder} style={{ width: '100%', height }} />
      <ErrorAlert error={error} />
    </Box>
  );
}
