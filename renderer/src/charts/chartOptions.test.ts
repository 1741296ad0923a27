import { describe, expect, it } from 'vitest';
import { echarts } from './echarts';
import { okabeIto, withBase } from './chartOptions';

describe('chart export', () => {
  it('renders well-formed SVG with the Okabe–Ito palette and Japanese fonts', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 300 });
    chart.setOption(
      withBase(
        { xAxis: { type: 'category', data: ['映画', 'スポーツ'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [3, 5] }] },
        false,
        true,
      ),
    );
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg).toMatch(/^<svg[\s>]/);
    expect(svg).toContain('Noto Sans JP');
    expect(svg).toContain(okabeIto[0]);
    expect(svg).toContain('映画');
    // Every attribute value is properly quoted: no double quote inside a style="…".
    for (const style of svg.match(/style="[^"]*"/g) ?? []) expect(style).not.toMatch(/:\s*$/);
    expect(svg).not.toMatch(/font-family:"/);
    // Broken quoting shows as an attribute value followed directly by another character.
    expect(svg).not.toMatch(/="[^"]*"[^\s>/]/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
