import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewImport, readDocuments } from './readers';
import { parseCsv } from './csvParser';
import { collect, documents, options, tempDir, write } from './testSupport';
import { csvField, newsRows } from '../../test/fixtures';

const dir = tempDir();

function excelCsv(): string {
  return [['タイトル', '本文', 'カテゴリ'], ...newsRows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

describe('CSV', () => {
  const edge =
    'id,text,label\r\n' +
    '1,"hello, world",a\r\n' +
    '2,"she said ""hi""",b\r\n' +
    '3,"first\r\nsecond",a\r\n' +
    '4,"x\ny",b\n' +
    '5,,a\r\n' +
    '\r\n' +
    '6,plain,\r\n' +
    '7,"   ",a';

  it('parses quoted commas, "" escapes, embedded CRLF/LF, empty fields, no final newline', async () => {
    const path = write(dir, 'edge.csv', edge);
    const items = await collect(path, { textColumn: 'text', labelColumn: 'label' });
    expect(items.map((i) => i.kind)).toEqual(['document', 'document', 'document', 'document', 'empty', 'document', 'empty']);
    const docs = documents(items);
    expect(docs.map((d) => d.text)).toEqual(['hello, world', 'she said "hi"', 'first\r\nsecond', 'x\ny', 'plain']);
    expect(docs.map((d) => d.line)).toEqual([2, 3, 4, 6, 10]);
    expect(items[4]).toEqual({ kind: 'empty', line: 8 });
    expect(items[6]).toEqual({ kind: 'empty', line: 11 });
    expect(docs.map((d) => d.label)).toEqual(['a', 'b', 'a', 'b', null]);
    expect(docs[0].metadata).toEqual({ id: '1' });
    expect(docs[0].title).toBeNull();
  });

  it('gives the same records with a trailing newline, LF only, and in tiny chunks', () => {
    const a = parseCsv(edge);
    const b = parseCsv(`${edge}\r\n`);
    expect(b).toEqual(a);
    const lf = parseCsv(edge.replace(/\r\n/g, '\n'));
    expect(lf.map((e) => e.line)).toEqual(a.map((e) => e.line));
    expect(a).toHaveLength(8); // header + 7 records; the blank line is skipped
  });

  it('is independent of chunk boundaries', async () => {
    const { CsvParser } = await import('./csvParser');
    const whole = parseCsv(edge);
    for (const size of [1, 2, 3, 5]) {
      const p = new CsvParser(',');
      const events = [];
      for (let i = 0; i < edge.length; i += size) events.push(...p.push(edge.slice(i, i + size)));
      events.push(...p.end());
      expect(events).toEqual(whole);
    }
  });

  it('TSV, numbered columns without a header, metadata selection', async () => {
    const path = write(dir, 'plain.tsv', 'a\tfirst text\tx\nb\t"quoted\ttab"\ty\n');
    const docs = documents(await collect(path, { hasHeader: false, textColumn: '2', labelColumn: '3', metadataColumns: ['1'] }));
    expect(docs.map((d) => [d.text, d.label, d.metadata])).toEqual([
      ['first text', 'x', { 1: 'a' }],
      ['quoted\ttab', 'y', { 1: 'b' }],
    ]);
    expect(docs.map((d) => d.line)).toEqual([1, 2]);
  });

  it('reads the CP932 CSV Excel writes, with ① and 髙', async () => {
    const path = write(dir, 'news-sjis.csv', iconv.encode(excelCsv(), 'cp932'));
    const preview = await previewImport(path, {});
    expect(preview.format).toBe('csv');
    expect(preview.encoding).toBe('shift_jis');
    expect(preview.detectedEncoding.encoding).toBe('shift_jis');
    expect(preview.columns).toEqual(['タイトル', '本文', 'カテゴリ']);
    expect(preview.rows).toHaveLength(8);
    expect(preview.rows[6]['本文']).toBe(newsRows[6][1]);
    expect(preview.suggested).toEqual({ textColumn: '本文', titleColumn: 'タイトル', labelColumn: 'カテゴリ' });
    const progress: [number, number][] = [];
    const items = await collect(
      path,
      { textColumn: '本文', titleColumn: 'タイトル', labelColumn: 'カテゴリ', encoding: preview.encoding },
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    const docs = documents(items);
    expect(docs.map((d) => [d.title, d.text, d.label])).toEqual(newsRows);
    expect(docs.map((d) => d.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(docs[0].metadata).toEqual({});
    expect(progress.at(-1)).toEqual([preview.totalBytes, preview.totalBytes]);
  });

  it('reads UTF-8 with BOM, UTF-16 and EUC-JP files the same', async () => {
    const text = excelCsv();
    const files = [
      write(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
      write(dir, 'u16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])),
      write(dir, 'u16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])),
    ];
    for (const path of files) {
      const preview = await previewImport(path, {});
      expect(preview.columns[0]).toBe('タイトル'); // BOM not part of the first column name
      const docs = documents(await collect(path, { textColumn: '本文', titleColumn: 'タイトル', labelColumn: 'カテゴリ' }));
      expect(docs.map((d) => [d.title, d.text, d.label])).toEqual(newsRows);
    }
    const eucText = 'タイトル,本文\n映画の話,週末に映画を観た。\n野球の話,日本シリーズは第七戦までもつれた。\n';
    const euc = write(dir, 'euc.csv', iconv.encode(eucText, 'eucjp'));
    expect((await previewImport(euc, {})).encoding).toBe('euc-jp');
    expect(documents(await collect(euc, { textColumn: '本文' })).map((d) => d.text)).toEqual([
      '週末に映画を観た。',
      '日本シリーズは第七戦までもつれた。',
    ]);
  });

  it('streams a file larger than the read buffer', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"本文 ${i}, ""引用""\n二行目",${i % 3}`);
    const path = write(dir, 'big.csv', `id,text,label\n${rows.join('\n')}\n`);
    let n = 0;
    let lastLine = 0;
    for await (const item of readDocuments(path, options({ textColumn: 'text', labelColumn: 'label' }), {})) {
      if (item.kind !== 'document') throw new Error(item.kind);
      n++;
      lastLine = item.document.line;
    }
    expect(n).toBe(20_000);
    expect(lastLine).toBe(2 + 2 * 19_999);
  });
});

describe('JSONL', () => {
  it('reads objects, stringifies non-string metadata, skips blank lines', async () => {
    const lines = [
      JSON.stringify({ text: '一つ目', label: 'a', score: 3, tags: ['x', 'y'], ok: true, none: null }),
      '',
      '   ',
      JSON.stringify({ text: '二つ目\n改行', label: 'b', title: '題' }),
      JSON.stringify({ text: '', label: 'a' }),
      JSON.stringify({ label: 'a' }),
    ];
    const path = write(dir, 'data.jsonl', `${lines.join('\r\n')}\r\n`);
    const preview = await previewImport(path, {});
    expect(preview.format).toBe('jsonl');
    expect(preview.columns).toEqual(['text', 'label', 'score', 'tags', 'ok', 'none', 'title']);
    expect(preview.rows[0].score).toBe('3');
    const items = await collect(path, { textColumn: 'text', labelColumn: 'label', titleColumn: 'title' });
    expect(items.map((i) => i.kind)).toEqual(['document', 'document', 'empty', 'empty']);
    const docs = documents(items);
    expect(docs[0]).toEqual({
      text: '一つ目',
      title: null,
      label: 'a',
      metadata: { score: '3', tags: '["x","y"]', ok: 'true' },
      line: 1,
    });
    expect(docs[1]).toMatchObject({ text: '二つ目\n改行', title: '題', label: 'b', line: 4 });
    expect(items[2]).toEqual({ kind: 'empty', line: 5 });
    expect(items[3]).toEqual({ kind: 'empty', line: 6 });
  });

  it('.ndjson without a final newline', async () => {
    const path = write(dir, 'data.ndjson', '{"body":"a"}\n{"body":"b"}');
    const docs = documents(await collect(path, { textColumn: 'body' }));
    expect(docs.map((d) => [d.text, d.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('xlsx', () => {
  it('reads the chosen sheet: rich text, dates, formulas, numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('first');
    first.addRow(['x']);
    first.addRow(['y']);
    const sheet = wb.addWorksheet('データ');
    sheet.addRow(['タイトル', '本文', 'カテゴリ', '日付', '数']);
    sheet.addRow(['一', { richText: [{ text: '太字' }, { text: 'と普通' }] }, 'a', new Date(Date.UTC(2024, 0, 15)), 3]);
    sheet.addRow(['二', '二行\n目', 'b', new Date(Date.UTC(2024, 0, 15, 9, 30)), { formula: 'E2*2', result: 6 }]);
    sheet.addRow([]);
    sheet.addRow(['三', '', 'a', null, 1.5]);
    const path = join(dir, 'book.xlsx');
    await wb.xlsx.writeFile(path);

    const preview = await previewImport(path, { sheet: 'データ' });
    expect(preview.format).toBe('xlsx');
    expect(preview.sheets).toEqual(['first', 'データ']);
    expect(preview.columns).toEqual(['タイトル', '本文', 'カテゴリ', '日付', '数']);
    expect(preview.rows).toHaveLength(3);
    const items = await collect(path, { sheet: 'データ', textColumn: '本文', titleColumn: 'タイトル', labelColumn: 'カテゴリ' });
    expect(items.map((i) => i.kind)).toEqual(['document', 'document', 'empty']);
    const docs = documents(items);
    expect(docs[0]).toEqual({ text: '太字と普通', title: '一', label: 'a', metadata: { 日付: '2024-01-15', 数: '3' }, line: 2 });
    expect(docs[1].metadata).toEqual({ 日付: '2024-01-15T09:30:00.000Z', 数: '6' });
    expect(docs[1].text).toBe('二行\n目');
    expect(items[2]).toEqual({ kind: 'empty', line: 5 });

    const firstSheet = await previewImport(path, { hasHeader: false });
    expect(firstSheet.columns).toEqual(['1']);
    expect(firstSheet.rows).toEqual([{ 1: 'x' }, { 1: 'y' }]);
  });
});

describe('folder of .txt files (livedoor layout)', () => {
  function article(url: string, title: string, body: string): string {
    return `${url}\n2012-09-01T10:00:00+0900\n${title}\n${body}\n\n`;
  }

  it('labels by subfolder, header lines as fields, skips LICENSE/README, sorted', async () => {
    const root = tempDir('shirabe-dir-');
    write(root, 'README.txt', 'about the corpus');
    write(root, 'CHANGES.txt', '2012-09-15');
    write(root, 'movie/LICENSE.txt', 'license');
    write(root, 'movie/license.TXT', 'license');
    write(root, 'movie/movie-2.txt', article('http://x/2', '映画二', '本文二\n二行目'));
    write(root, 'movie/movie-1.txt', article('http://x/1', '映画一', '本文一'));
    write(root, 'sports/sports-1.txt', article('http://x/3', '野球', '日本シリーズ'));
    write(root, 'sports/notes.md', 'not a txt');
    write(root, 'sports/deeper/sports-9.txt', article('http://x/9', '深い', '入れ子'));
    write(root, 'loose.txt', article('http://x/0', '直下', '直下の本文'));
    // A Shift_JIS subfolder: its encoding is detected on its own.
    write(root, 'sjis/a.txt', iconv.encode(article('http://x/s', '髙島屋', '①北海道展を開催。ｶﾀｶﾅも。'), 'cp932'));
    write(root, 'empty/e.txt', 'http://x/e\n2012\n空\n   \n');

    const preview = await previewImport(root, { headerLines: 3, headerFields: ['url', 'date', 'title'] });
    expect(preview.format).toBe('dir');
    expect(preview.fileCount).toBe(7);
    expect(preview.labels).toEqual(['empty', 'movie', 'sjis', 'sports']);
    expect(preview.columns).toEqual(['url', 'date', 'title', 'text', 'label']);
    expect(preview.suggested).toEqual({ textColumn: 'text', titleColumn: 'title', labelColumn: 'label' });
    expect(preview.rows[0]).toMatchObject({ title: '空', label: 'empty' });

    const items = await collect(root, {
      textColumn: 'text',
      titleColumn: 'title',
      labelColumn: 'label',
      headerLines: 3,
      headerFields: ['url', 'date', 'title'],
    });
    expect(items[0]).toEqual({ kind: 'empty', line: 1 });
    const docs = documents(items);
    expect(docs.map((d) => d.sourceName)).toEqual([
      'loose.txt',
      'movie/movie-1.txt',
      'movie/movie-2.txt',
      'sjis/a.txt',
      'sports/deeper/sports-9.txt',
      'sports/sports-1.txt',
    ]);
    expect(docs.map((d) => d.label)).toEqual([null, 'movie', 'movie', 'sjis', 'sports', 'sports']);
    expect(docs[2]).toEqual({
      text: '本文二\n二行目',
      title: '映画二',
      label: 'movie',
      metadata: { url: 'http://x/2', date: '2012-09-01T10:00:00+0900' },
      line: 4,
      sourceName: 'movie/movie-2.txt',
    });
    expect(docs[3]).toMatchObject({ title: '髙島屋', text: '①北海道展を開催。ｶﾀｶﾅも。' });
  });

  it('without header fields: names line1…, no title; progress counts files', async () => {
    const root = tempDir('shirabe-dir-');
    write(root, 'a/1.txt', 'head\r\n本文\r\n');
    write(root, 'a/2.txt', 'head2\r\n本文2');
    const progress: number[] = [];
    const items = await collect(root, { headerLines: 1 }, { onProgress: (done, total) => progress.push(done / total) });
    expect(documents(items).map((d) => [d.text, d.title, d.metadata])).toEqual([
      ['本文', null, { line1: 'head' }],
      ['本文2', null, { line1: 'head2' }],
    ]);
    expect(progress.at(-1)).toBe(1);
  });
});

describe('cancel', () => {
  it('throws cancelled when the signal is aborted', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i},text ${i}`).join('\n');
    const path = write(dir, 'cancel.csv', `id,text\n${rows}\n`);
    const ac = new AbortController();
    let n = 0;
    await expect(async () => {
      for await (const _ of readDocuments(path, options({ textColumn: 'text' }), { signal: ac.signal })) {
        if (++n === 3) ac.abort();
      }
    }).rejects.toMatchObject({ code: 'cancelled' });
    expect(n).toBe(3);
  });
});
