// CSV files the renderer offers as downloads: common/csv.ts's RFC 4180 text as UTF-8 bytes with a
// BOM, so that Excel opens Japanese text correctly.
import { toCsv, type CsvCell } from '../../../common/csv';

export type { CsvCell } from '../../../common/csv';
export { csvField, toCsv } from '../../../common/csv';

/** The bytes of a CSV file: a UTF-8 BOM, then the text. */
export function csvBytes(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Uint8Array {
  return textBytes(toCsv(header, rows));
}

/** Text as a UTF-8 file with a BOM (CSV for Excel). */
export function textBytes(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf], 0);
  out.set(body, 3);
  return out;
}
