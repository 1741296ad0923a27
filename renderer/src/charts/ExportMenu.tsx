// The export menu every chart has: SVG (ECharts' server-side SVG renderer), 300 dpi PNG (drawn on a
// hidden light twin, so the chart on screen is left as it is), PDF through the backend (the SVG with
// an embedded CJK font) and CSV of the data. Chart uses it; so does any view that draws its own
// ECharts instance (the topic map).
import { Button, Menu } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/AppContext';
import { withBase } from './chartOptions';
import { csvBytes, type CsvCell } from './csv';
import { dataUrlToBytes, downloadBlob, downloadBytes } from './download';
import { echarts } from './echarts';
import { setPngDpi } from './png';

export const exportDpi = 300;

export interface ExportMenuProps {
  /** File name without extension, e.g. "histogram-chars". */
  fileName: string;
  /** The option exported (the export look, light, is applied here). */
  option(): EChartsOption;
  /** The size drawn, in CSS pixels. */
  size(): { width: number; height: number };
  csv(): { header: string[]; rows: CsvCell[][] };
  /** Test ids: "<testId>" on the button ("chart-export" for the default "export"), "<testId>-svg" … on the items. */
  testId?: string;
  onError(err: unknown): void;
}

/** The option rendered to an SVG string at the given size. */
export function svgOf(option: EChartsOption, width: number, height: number): string {
  const ssr = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    ssr.setOption(withBase(option, false, true));
    return ssr.renderToSVGString();
  } finally {
    ssr.dispose();
  }
}

/** The option drawn as a PNG (300 dpi, white background) on a hidden canvas. */
export function pngOf(option: EChartsOption, width: number, height: number): Uint8Array {
  const box = document.createElement('div');
  box.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px`;
  document.body.appendChild(box);
  const twin = echarts.init(box, null, { renderer: 'canvas', width, height });
  try {
    twin.setOption(withBase(option, false, true));
    return setPngDpi(dataUrlToBytes(twin.getDataURL({ type: 'png', pixelRatio: exportDpi / 96, backgroundColor: '#ffffff' })), exportDpi);
  } finally {
    twin.dispose();
    box.remove();
  }
}

export function ExportMenu(props: ExportMenuProps) {
  const { t } = useTranslation();
  const app = useApp();
  const id = props.testId ?? 'export';

  const run = async (kind: 'svg' | 'png' | 'pdf' | 'csv') => {
    try {
      const { width, height } = props.size();
      if (kind === 'svg') {
        downloadBlob(new Blob([svgOf(props.option(), width, height)], { type: 'image/svg+xml' }), `${props.fileName}.svg`);
      } else if (kind === 'png') {
        downloadBytes(pngOf(props.option(), width, height), `${props.fileName}.png`, 'image/png');
      } else if (kind === 'pdf') {
        const { bytes } = await app.api.call('figure.pdf', { svg: svgOf(props.option(), width, height), width, height });
        downloadBytes(bytes, `${props.fileName}.pdf`, 'application/pdf');
      } else {
        const { header, rows } = props.csv();
        downloadBytes(csvBytes(header, rows), `${props.fileName}.csv`, 'text/csv;charset=utf-8');
      }
    } catch (err) {
      props.onError(err);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button data-testid={id === 'export' ? 'chart-export' : id} size="compact-xs" variant="default">
          {t('chart.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(['svg', 'png', 'pdf', 'csv'] as const).map((kind) => (
          <Menu.Item key={kind} data-testid={`${id}-${kind}`} onClick={() => void run(kind)}>
            {t(`chart.${kind}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
