// The corpus methods behind the map's colouring, search and selection words, through the services
// on a small real corpus (imported from CSV, analysed by MeCab-IPADIC via kuromoji): each
// document's label, split and metadata as codes; the ids a search matches; the words a selection
// has over the rest of the corpus, with what was not analysed said, and bad input refused.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultImportOptions } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { plantedTopics, tempDir } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const planted = plantedTopics;
let corpusId = 0;
/** Document ids by planted topic, in import order. */
const byTopic: Record<string, number[]> = {};

beforeAll(async () => {
  await h['project.create']({ path: join(dir, 'p.shirabe') });
  const rows = ['本文,カテゴリ,媒体,年'];
  let n = 0;
  for (const [topic, words] of Object.entries(planted)) {
    for (let i = 0; i < 12; i++) {
      // 媒体: 新聞 for two thirds, ブログ for the rest; 年: one of three, left empty for every sixth document.
      rows.push(`${words[i % 6]}と${words[(i + 1) % 6]}の話です。${words[(i + 2) % 6]}について考えました。,${topic},${i % 3 === 2 ? 'ブログ' : '新聞'},${n % 6 === 5 ? '' : 2020 + (n % 3)}`);
      n++;
    }
  }
  const csv = join(dir, 'planted.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const job = await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'planted', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
  expect(job.error).toBeNull();
  corpusId = (await h['corpus.list']({}))[0].id;
  const { rows: docs } = await h['corpus.documents']({ corpusId, query: '', label: null, split: null, offset: 0, limit: 100 });
  for (const d of docs) (byTopic[d.label!] ??= []).push(d.id);
}, 60_000);

describe('corpus facets, matches and keywords', () => {
  it('gives every document its label, split and metadata values as codes, most frequent value first', async () => {
    const facets = await h['corpus.facets']({ corpusId });
    expect(facets.documentIds.length).toBe(36);
    expect(facets.fields.map((f) => [f.kind, f.name])).toEqual([
      ['label', 'label'],
      ['split', 'split'],
      ['metadata', '媒体'],
      ['metadata', '年'],
    ]);
    const field = (name: string) => facets.fields.find((f) => f.name === name)!;
    const valueOf = (name: string, documentId: number) => {
      const f = field(name);
      const code = f.codes[facets.documentIds.indexOf(documentId)];
      return code < 0 ? null : f.values[code];
    };
    expect(new Set(field('label').values)).toEqual(new Set(Object.keys(planted)));
    for (const [topic, ids] of Object.entries(byTopic)) for (const id of ids) expect(valueOf('label', id)).toBe(topic);
    // 24 newspaper documents against 12 blogs: the commoner first.
    expect(field('媒体').values).toEqual(['新聞', 'ブログ']);
    expect(Array.from(field('媒体').codes).filter((c) => c === 0).length).toBe(24);
    // Six documents have no year: code -1; the years each count 10.
    expect(Array.from(field('年').codes).filter((c) => c === -1).length).toBe(6);
    expect(field('年').values).toEqual(['2020', '2021', '2022']);
    for (const id of facets.documentIds) expect(['train', 'dev', 'test']).toContain(valueOf('split', id));
    // Every document's detail agrees.
    const d = await h['corpus.document']({ documentId: facets.documentIds[0] });
    expect(valueOf('媒体', d.id)).toBe(d.metadata['媒体']);
  });

  it('gives the ids of the documents a search matches, as the document table counts them', async () => {
    const { documentIds } = await h['corpus.matches']({ corpusId, query: 'ラーメン' });
    const page = await h['corpus.documents']({ corpusId, query: 'ラーメン', label: null, split: null, offset: 0, limit: 100 });
    expect(documentIds.length).toBe(page.total);
    expect(documentIds.length).toBeGreaterThan(0);
    expect(Array.from(documentIds)).toEqual(page.rows.map((r) => r.id));
    for (const id of documentIds) expect(byTopic.food).toContain(id);
    await expect(h['corpus.matches']({ corpusId, query: '  ' })).rejects.toMatchObject({ code: 'queryEmpty' });
  });

  it("gives a selection's words over the rest of the corpus, analysing the few unanalysed documents first", async () => {
    expect((await h['corpus.stats']({ corpusId, unit: 'morphemes', bins: 5 })).analysed).toBe(0);
    const result = await h['corpus.keywords']({ corpusId, documentIds: byTopic.food, limit: 6 });
    expect(result.selected).toBe(12);
    expect(result.unanalysed).toEqual({ selected: 0, corpus: 0 });
    expect((await h['corpus.stats']({ corpusId, unit: 'morphemes', bins: 5 })).analysed).toBe(36);
    // The selection's six planted words lead, each whole, found in a third of the food documents or more and nowhere else (lift 3).
    expect(new Set(result.words.map((w) => w.word))).toEqual(new Set(planted.food));
    for (const w of result.words) {
      expect(w.score).toBeGreaterThan(0);
      expect(w.documents).toBeGreaterThanOrEqual(4);
      expect(w.count).toBeGreaterThanOrEqual(w.documents);
      expect(w.lift).toBeCloseTo(3, 10);
    }
    const scores = result.words.map((w) => w.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // A mixed selection: its words come from both topics selected.
    const mixed = await h['corpus.keywords']({ corpusId, documentIds: [...byTopic.sports.slice(0, 6), ...byTopic.computer.slice(0, 6)], limit: 20 });
    const words = new Set(mixed.words.map((w) => w.word));
    expect(planted.sports.some((w) => words.has(w)) && planted.computer.some((w) => words.has(w))).toBe(true);
    expect(planted.food.some((w) => words.has(w))).toBe(false);
  });

  it('refuses a document of no such corpus', async () => {
    await expect(h['corpus.keywords']({ corpusId, documentIds: [999_999], limit: 5 })).rejects.toMatchObject({ code: 'documentNotFound' });
    await expect(h['corpus.facets']({ corpusId: 999 })).rejects.toMatchObject({ code: 'corpusNotFound' });
  });
});
