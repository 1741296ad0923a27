// Search latency over 100,000 synthetic documents: p50/p95 of the document query the UI
// and CLI use (total + first page of 200 with snippets), and of KWIC.
// Run: npm run bench:search
import { freshProject, importAndWait, mulberry32, percentile, words, writeSyntheticCsv } from './common';

async function main(): Promise<void> {
  const { services, dir } = await freshProject();
  const csv = writeSyntheticCsv(dir, 100_000);
  const report = await importAndWait(services, csv, { name: 'synthetic', textColumn: 'text', labelColumn: 'label' });
  const h = services.handlers;
  const rand = mulberry32(7);
  const kinds: Record<string, () => string> = {
    '2-char word (scan)': () => ['映画', '研究', '言語', '社会', '医療', '患者'][Math.floor(rand() * 6)],
    '3+-char word (trigram index)': () => ['図書館', 'スマートフォン', 'サッカー', 'データ'][Math.floor(rand() * 4)],
    'two words': () => `${words[Math.floor(rand() * words.length)]} ${words[Math.floor(rand() * words.length)]}`,
    'rare string (no hit)': () => `存在しない語${Math.floor(rand() * 1000)}`,
  };
  console.log(`${report.documents} documents`);
  for (const [kind, make] of Object.entries(kinds)) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const r = await h['corpus.documents']({ corpusId: report.corpusId, query: make(), label: null, split: null, offset: 0, limit: 200 });
      times.push(performance.now() - t0);
      total += r.total;
    }
    times.sort((a, b) => a - b);
    console.log(`search, ${kind}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms (mean hits ${(total / 30).toFixed(0)})`);
  }
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await h['corpus.kwic']({ corpusId: report.corpusId, word: '図書館', width: 30, sort: 'right', limit: 1000 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`KWIC 図書館 (sorted by right context, first 1000 lines): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
  await services.shutdown();
}

void main();
