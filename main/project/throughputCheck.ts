// A quick, untimed throughput check (not part of the test suite):
//   node --import tsx main/project/throughputCheck.ts [documents] [chars]
// Imports synthetic Japanese documents into a fresh project in the temp folder and prints
// documents per second for the import, then times a few searches, KWIC and stats.
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { ProjectStore } from './store';

const count = Number(process.argv[2] ?? 100_000);
const chars = Number(process.argv[3] ?? 500);

const words = [
  '映画', '研究', '言語', '分析', '東京', '大学', '新しい', '古い', 'とても', '面白い', 'ので',
  'です', 'ました', 'について', '資料', '文書', 'データ', 'モデル', '評価', '結果', 'は', 'が', 'を', 'に', 'の', '。', '、',
];
let state = 12345;
function next(): number {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state >>> 8;
}
function makeText(i: number): string {
  let s = `文書${i}：`;
  while (s.length < chars) s += words[next() % words.length];
  return s.slice(0, chars);
}

const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'shirabe-throughput-'));
const path = nodePath.join(dir, 'bench.shirabe');
const store = ProjectStore.create(path);
try {
  const texts = Array.from({ length: 1000 }, (_, i) => makeText(i));
  const t0 = performance.now();
  const writer = store.corpora.beginImport({
    name: 'bench',
    source: 'synthetic',
    format: 'jsonl',
    encoding: 'utf-8',
    options: {},
    seed: 1,
    split: [0.8, 0.1, 0.1],
  });
  for (let i = 0; i < count; i++) {
    // vary every text so only the intended share are duplicates
    writer.add({ text: `${i}${texts[i % texts.length]}`, title: null, label: i % 3 === 0 ? 'a' : 'b', metadata: {}, line: i + 1 });
  }
  const summary = writer.commit();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `import: ${count} docs × ${chars} chars in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} docs/s; ` +
      `file ${(fs.statSync(path).size / 1e6).toFixed(0)} MB (+wal ${fs.existsSync(`${path}-wal`) ? (fs.statSync(`${path}-wal`).size / 1e6).toFixed(0) : 0} MB); splits ${JSON.stringify(summary.splits)}`,
  );
  const time = (label: string, fn: () => unknown) => {
    const t = performance.now();
    const r = fn();
    console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms`, r);
  };
  const q = (query: string) => () =>
    store.documents.page({ corpusId: summary.corpusId, query, label: null, split: null, offset: 0, limit: 50 }).total;
  time('search 映画 (2 chars, instr)', q('映画'));
  time('search について (4 chars, trigram)', q('について'));
  time('search 映画 について', q('映画 について'));
  time('search 文書99999', q('文書99999'));
  time('kwic モデル right limit 500', () => store.search.kwic(summary.corpusId, 'モデル', 20, 'right', 500).total);
  time('stats chars', () => store.stats.get(summary.corpusId, 'chars', 50).mean);
  time('listCorpora', () => store.corpora.list().length);
} finally {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
