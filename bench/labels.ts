// Speed and memory of topic labelling for 100,000 documents (issue 17, "labels for 100,000
// documents"): every phase of what the cluster task does after clustering — MeCab morpheme analysis
// (kuromoji's IPADIC, main/corpus/morphology.ts) into terms, fitTfidf, the study's labels, c-TF-IDF
// with and without MMR, representative documents, the lift table — beside scikit-learn's
// TfidfVectorizer(min_df=10) and the study's word-embedding product (TF-IDFᵀ · embeddings, cosine to
// the centroids) in numpy, on the same pre-cut terms (written to a file, so both sides label the
// same words).
//
// Run: npm run bench:labels [-- --n 100000] [--d 768] [--k 20] [--top 20] [--seed 1] [--json]
//
// The documents are seeded synthetic Japanese-like texts with planted topics: k topics, each with
// twelve real nouns and a tail of 300 katakana pseudo-words, over a shared vocabulary of twenty
// general nouns and 3,000 pseudo-words (both tails Zipf-distributed), joined by particles into
// sentences that end in a verb. Their vectors are seeded 768-D "embeddings" of the same topics
// (centres N(0, 0.5²), points centre + N(0, 1)), and the clusters are the planted topics (the
// clustering itself is bench:kmeans' business). Each measurement runs in its own child process, so
// its peak RSS is its own; every child reads its inputs from the files (they are in its peak, and
// in baselineMiB, the RSS after loading them). Ours is one JavaScript thread; the peer is Debian's
// python3-sklearn through /usr/bin/python3 with one thread, skipped with a note when absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deriveSeed, mulberry32, normals } from '../common/random';
import { Morphology } from '../main/corpus/morphology';
import {
  ctfidfLabels,
  defaultTermOptions,
  documentTerms,
  fitTfidf,
  labelLift,
  liftTable,
  representativeDocuments,
  studyDefaults,
  studyLabels,
  type ClusterLabels,
} from '../main/ml/topics/index';
import { root } from './common';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    dir: { type: 'string' },
    n: { type: 'string', default: '100000' },
    d: { type: 'string', default: '768' },
    k: { type: 'string', default: '20' },
    top: { type: 'string', default: `${studyDefaults.topN}` },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const d = Number(values.d);
const k = Number(values.k);
const topN = Number(values.top);
const seed = Number(values.seed);
const MIN_DF = studyDefaults.minDf;
/** BERTopic's default MMR diversity. */
const DIVERSITY = 0.1;

// ---------------------------------------------------------------- the synthetic corpus

const topicNouns: string[][] = [
  ['サッカー', '野球', '選手', '試合', '優勝', 'ゴール', '打者', '投手', '球場', '代表', '得点', '練習'],
  ['料理', 'ラーメン', 'カレー', '寿司', '味噌', '野菜', '果物', '食材', '調味料', 'レストラン', '弁当', '菓子'],
  ['計算', 'プログラム', '半導体', 'メモリ', '回路', '端末', '通信', '画面', '電池', 'ソフト', '機能', '基板'],
  ['医療', '患者', '病院', '医師', '治療', '手術', '薬', '症状', '診断', '看護', '検査', '感染'],
  ['経済', '市場', '株価', '企業', '投資', '銀行', '金利', '為替', '売上', '利益', '予算', '税金'],
  ['政府', '選挙', '国会', '議員', '政党', '法案', '首相', '大臣', '外交', '憲法', '投票', '知事'],
  ['大学', '学生', '教育', '授業', '先生', '試験', '入試', '学校', '講義', '研究室', '論文', '卒業'],
  ['映画', '俳優', '女優', '映画館', '脚本', '主演', '上映', '作品', '撮影', '興行', '配給', '予告'],
  ['音楽', '歌手', '楽曲', '演奏', 'ライブ', '歌詞', '作曲', '楽器', 'ギター', '合唱', '公演', '旋律'],
  ['天気', '台風', '気温', '降水', '梅雨', '晴れ', '雪', '豪雨', '気象', '予報', '湿度', '雷'],
  ['旅行', '観光', '温泉', '空港', '列車', '宿泊', '旅館', '名所', '景色', '海外', '鉄道', '土産'],
  ['裁判', '判決', '弁護士', '被告', '検察', '法律', '訴訟', '証拠', '刑事', '控訴', '条例', '罪'],
  ['実験', '物理', '化学', '分子', '原子', '細胞', '遺伝子', '宇宙', '惑星', '望遠鏡', '観測', '理論'],
  ['農業', '水田', '収穫', '肥料', '農家', '稲作', '畑', '家畜', '牧場', '品種', '漁業', '森林'],
  ['洋服', '化粧', '香水', '靴', '帽子', '流行', 'モデル', '衣装', '生地', 'デザイン', '髪型', '指輪'],
  ['ゲーム', '攻略', '対戦', 'キャラクター', '冒険', '迷宮', '勇者', '魔法', '武器', 'ステージ', '仲間', '課金'],
  ['住宅', '家賃', '間取り', '建築', '不動産', 'マンション', '改装', '家具', '台所', '庭', '屋根', '引っ越し'],
  ['自動車', '運転', '道路', '渋滞', '交通', '駐車', '信号', '事故', '燃料', '高速', '免許', 'タイヤ'],
  ['動物', '犬', '猫', '鳥', '魚', '昆虫', '飼育', '動物園', '餌', '鳴き声', 'ペット', '獣医'],
  ['小説', '作家', '詩', '物語', '文学', '随筆', '出版', '読者', '翻訳', '章', '文庫', '書店'],
];
const generalNouns = ['時間', '問題', '日本', '世界', '社会', '情報', '結果', '方法', '場所', '今回', '全体', '部分', '状況', '関係', '影響', '人々', '地域', '内容', '目的', '話題'];
const particles = ['は', 'が', 'を', 'に', 'で', 'と', 'の', 'から', 'まで', 'も'];
const endings = ['を調べた。', 'が増えた。', 'を始めた。', 'が変わった。', 'を見た。', 'である。', 'を選んだ。', 'が集まった。'];
const kana = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワガギグゲゴザジズゼゾダデドバビブベボパピプペポ';

/** Zipf(1) sampler over ranks 0..size-1. */
function zipf(size: number, rand: () => number): () => number {
  const cum = new Float64Array(size);
  let s = 0;
  for (let r = 0; r < size; r++) cum[r] = s += 1 / (r + 1);
  return () => {
    const u = rand() * s;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function pseudoWords(count: number, rand: () => number, taken: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const len = 3 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < len; i++) w += kana[Math.floor(rand() * kana.length)];
    if (!taken.has(w)) {
      taken.add(w);
      out.push(w);
    }
  }
  return out;
}

/** n texts (one line each), their planted topics, and n × d vectors of the same topics. */
function syntheticCorpus(): { texts: string[]; topics: Int32Array; vectors: Float32Array } {
  if (k > topicNouns.length) throw new RangeError(`at most ${topicNouns.length} planted topics`);
  const rand = mulberry32(deriveSeed(seed, 31));
  const taken = new Set<string>();
  const topicTails = topicNouns.slice(0, k).map(() => pseudoWords(300, rand, taken));
  const generalTail = pseudoWords(3000, rand, taken);
  const pickTail = zipf(300, rand);
  const pickGeneralTail = zipf(generalTail.length, rand);
  const pickHead = zipf(12, rand);
  const pickGeneral = zipf(generalNouns.length, rand);
  const texts: string[] = [];
  const topics = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * k);
    topics[i] = t;
    const slots = 15 + Math.floor(rand() * 31);
    let text = '';
    for (let s = 0; s < slots; s++) {
      const u = rand();
      const word = u < 0.2 ? topicNouns[t][pickHead()] : u < 0.4 ? topicTails[t][pickTail()] : u < 0.7 ? generalNouns[pickGeneral()] : generalTail[pickGeneralTail()];
      text += word + (rand() < 0.15 ? endings[Math.floor(rand() * endings.length)] : particles[Math.floor(rand() * particles.length)]);
    }
    texts.push(text + endings[Math.floor(rand() * endings.length)]);
  }
  const gauss = normals(mulberry32(deriveSeed(seed, 17)));
  const centres = Float32Array.from({ length: k * d }, () => 0.5 * gauss()); // [k, d]
  const vectors = new Float32Array(n * d); // [n, d]
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) vectors[i * d + j] = centres[topics[i] * d + j] + gauss();
  return { texts, topics, vectors };
}

// ---------------------------------------------------------------- the measurements, one per child

const mib = (): number => process.resourceUsage().maxRSS / 1024;
const seconds = (since: number): number => (performance.now() - since) / 1000;

function readVectors(dir: string): Float32Array {
  const b = readFileSync(join(dir, 'vectors.f32'));
  return new Float32Array(b.buffer, b.byteOffset, n * d);
}
function readTopics(dir: string): Int32Array {
  const b = readFileSync(join(dir, 'topics.i32'));
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
/** The terms file: one document a line, its terms joined by tabs. */
function readTerms(dir: string): string[][] {
  const lines = readFileSync(join(dir, 'terms.tsv'), 'utf8').split('\n');
  lines.length = n;
  return lines.map((l) => (l === '' ? [] : l.split('\t')));
}
const wordsOf = (labels: ClusterLabels[]): { cluster: number; terms: string[] }[] => labels.map((l) => ({ cluster: l.cluster, terms: l.words.map((w) => w.term) }));

async function child(kind: string, dir: string): Promise<void> {
  let out: Record<string, unknown>;
  if (kind === 'analyse') {
    const texts = readFileSync(join(dir, 'texts.txt'), 'utf8').split('\n').slice(0, n);
    const baselineMiB = mib();
    let t = performance.now();
    const analyser = await Morphology.load();
    const loadSeconds = seconds(t);
    t = performance.now();
    let morphemes = 0;
    let chars = 0;
    const lines: string[] = [];
    for (const text of texts) {
      const m = analyser.analyse(text);
      morphemes += m.length;
      chars += text.length;
      lines.push(documentTerms(m, defaultTermOptions).join('\t'));
    }
    const analyseSeconds = seconds(t);
    writeFileSync(join(dir, 'terms.tsv'), `${lines.join('\n')}\n`);
    out = { baselineMiB, loadSeconds, seconds: analyseSeconds, characters: chars, morphemes, terms: lines.reduce((s, l) => s + (l === '' ? 0 : l.split('\t').length), 0) };
  } else {
    const terms = readTerms(dir);
    if (kind === 'tfidf') {
      const baselineMiB = mib();
      const t = performance.now();
      const model = fitTfidf(terms, { minDf: MIN_DF });
      out = { baselineMiB, seconds: seconds(t), vocabulary: model.vocabulary.length, nnz: model.tfidf.indptr[n] };
    } else {
      const embeddings = readVectors(dir);
      const assignments = readTopics(dir);
      const model = fitTfidf(terms, { minDf: MIN_DF });
      const docs = { embeddings, dim: d, assignments };
      const baselineMiB = mib();
      const t = performance.now();
      if (kind === 'study') {
        const labels = studyLabels({ ...docs, tfidf: model.tfidf, vocabulary: model.vocabulary }, { topN });
        out = { seconds: seconds(t), labels: wordsOf(labels) };
      } else if (kind === 'ctfidf') {
        const { labels } = ctfidfLabels({ counts: model.counts, vocabulary: model.vocabulary, assignments }, { topN });
        out = { seconds: seconds(t), labels: wordsOf(labels) };
      } else if (kind === 'ctfidf-mmr') {
        const { labels } = ctfidfLabels({ counts: model.counts, vocabulary: model.vocabulary, assignments, mmr: { diversity: DIVERSITY, embeddings, dim: d, tfidf: model.tfidf } }, { topN });
        out = { seconds: seconds(t), labels: wordsOf(labels) };
      } else if (kind === 'representatives') {
        const reps = representativeDocuments(docs);
        out = { seconds: seconds(t), centralOwnTopic: reps.every((r) => r.documents.every((i) => assignments[i] === r.cluster)) };
      } else if (kind === 'lift') {
        const table = liftTable(model.counts, assignments);
        const tableSeconds = seconds(t);
        // And the mean lift of each method's labels (computed outside the timing).
        const study = labelLift(table, studyLabels({ ...docs, tfidf: model.tfidf, vocabulary: model.vocabulary }, { topN })).mean;
        const ctfidf = labelLift(table, ctfidfLabels({ counts: model.counts, vocabulary: model.vocabulary, assignments }, { topN }).labels).mean;
        out = { seconds: tableSeconds, meanLift: { study, ctfidf } };
      } else throw new Error(`unknown measurement ${kind}`);
      out = { baselineMiB, ...out };
    }
  }
  console.log(JSON.stringify({ ...out, maxRssMiB: mib() }));
}

// ---------------------------------------------------------------- the parent

function hasSklearn(): string | null {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn, scipy'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'skipped: /usr/bin/python3 with python3-sklearn not found (apt-get install python3-sklearn)';
  }
}

type Result = Record<string, unknown> & { seconds?: number; maxRssMiB?: number; baselineMiB?: number };

/** Shared (cluster, word) pairs of two label lists over all clusters, as a share of the first's. */
function agreement(a: { cluster: number; terms: string[] }[], b: { cluster: number; terms: string[] }[]): number {
  let same = 0;
  let all = 0;
  for (const l of a) {
    const other = new Set(b.find((x) => x.cluster === l.cluster)?.terms ?? []);
    all += l.terms.length;
    for (const t of l.terms) if (other.has(t)) same++;
  }
  return all ? same / all : Number.NaN;
}

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.dir as string);
  const dir = mkdtempSync(join(tmpdir(), 'shirabe-labels-'));
  const self = fileURLToPath(import.meta.url);
  const rows: { what: string; result: Result | string }[] = [];
  const report = (what: string, result: Result | string): Result | string => {
    rows.push({ what, result });
    const brief = typeof result === 'string' ? result : JSON.stringify({ ...result, labels: undefined });
    if (!values.json) console.error(`${what}: ${brief}`);
    return result;
  };
  const runNode = (kind: string): Result | string => {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', kind, '--dir', dir, '--n', `${n}`, '--d', `${d}`, '--k', `${k}`, '--top', `${topN}`, '--seed', `${seed}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return `failed after ${seconds(t).toFixed(0)} s (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
    return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Result;
  };
  const runPython = (task: 'tfidf' | 'study'): Result | string => {
    const r = spawnSync('/usr/bin/python3', [join(root, 'bench', 'labels_sklearn.py'), task, dir, `${n}`, `${d}`, `${MIN_DF}`, `${topN}`], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) return `failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
    return JSON.parse(r.stdout) as Result;
  };
  try {
    const t = performance.now();
    const { texts, topics, vectors } = syntheticCorpus();
    writeFileSync(join(dir, 'texts.txt'), `${texts.join('\n')}\n`);
    writeFileSync(join(dir, 'topics.i32'), new Uint8Array(topics.buffer));
    writeFileSync(join(dir, 'vectors.f32'), new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    const generatedSeconds = seconds(t);
    if (!values.json) console.error(`generated ${n.toLocaleString('en')} documents (${texts.reduce((s, x) => s + x.length, 0).toLocaleString('en')} characters) and ${n} × ${d} vectors in ${generatedSeconds.toFixed(1)} s`);
    const analysed = report('ours: morpheme analysis (kuromoji IPADIC) + terms', runNode('analyse'));
    if (typeof analysed === 'string') throw new Error(analysed);
    report('ours: fitTfidf (min_df 10)', runNode('tfidf'));
    const study = report('ours: studyLabels', runNode('study'));
    report('ours: ctfidfLabels', runNode('ctfidf'));
    report(`ours: ctfidfLabels with MMR (diversity ${DIVERSITY})`, runNode('ctfidf-mmr'));
    report('ours: representativeDocuments', runNode('representatives'));
    report('ours: liftTable', runNode('lift'));
    const missing = hasSklearn();
    report('sklearn: TfidfVectorizer(min_df=10), 1 thread', missing ?? runPython('tfidf'));
    const peer = report('sklearn + numpy: the study’s product and cosines, 1 thread', missing ?? runPython('study'));
    const same = typeof study !== 'string' && typeof peer !== 'string' ? agreement(study.labels as never, peer.labels as never) : null;
    const meta = { n, d, k, topN, minDf: MIN_DF, seed, generatedSeconds, studyLabelAgreementWithNumpy: same, cores: cpus().length, loadAverage: loadavg(), node: process.version };
    if (values.json) console.log(JSON.stringify({ ...meta, rows }, null, 2));
    else {
      console.log(JSON.stringify(meta));
      console.log('\nmeasurement\tseconds\tpeak RSS MiB\tRSS after inputs MiB');
      for (const r of rows) {
        if (typeof r.result === 'string') console.log(`${r.what}\t${r.result}`);
        else console.log(`${r.what}\t${r.result.seconds?.toFixed(2)}\t${r.result.maxRssMiB?.toFixed(0)}\t${r.result.baselineMiB?.toFixed(0) ?? ''}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
