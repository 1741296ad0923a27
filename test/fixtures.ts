// Small corpora written at test time in the encodings researchers' spreadsheets produce.
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const newsRows: [string, string, string][] = [
  ['映画「七人の侍」を観る', '週末に名画座で映画を観た。黒澤明の映画は今も新しい。', 'movie'],
  ['新作映画の公開日', '話題の映画が来月公開される。前売り券は完売した。', 'movie'],
  ['スマートフォンの電池', '新しいスマートフォンは電池の持ちが良い。', 'smax'],
  ['格安SIMの選び方', '通信量と料金で格安SIMを選ぶ。映画を観るなら容量が要る。', 'smax'],
  ['Ｊリーグ開幕', 'サッカーのＪリーグが開幕した。観客は三万人。', 'sports'],
  ['野球の日本シリーズ', '日本シリーズは第七戦までもつれた。', 'sports'],
  ['髙島屋の催事', '①北海道展 ②九州展を開催。「はしご高」の髙も正しく読めるか。', 'topic'],
  ['引用符を含む行', '彼は "映画" と言った, そして去った。\r\n二行目もある。', 'topic'],
];

export const sha256 = (contents: Uint8Array | string): string => createHash('sha256').update(contents).digest('hex');

export function tempDir(prefix = 'shirabe-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** RFC 4180 quoting: fields with quotes, commas or line breaks are quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV Excel writes on a Japanese Windows: CP932, CRLF, a header row. */
export function writeShiftJisCsv(dir: string, name = 'news-sjis.csv'): string {
  const lines = [['タイトル', '本文', 'カテゴリ'], ...newsRows].map((r) => r.map(csvField).join(','));
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932'));
  return path;
}

/** Three topics of six words each, the corpus the job tests plant (writePlantedCsv) and find again. */
export const plantedTopics = {
  sports: ['野球', '試合', '投手', 'サッカー', '選手', '優勝'],
  food: ['料理', 'ラーメン', '味噌', '野菜', 'レシピ', '寿司'],
  computer: ['パソコン', 'ソフト', 'メモリ', 'プログラム', '画面', 'データ'],
};

/**
 * A CSV (本文, カテゴリ) of documents with planted topics: each document names three words of its
 * topic, the i-th one the words at i, i + second and i + third (mod the topic's words), in a plain
 * sentence. Returns its path, to import with textColumn 本文 and labelColumn カテゴリ.
 */
export function writePlantedCsv(dir: string, topics: Record<string, readonly string[]>, perTopic: number, offsets: [number, number] = [1, 2]): string {
  const rows = ['本文,カテゴリ'];
  for (const [topic, w] of Object.entries(topics)) {
    for (let i = 0; i < perTopic; i++) rows.push(`${w[i % w.length]}と${w[(i + offsets[0]) % w.length]}の話です。${w[(i + offsets[1]) % w.length]}について考えました。,${topic}`);
  }
  const path = join(dir, 'planted.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

/** Resolves once `condition` holds, looking every `everyMs` (a run's first documents written, to cancel it then). */
export function until(condition: () => boolean, everyMs = 5): Promise<void> {
  return new Promise<void>((done) => {
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        done();
      }
    }, everyMs);
  });
}
