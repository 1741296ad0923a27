// Shared pieces of the benchmarks: a services instance on a fresh project, and a seeded
// generator of Japanese-looking documents.
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultImportOptions, type ImportOptions, type ImportReport } from '../common/contract';
import { mulberry32 } from '../main/corpus/splits';
import { buildServices, type Services } from '../main/services';
import { fileSettings } from '../main/services/settings';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** The livedoor news corpus archive in ../shared/data, which every livedoor benchmark and script imports. */
export const livedoorArchive = join(root, '..', 'shared', 'data', 'livedoor', 'ldcc-text.tar.gz');

export async function freshProject(): Promise<{ services: Services; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-bench-'));
  const services = buildServices({
    mode: 'browser',
    version: 'bench',
    settings: fileSettings(join(dir, 'settings.json')),
    fontPath: join(root, 'resources', 'fonts', 'ipaexg.ttf'),
  });
  await services.handlers['project.create']({ path: join(dir, 'bench.shirabe') });
  return { services, dir };
}

/** The livedoor news folder as every benchmark and the default-model script import it: URL, date and title lines, then the body; the category folder is the label. */
export const livedoorImportOptions: Partial<ImportOptions> = {
  name: 'livedoor', textColumn: 'text', titleColumn: 'title', labelColumn: 'label', headerLines: 3, headerFields: ['url', 'date', 'title'],
};

export async function importAndWait(services: Services, path: string, options: Partial<ImportOptions>): Promise<ImportReport> {
  const { jobId } = await services.handlers['import.start']({ path, options: { ...defaultImportOptions, ...options } });
  const job = await services.jobs.wait(jobId);
  if (job.status !== 'done') throw new Error(`import ${job.status}: ${JSON.stringify(job.error)}`);
  return job.result as ImportReport;
}

export { mulberry32 };

export const words = [
  '映画', '研究', '言語', '社会', '図書館', '医療', '患者', '分析', '文章', '表現', 'データ', '調査', '結果', '方法',
  '東京', '大学', '学生', '先生', '新聞', '記事', 'スマートフォン', '電池', '通信', '料金', 'サッカー', '野球',
  '選手', '試合', '観客', '政府', '経済', '市場', '企業', '技術', '開発', '情報', '時間', '問題', '日本', '世界',
];
const particles = ['は', 'が', 'を', 'に', 'で', 'と', 'の', 'から', 'まで', 'も'];
const endings = ['である。', 'した。', 'された。', 'と言える。', 'だった。', 'が分かった。'];

export function syntheticText(rand: () => number, chars: number): string {
  let out = '';
  while (out.length < chars) {
    const n = 3 + Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) out += words[Math.floor(rand() * words.length)] + particles[Math.floor(rand() * particles.length)];
    out += endings[Math.floor(rand() * endings.length)];
  }
  return out;
}

/** A UTF-8 CSV of n synthetic documents with 9 labels: text, label, id. */
export function writeSyntheticCsv(dir: string, n: number, seed = 1): string {
  const rand = mulberry32(seed);
  const lines = ['id,label,text'];
  for (let i = 0; i < n; i++) {
    const label = `label${Math.floor(rand() * 9)}`;
    lines.push(`${i},${label},${syntheticText(rand, 200 + Math.floor(rand() * 600))}`);
  }
  const path = join(dir, `synthetic-${n}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** A plain-text table with its columns aligned (`right`: the numeric ones, right-aligned). */
export function table(head: string[], rows: string[][], right: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The machine, software and commit a benchmark ran on, for its report. */
export function machine() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root }).toString().trim()) commit += ' (working tree has uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    tfjs: tf.version_core,
    commit,
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

/** A benchmark's child process that prints its result as the last stdout line (JSON): stderr passes through, and its last 20,000 characters come back for a failure's reason. */
export function runJsonChild<T>(command: string, args: string[]): Promise<{ result?: T; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
      err = (err + d.toString()).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr: err, ...(code === 0 ? { result: JSON.parse(out.trim().split('\n').pop()!) as T } : {}) }));
  });
}

/** The last line of a failed child's stderr that reads as a message (no stack frame, no log prefix). */
export function lastMessage(stderr: string): string | undefined {
  return stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !l.startsWith('[') && l.length < 300).pop();
}
