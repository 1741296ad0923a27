// Every kind of bad input: the error code, its params, and messages with no {placeholder} left.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewImport, validateImportOptions } from './readers';
import { collect, documents, expectMessagesComplete, expectShirabeError, options, tempDir, write } from './testSupport';

const dir = tempDir('shirabe-bad-');

describe('file-level problems', () => {
  it('fileNotFound', async () => {
    const path = join(dir, 'nope.csv');
    await expectShirabeError(() => previewImport(path, {}), 'fileNotFound', { path });
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'fileNotFound', { path });
  });

  it('fileEmpty (0 bytes, and only a BOM and blank lines)', async () => {
    const path = write(dir, 'empty.csv', '');
    await expectShirabeError(() => previewImport(path, {}), 'fileEmpty', { path });
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'fileEmpty', { path });
    const blank = write(dir, 'blank.csv', '\ufeff\r\n\r\n');
    await expectShirabeError(() => previewImport(blank, {}), 'fileEmpty', { path: blank });
    await expectShirabeError(() => collect(blank, { textColumn: 'text' }), 'fileEmpty', { path: blank });
  });

  it('notADirectory', async () => {
    const path = write(dir, 'file.csv', 'text\na\n');
    await expectShirabeError(() => previewImport(path, { format: 'dir' }), 'notADirectory', { path });
    await expectShirabeError(() => collect(path, { format: 'dir' }), 'notADirectory', { path });
  });

  it('directoryEmpty (no .txt besides LICENSE/README)', async () => {
    const root = tempDir('shirabe-emptydir-');
    write(root, 'README.txt', 'readme');
    write(root, 'a/LICENSE.txt', 'license');
    write(root, 'a/data.csv', 'x');
    await expectShirabeError(() => previewImport(root, {}), 'directoryEmpty', { path: root });
    await expectShirabeError(() => collect(root, {}), 'directoryEmpty', { path: root });
  });

  it('unknownFormat', async () => {
    const path = write(dir, 'paper.pdf', '%PDF-1.4');
    await expectShirabeError(() => previewImport(path, {}), 'unknownFormat', { path });
    const plain = write(dir, 'noext', 'just words without separators');
    await expectShirabeError(() => previewImport(plain, {}), 'unknownFormat', { path: plain });
  });

  it('binaryFile: NUL bytes in the sample and later in the stream', async () => {
    const path = write(dir, 'bin.csv', Buffer.from([0x74, 0x65, 0x78, 0x74, 0x0a, 0x61, 0x00, 0x62]));
    await expectShirabeError(() => previewImport(path, {}), 'binaryFile', { path, offset: 6 });
    // Past the 1 MiB sample: found while streaming, with its absolute offset.
    const big = Buffer.concat([Buffer.from('text\n'), Buffer.alloc(2 * 1024 * 1024, 0x61), Buffer.from('\n\0\n')]);
    const late = write(dir, 'late.csv', big);
    await expectShirabeError(() => collect(late, { textColumn: 'text' }), 'binaryFile', { path: late, offset: big.length - 2 });
  });

  it('encodingInvalid: a Shift_JIS file read as UTF-8', async () => {
    const path = write(dir, 'forced.csv', iconv.encode('text\nascii\n日本語\n', 'cp932'));
    await expectShirabeError(() => collect(path, { textColumn: 'text', encoding: 'utf-8' }), 'encodingInvalid', {
      line: 3,
      encoding: 'utf-8',
      detected: 'shift_jis',
    });
    const items = await collect(path, { textColumn: 'text', encoding: 'utf-8', skipBadRows: true });
    expect(items).toEqual([
      { kind: 'document', document: { text: 'ascii', title: null, label: null, metadata: {}, line: 2 } },
      { kind: 'bad', bad: { line: 3, error: { code: 'encodingInvalid', params: { line: 3, encoding: 'utf-8', detected: 'shift_jis' } } } },
    ]);
  });

  it('csvDuplicateHeader', async () => {
    const path = write(dir, 'dup.csv', 'text,label,text\na,b,c\n');
    await expectShirabeError(() => previewImport(path, {}), 'csvDuplicateHeader', { column: 'text' });
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'csvDuplicateHeader', { column: 'text' });
  });

  it('columnMissing (text, label and metadata columns)', async () => {
    const path = write(dir, 'cols.csv', 'text,label\na,b\n');
    await expectShirabeError(() => collect(path, { textColumn: 'body' }), 'columnMissing', { column: 'body', columns: 'text, label' });
    await expectShirabeError(() => collect(path, { textColumn: 'text', labelColumn: 'カテゴリ' }), 'columnMissing', { column: 'カテゴリ' });
    await expectShirabeError(() => collect(path, { textColumn: 'text', metadataColumns: ['x'] }), 'columnMissing', { column: 'x' });
    await expectShirabeError(() => collect(path, { textColumn: '3' }), 'columnMissing', { column: '3' });
    const header = write(dir, 'headeronly.csv', 'text,label\n');
    await expectShirabeError(() => collect(header, { textColumn: 'body' }), 'columnMissing', { column: 'body' });
    const jsonl = write(dir, 'cols.jsonl', '{"text":"a"}\n');
    await expectShirabeError(() => collect(jsonl, { textColumn: 'body' }), 'columnMissing', { column: 'body', columns: 'text' });
  });

  it('textColumnRequired', async () => {
    const path = write(dir, 'req.csv', 'text\na\n');
    await expectShirabeError(() => collect(path, { textColumn: '' }), 'textColumnRequired');
  });

  it('xlsxInvalid, xlsxNoSheet, xlsxEmpty', async () => {
    const broken = write(dir, 'broken.xlsx', 'this is not a zip file');
    const err = await expectShirabeError(() => previewImport(broken, {}), 'xlsxInvalid', { path: broken });
    expect(String(err.params.detail).length).toBeGreaterThan(0);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('本文').addRow(['text']);
    wb.addWorksheet('空');
    const path = join(dir, 'sheets.xlsx');
    await wb.xlsx.writeFile(path);
    await expectShirabeError(() => previewImport(path, { sheet: 'Sheet9' }), 'xlsxNoSheet', { sheet: 'Sheet9', sheets: '本文, 空' });
    await expectShirabeError(() => collect(path, { sheet: '空', textColumn: 'text' }), 'xlsxEmpty', { sheet: '空' });
  });
});

describe('bad rows', () => {
  it('csvUnclosedQuote: reported at the line where the quote opens', async () => {
    const path = write(dir, 'unclosed.csv', 'text,label\n"ok",a\n"broken,b\nmore,c\n');
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'csvUnclosedQuote', { line: 3 });
    // With skipBadRows: reported, and the reading stops (the quote swallowed the rest).
    const items = await collect(path, { textColumn: 'text', skipBadRows: true });
    expect(items.map((i) => i.kind)).toEqual(['document', 'bad']);
    expect(items[1]).toEqual({ kind: 'bad', bad: { line: 3, error: { code: 'csvUnclosedQuote', params: { line: 3 } } } });
  });

  it('csvInvalidQuote: a quote inside an unquoted field, text after a closing quote', async () => {
    const path = write(dir, 'stray.csv', 'text,label\nhe said "hi",a\n"closed"after,b\nfine,c\n');
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'csvInvalidQuote', { line: 2 });
    const items = await collect(path, { textColumn: 'text', skipBadRows: true });
    expect(items.map((i) => (i.kind === 'bad' ? [i.bad.line, i.bad.error.code] : i.kind))).toEqual([
      [2, 'csvInvalidQuote'],
      [3, 'csvInvalidQuote'],
      'document',
    ]);
    expect(documents(items)[0]).toMatchObject({ text: 'fine', line: 4 });
  });

  it('csvFieldCount', async () => {
    const path = write(dir, 'count.csv', 'text,label\na,b\nonly\nx,y,z\n"multi\nline",q\n');
    await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'csvFieldCount', { line: 3, expected: 2, found: 1 });
    const items = await collect(path, { textColumn: 'text', skipBadRows: true });
    expect(items.map((i) => (i.kind === 'bad' ? i.bad.error.params : i.kind === 'document' ? i.document.line : i.kind))).toEqual([
      2,
      { line: 3, expected: 2, found: 1 },
      { line: 4, expected: 2, found: 3 },
      5,
    ]);
  });

  it('jsonlInvalid, jsonlNotObject, textNotString, and skipBadRows carrying on', async () => {
    const lines = ['{"text":"a"}', '{"text": "b",}', '[1,2]', '"just a string"', '{"text": 42}', '', '{"text":"c"}', 'null'];
    const path = write(dir, 'bad.jsonl', lines.join('\n'));
    const invalid = await expectShirabeError(() => collect(path, { textColumn: 'text' }), 'jsonlInvalid', { line: 2 });
    expect(String(invalid.params.detail)).toMatch(/JSON|property|Unexpected/i);
    const items = await collect(path, { textColumn: 'text', skipBadRows: true });
    expect(items.map((i) => (i.kind === 'bad' ? [i.bad.line, i.bad.error.code] : i.kind === 'document' ? i.document.text : i.kind))).toEqual([
      'a',
      [2, 'jsonlInvalid'],
      [3, 'jsonlNotObject'],
      [4, 'jsonlNotObject'],
      [5, 'textNotString'],
      'c',
      [8, 'jsonlNotObject'],
    ]);
    for (const i of items) if (i.kind === 'bad') expectMessagesComplete(i.bad.error.code, i.bad.error.params);
    const notObject = write(dir, 'array.jsonl', '{"text":"a"}\n[1]\n');
    await expectShirabeError(() => collect(notObject, { textColumn: 'text' }), 'jsonlNotObject', { line: 2 });
    const notString = write(dir, 'num.jsonl', '{"text":"a"}\n{"text":{"x":1}}\n');
    await expectShirabeError(() => collect(notString, { textColumn: 'text' }), 'textNotString', { line: 2, column: 'text' });
  });

  it('cancelled', async () => {
    const path = write(dir, 'c.csv', 'text\na\nb\n');
    const ac = new AbortController();
    ac.abort();
    await expectShirabeError(() => collect(path, { textColumn: 'text' }, { signal: ac.signal }), 'cancelled');
  });
});

describe('validateImportOptions', () => {
  it('accepts the defaults with a name', () => {
    expect(() => validateImportOptions(options({ name: 'コーパス' }))).not.toThrow();
    expect(() => validateImportOptions(options({ split: [0.7, 0.2, 0.1] }))).not.toThrow();
    expect(() => validateImportOptions(options({ split: [1, 0, 0], seed: 2 ** 32 - 1, headerLines: 20 }))).not.toThrow();
  });

  it('splitInvalid, seedInvalid, headerLinesTooMany, corpusNameRequired, textColumnRequired', async () => {
    await expectShirabeError(() => validateImportOptions(options({ split: [0.9, 0.9, 0.1] })), 'splitInvalid', { value: '0.9,0.9,0.1' });
    await expectShirabeError(() => validateImportOptions(options({ split: [1.2, -0.1, -0.1] })), 'splitInvalid', { value: '1.2,-0.1,-0.1' });
    await expectShirabeError(() => validateImportOptions(options({ split: [Number.NaN, 0.5, 0.5] })), 'splitInvalid');
    await expectShirabeError(() => validateImportOptions(options({ seed: -1 })), 'seedInvalid', { value: '-1' });
    await expectShirabeError(() => validateImportOptions(options({ seed: 2 ** 32 })), 'seedInvalid', { value: '4294967296' });
    await expectShirabeError(() => validateImportOptions(options({ seed: 1.5 })), 'seedInvalid');
    await expectShirabeError(() => validateImportOptions(options({ headerLines: 21 })), 'headerLinesTooMany', { max: 20, value: '21' });
    await expectShirabeError(() => validateImportOptions(options({ headerLines: -1 })), 'headerLinesTooMany', { max: 20 });
    await expectShirabeError(() => validateImportOptions(options({ name: '  ' })), 'corpusNameRequired');
    await expectShirabeError(() => validateImportOptions(options({ format: 'csv', textColumn: '' })), 'textColumnRequired');
    const root = tempDir('shirabe-hl-');
    write(root, 'a.txt', 'x');
    await expectShirabeError(() => previewImport(root, { headerLines: 30 }), 'headerLinesTooMany', { max: 20, value: '30' });
  });
});
