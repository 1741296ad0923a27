// The chart export menu's strings.
const en = {
  chart: { export: 'Export', svg: 'SVG (vector)', png: 'PNG (300 dpi)', pdf: 'PDF', csv: 'Data (CSV)' },
};

const ja: typeof en = {
  chart: { export: '書き出し', svg: 'SVG（ベクター）', png: 'PNG（300 dpi）', pdf: 'PDF', csv: 'データ（CSV）' },
};

export const strings = { en, ja };
