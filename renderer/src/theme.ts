import { createTheme } from '@mantine/core';

export const fontFamily = '"Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo", system-ui, sans-serif';

/** The same list with single quotes: ECharts writes it unescaped into SVG style="…" attributes. */
export const chartFontFamily = fontFamily.replace(/"/g, "'");

export const theme = createTheme({
  fontFamily,
  headings: { fontFamily },
  primaryColor: 'blue',
  defaultRadius: 'sm',
});
