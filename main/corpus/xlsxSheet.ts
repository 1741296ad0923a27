// Excel workbooks through exceljs: one sheet as rows of strings.
import ExcelJS from 'exceljs';
import { ShirabeError } from '../../common/errors';

export interface SheetTable {
  sheets: string[];
  sheet: string;
  /** Rows with at least one non-empty cell: their 1-based row number and the cells as strings. */
  rows: { line: number; cells: string[] }[];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return d.toISOString();
}

/** A cell value as the text a researcher sees: rich text joined, dates ISO, formulas' results. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined ? '' : cellText(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return String(value);
}

/** Reads the workbook and the chosen sheet (empty = the first). */
export async function readSheet(path: string, sheetName: string): Promise<SheetTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (err) {
    throw new ShirabeError('xlsxInvalid', { path, detail: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
  const sheets = workbook.worksheets.map((w) => w.name);
  const worksheet = sheetName === '' ? workbook.worksheets[0] : workbook.worksheets.find((w) => w.name === sheetName);
  if (!worksheet) throw new ShirabeError('xlsxNoSheet', { sheet: sheetName, sheets: sheets.join(', ') });
  const rows: SheetTable['rows'] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const count = row.cellCount;
    for (let c = 1; c <= count; c++) cells.push(cellText(row.getCell(c).value));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > 0) rows.push({ line: rowNumber, cells });
  });
  if (rows.length === 0) throw new ShirabeError('xlsxEmpty', { sheet: worksheet.name });
  return { sheets, sheet: worksheet.name, rows };
}
