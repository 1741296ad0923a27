// CSV per RFC 4180 for what main and the renderer both write (topic tables, embedding exports):
// CRLF line ends, a field quoted when it holds a quote, comma, CR or LF; files start with a UTF-8
// BOM so that Excel opens Japanese text correctly (as renderer/src/charts/csv.ts does for charts).

export type CsvCell = string | number | null | undefined;

/** The UTF-8 byte order mark that starts a CSV file (pandas and readr skip it; Excel needs it). */
export const csvBom = '\ufeff';

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record and its CRLF. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}

/**
 * A float32 as the shortest decimal that reads back as the same float32 (numpy's repr of an
 * np.float32: 0.1, 0.33333334, 1e-8): the p-digit rounding for the least p that round-trips.
 */
export function float32Text(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Python's float(), pandas and JavaScript's Number() all read these three.
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  // 9 significant digits always round-trip a float32; about half of all values need 8, most of the
  // rest 7. Try 8 first, then fewer while they still round-trip (a shorter one read back as the
  // same float32 means a still shorter one may), so a typical value costs two or three tries.
  let best = x.toPrecision(8);
  if (Math.fround(Number(best)) !== x) best = x.toPrecision(9);
  else {
    for (let p = 7; p >= 1; p--) {
      const s = x.toPrecision(p);
      if (Math.fround(Number(s)) !== x) break;
      best = s;
    }
  }
  // toPrecision(1) writes 100 as "1e+2"; Number → String gives the same decimal as JavaScript
  // writes numbers ("100", "1e-8", "3.4028235e+38").
  return String(Number(best));
}
