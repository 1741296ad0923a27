// Each kind of bad input, imported into a project that already holds a corpus: the job
// fails with a specific message in both languages, and the project is exactly as before.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, type ImportOptions } from '../common/contract';
import type { ErrorCode } from '../common/errors';
import { errorMessage } from '../common/messages';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { tempDir, writeShiftJisCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir('shirabe-bad-import-');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath });
const h = services.handlers;

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

interface Case {
  name: string;
  path: () => string | Promise<string>;
  options: Partial<ImportOptions>;
  code: ErrorCode;
  /** A fragment the English message must contain: the specific line, column or value. */
  says: string;
}

const cases: Case[] = [
  { name: 'missing file', path: () => join(dir, 'nope.csv'), options: {}, code: 'fileNotFound', says: 'nope.csv' },
  { name: 'empty file', path: () => file('empty.csv', ''), options: {}, code: 'fileEmpty', says: 'empty.csv' },
  { name: 'binary file', path: () => file('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])), options: {}, code: 'binaryFile', says: 'binary' },
  { name: 'unknown format', path: () => file('paper.pdf', '%PDF-1.7 ...'), options: {}, code: 'unknownFormat', says: 'paper.pdf' },
  { name: 'unclosed quote', path: () => file('q.csv', 'text,label\nok,a\n"never closed,b\nmore,c\n'), options: { textColumn: 'text' }, code: 'csvUnclosedQuote', says: 'Line 3' },
  { name: 'stray quote', path: () => file('s.csv', 'text,label\nok,a\nbad "quote" here,b\n'), options: { textColumn: 'text' }, code: 'csvInvalidQuote', says: 'Line 3' },
  { name: 'wrong field count', path: () => file('n.csv', 'text,label\nok,a\ntoo,many,fields\n'), options: { textColumn: 'text' }, code: 'csvFieldCount', says: 'Line 3: expected 2 fields, found 3' },
  { name: 'duplicate header', path: () => file('d.csv', 'text,text\na,b\n'), options: { textColumn: 'text' }, code: 'csvDuplicateHeader', says: '"text"' },
  { name: 'missing text column', path: () => file('c.csv', 'body,label\na,b\n'), options: { textColumn: 'text' }, code: 'columnMissing', says: 'body, label' },
  { name: 'no text column chosen', path: () => file('t.csv', 'body\na\n'), options: { textColumn: '' }, code: 'textColumnRequired', says: 'text' },
  { name: 'invalid JSON line', path: () => file('j.jsonl', '{"text":"a"}\n{"text": oops}\n'), options: { textColumn: 'text' }, code: 'jsonlInvalid', says: 'Line 2' },
  { name: 'JSON line not an object', path: () => file('a.jsonl', '{"text":"a"}\n["text"]\n'), options: { textColumn: 'text' }, code: 'jsonlNotObject', says: 'Line 2' },
  { name: 'text not a string', path: () => file('x.jsonl', '{"text":"a"}\n{"text":42}\n'), options: { textColumn: 'text' }, code: 'textNotString', says: 'Line 2' },
  { name: 'wrong encoding forced', path: () => writeShiftJisCsv(dir, 'sjis.csv'), options: { textColumn: '本文', encoding: 'utf-8' }, code: 'encodingInvalid', says: 'not valid utf-8' },
  { name: 'not a workbook', path: () => file('fake.xlsx', 'PK\u0003\u0004 not really a zip'), options: { textColumn: 'text' }, code: 'xlsxInvalid', says: 'fake.xlsx' },
  {
    name: 'missing sheet',
    path: async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('データ').addRows([['text'], ['a']]);
      const path = join(dir, 'book.xlsx');
      await wb.xlsx.writeFile(path);
      return path;
    },
    options: { textColumn: 'text', sheet: 'Sheet9' },
    code: 'xlsxNoSheet',
    says: 'Sheets: データ',
  },
  {
    name: 'folder without .txt files',
    path: () => {
      mkdirSync(join(dir, 'emptyfolder', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'emptyfolder', 'sub', 'notes.md'), 'x');
      return join(dir, 'emptyfolder');
    },
    options: {},
    code: 'directoryEmpty',
    says: 'emptyfolder',
  },
  {
    name: 'folder with a file in another encoding',
    path: () => {
      mkdirSync(join(dir, 'mixed', 'news'), { recursive: true });
      writeFileSync(join(dir, 'mixed', 'news', 'a.txt'), '映画の記事です。');
      writeFileSync(join(dir, 'mixed', 'news', 'b.txt'), iconv.encode('シフトJISの映画記事です。', 'cp932'));
      return join(dir, 'mixed');
    },
    options: { encoding: 'utf-8' },
    code: 'fileEncodingInvalid',
    says: 'news/b.txt is not valid utf-8',
  },
  { name: 'only empty rows', path: () => file('blank.csv', 'text,label\n"",a\n"   ",b\n'), options: { textColumn: 'text' }, code: 'noDocuments', says: '2 empty' },
  { name: 'bad split', path: () => writeShiftJisCsv(dir, 'split.csv'), options: { textColumn: '本文', split: [0.8, 0.3, 0.1] }, code: 'splitInvalid', says: '0.8,0.3,0.1' },
  { name: 'bad seed', path: () => writeShiftJisCsv(dir, 'seed.csv'), options: { textColumn: '本文', seed: -1 }, code: 'seedInvalid', says: '-1' },
  { name: 'name taken', path: () => writeShiftJisCsv(dir, 'again.csv'), options: { textColumn: '本文', name: 'news' }, code: 'corpusNameTaken', says: '"news"' },
];

async function snapshot() {
  const corpora = await h['corpus.list']({});
  const pages = await Promise.all(
    corpora.map((c) => h['corpus.documents']({ corpusId: c.id, query: '', label: null, split: null, offset: 0, limit: 100 })),
  );
  const hits = await Promise.all(
    corpora.map((c) => h['corpus.documents']({ corpusId: c.id, query: '映画', label: null, split: null, offset: 0, limit: 100 })),
  );
  const { sizeBytes: _grows, ...project } = (await h['project.current']({}))!;
  // The data, not the file size: the failed job itself is recorded in the job history.
  return { corpora, pages, hits: hits.map((p) => p.total), project };
}

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const job = await services.jobs.wait(
    (await h['import.start']({ path: writeShiftJisCsv(dir), options: { ...defaultImportOptions, name: 'news', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId,
  );
  expect(job.status).toBe('done');
});
afterAll(() => services.shutdown());

describe('bad input leaves the project unchanged', () => {
  it('has at least 15 distinct kinds', () => {
    expect(new Set(cases.map((c) => c.code)).size).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const before = await snapshot();
      const path = await c.path();
      const { jobId } = await h['import.start']({ path, options: { ...defaultImportOptions, name: `try ${c.name}`, ...c.options } });
      const job = await services.jobs.wait(jobId);
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe(c.code);
      const en = errorMessage(job.error!, 'en');
      const ja = errorMessage(job.error!, 'ja');
      expect(en).toContain(c.says);
      expect(en).not.toMatch(/\{\w+\}/);
      expect(ja).not.toMatch(/\{\w+\}/);
      expect(ja).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(await snapshot()).toEqual(before);
      expect(services.projects.require().jobs.history()[0]).toMatchObject({ id: jobId, status: 'failed', error: { code: c.code } });
    });
  }
});
