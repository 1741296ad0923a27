// The `shirabe` command as a researcher runs it: the built CLI in a child process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { writeSyntheticCsv } from '../bench/common';
import { defaultModelDir } from './e2eHarness';
import { newsRows, tempDir, writeShiftJisCsv } from './fixtures';
import { repoRoot } from './paths';

const cli = join(repoRoot, 'bin', 'shirabe.cjs');
const dir = tempDir();
const env = { ...process.env, SHIRABE_CONFIG_DIR: join(dir, 'config'), LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

// Asynchronous on purpose: a spawnSync blocks this test process's event loop for as long as the
// command runs, and after a minute of that vitest's own RPC to its workers times out
// ("Timeout calling onTaskUpdate") and fails the run even though every test passed.
function shirabe(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'cli.cjs'))) {
    const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--cli'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('CLI build failed');
  }
});

describe('shirabe CLI', () => {
  const project = join(dir, 'study.shirabe');

  it('creates a project, imports a Shift_JIS CSV and lists the corpus', async () => {
    expect((await shirabe(['new', project])).code).toBe(0);
    expect(existsSync(project)).toBe(true);
    const csv = writeShiftJisCsv(dir);
    const imported = await shirabe(['import', project, csv, '--name', 'news', '--text', '本文', '--title', 'タイトル', '--label', 'カテゴリ', '--split', '0.5,0.25,0.25', '--seed', '7', '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({ documents: newsRows.length, encoding: 'shift_jis', format: 'csv', badRowCount: 0 });
    const listed = await shirabe(['corpora', project, '--json']);
    const corpora = JSON.parse(listed.stdout);
    expect(corpora).toHaveLength(1);
    expect(corpora[0].name).toBe('news');
    expect(corpora[0].documents).toBe(newsRows.length);
    expect(Object.fromEntries(corpora[0].labels.map((l: { label: string; count: number }) => [l.label, l.count]))).toEqual({ movie: 2, smax: 2, sports: 2, topic: 2 });
    expect(corpora[0].splits.train + corpora[0].splits.dev + corpora[0].splits.test).toBe(newsRows.length);
  });

  it('searches and concords Japanese without spaces, including 2-character words', async () => {
    const search = JSON.parse((await shirabe(['search', project, '映画', '--json'])).stdout);
    // 映画 occurs in rows 1, 2, 4 and 8 (text or title).
    expect(search.total).toBe(4);
    const cp932 = JSON.parse((await shirabe(['search', project, '髙島屋', '--json'])).stdout);
    expect(cp932.total).toBe(1);
    const kwic = JSON.parse((await shirabe(['kwic', project, '映画', '--width', '5', '--sort', 'right', '--json'])).stdout);
    // Occurrences in the texts only (titles are not part of the running text): 2 + 1 + 1 + 1.
    expect(kwic.total).toBe(5);
    for (const line of kwic.lines) {
      expect(line.keyword).toBe('映画');
      expect(line.left.length).toBeLessThanOrEqual(5);
      expect(line.right.length).toBeLessThanOrEqual(5);
    }
    const rights = kwic.lines.map((l: { right: string }) => l.right);
    expect([...rights].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(rights);
  });

  it('explains errors on stderr, in Japanese under a Japanese locale, with exit code 1', async () => {
    const missing = await shirabe(['corpora', join(dir, 'nope.shirabe')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No project file at');
    const ja = await shirabe(['corpora', join(dir, 'nope.shirabe')], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stderr).toContain('プロジェクトファイルがありません');
    const again = await shirabe(['new', project]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    // A config's schema problems are worded in the user's language too, field by field.
    const badConfig = join(dir, 'bad-train.json');
    writeFileSync(badConfig, JSON.stringify({ corpus: 1, model: 'm', epochs: 'five' }));
    const jaConfig = await shirabe(['train', project, '--config', badConfig], { LANG: 'ja_JP.UTF-8' });
    expect(jaConfig.code).toBe(1);
    expect(jaConfig.stderr).toContain('設定が正しくありません: epochs: ');
    expect(jaConfig.stderr).not.toMatch(/Invalid|expected/);
    writeFileSync(badConfig, '{ "corpus": 1, ');
    expect((await shirabe(['train', project, '--config', badConfig], { LANG: 'ja_JP.UTF-8' })).stderr).toContain('JSON として読めません');
    const badSplit = await shirabe(['import', project, writeShiftJisCsv(dir, 'b.csv'), '--split', '0.9,0.9,0.1']);
    expect(badSplit.code).toBe(1);
    expect(badSplit.stderr).toContain('Split ratios');
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, 'text,label\n"ok",a\n"broken,b\n');
    const broken = await shirabe(['import', project, badCsv, '--name', 'broken']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/Line 3/);
    // Nothing of the failed import is left behind.
    expect(JSON.parse((await shirabe(['corpora', project, '--json'])).stdout)).toHaveLength(1);
  });
});

describe('shirabe doctor', () => {
  it('names the compute backend in use and why each one before it was passed over, in English and Japanese', async () => {
    const json = await shirabe(['doctor', '--json']);
    expect(json.code).toBe(0);
    const status = JSON.parse(json.stdout) as { backend: string | null; device: string; skipped: { backend: string; code: string; reason: string }[]; inference: { device: string } | null };
    expect(status.backend).not.toBeNull();
    // Every backend preferred to the one in use is accounted for, each with a code the reader's language can say.
    const order = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
    expect(status.skipped.map((k) => k.backend)).toEqual(order.slice(0, order.indexOf(status.backend!)).filter((b) => status.skipped.some((k) => k.backend === b)));
    for (const k of status.skipped) expect(['notInstalled', 'loadFailed', 'cudaMissing', 'noInit', 'noCudaDevice', 'nativeLoaded', 'webgpuNotInstalled', 'webgpuLoadFailed', 'noAdapter', 'softwareAdapter']).toContain(k.code);
    // NVIDIA's stack as found on disk, and what each CUDA consumer lacks (CI has no GPU: the driver at least).
    const cuda = (JSON.parse(json.stdout) as { cuda: { consumers: { consumer: string; ready: boolean; missing: { what: string }[] }[] } }).cuda;
    expect(cuda.consumers.map((c) => c.consumer)).toEqual(['tfjs-node-gpu', 'onnxruntime-cuda']);
    for (const c of cuda.consumers) expect(c.ready).toBe(c.missing.length === 0);
    expect(status.inference?.device).toBeTruthy();
    const en = await shirabe(['doctor']);
    expect(en.stdout).toContain(`Compute backend: ${status.backend} — ${status.device}`);
    for (const k of status.skipped) expect(en.stdout).toContain(`  ${k.backend}: `);
    expect(en.stdout).toContain('Inference (embedding, prediction): ');
    expect(en.stdout).toContain('CUDA (found without loading it): driver ');
    expect(en.stdout).toMatch(/tfjs-node-gpu \(legacy\), needs CUDA 11\.2 and cuDNN 8\.1: /);
    const ja = await shirabe(['doctor'], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stdout).toContain(`計算バックエンド: ${status.backend}`);
    expect(ja.stdout).toContain('推論（埋め込み・予測）: ');
    expect(ja.stdout).toContain('CUDA（読み込まずに調べた結果）: ドライバー ');
    if (status.skipped.some((k) => k.code === 'notInstalled')) expect(ja.stdout).toContain('インストールされていません');
    expect(ja.stdout).not.toContain('is not installed');
  });
});

describe('shirabe train, runs, run-show, export-model', () => {
  const project = join(dir, 'train.shirabe');
  const config = join(dir, 'train.json');

  it('fine-tunes with LoRA from a JSON config, lists and shows the run, and exports it both ways', async () => {
    expect((await shirabe(['new', project])).code).toBe(0);
    const imported = await shirabe(['import', project, writeSyntheticCsv(dir, 90, 5), '--text', 'text', '--label', 'label', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const corpus = JSON.parse(imported.stdout).corpusId as number;
    // Only corpus and model are required; the rest shows the README's names.
    writeFileSync(config, JSON.stringify({ corpus, model: defaultModelDir, method: 'lora', learningRates: [1e-3], epochs: 1, batchSize: 8, maxLength: 32, seed: 5, lora: { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value'] } }));
    const trained = await shirabe(['train', project, '--config', config, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.best).toMatchObject({ learningRate: 1e-3, epoch: 1 });
    expect(result.test.documents).toBeGreaterThan(0);

    const runs = JSON.parse((await shirabe(['runs', project, '--json'])).stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: result.runId, status: 'done' });
    const shown = await shirabe(['run-show', project, String(result.runId)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('best epoch 1');
    expect((await shirabe(['run-show', project, String(result.runId)], { LANG: 'ja_JP.UTF-8' })).stdout).toContain('最良エポック 1');

    const adapter = await shirabe(['export-model', project, String(result.runId), join(dir, 'adapter'), '--json']);
    expect(adapter.code, adapter.stderr).toBe(0);
    expect(JSON.parse(adapter.stdout).files).toEqual(expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors', 'vocab.txt']));
    const merged = await shirabe(['export-model', project, String(result.runId), join(dir, 'merged'), '--merge']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('merged Hugging Face model');
    expect(existsSync(join(dir, 'merged', 'model.safetensors'))).toBe(true);
    // The merged folder is a model Shirabe itself opens, with the run's labels.
    const inspected = JSON.parse((await shirabe(['model', 'inspect', join(dir, 'merged'), '--json'])).stdout);
    expect(inspected).toMatchObject({ missing: [], unexpected: [] });
    // A folder that is not empty is refused and left as it was, in the user's language.
    const again = await shirabe(['export-model', project, String(result.runId), join(dir, 'merged'), '--merge'], { LANG: 'ja_JP.UTF-8' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('空ではありません');
    // ONNX: the classifier's logits as model.onnx, the labels and the tokenizer beside it.
    const onnx = await shirabe(['export-model', project, String(result.runId), join(dir, 'onnx'), '--onnx']);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(onnx.stdout).toContain('as ONNX');
    for (const f of ['model.onnx', 'config.json', 'vocab.txt']) expect(existsSync(join(dir, 'onnx', f))).toBe(true);
  }, 240_000);

  it('applies the fine-tuned run to its corpus (predict), with metrics against gold and a CSV, in both languages', async () => {
    // The project, corpus 1 and fine-tuning run 1 of the test above.
    const predicted = await shirabe(['predict', project, '--run', '1', '--corpus', '1', '--split', 'test', '--out', join(dir, 'predicted.csv'), '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const result = JSON.parse(predicted.stdout);
    const trained = JSON.parse((await shirabe(['runs', project, '--json'])).stdout).find((r: { id: number }) => r.id === 1);
    expect(result.documents).toBe(trained.test.documents);
    expect(result.evaluation.metrics.accuracy).toBeCloseTo(trained.test.accuracy, 10);
    expect(result.csv.rows).toBe(result.documents);
    const lines = readFileSync(join(dir, 'predicted.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(['document_id', 'title', 'split', 'gold', 'predicted', 'confidence', ...result.labels.map((l: string) => `p(${l})`)].join(','));
    expect(lines).toHaveLength(result.documents + 1);
    const human = await shirabe(['predict', project, '--run', '1', '--corpus', '1', '--split', 'dev']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('confusion matrix (rows gold, columns predicted)');
    const ja = await shirabe(['predict', project, '--model', defaultModelDir, '--corpus', '1'], { LANG: 'ja_JP.UTF-8' });
    expect(ja.code).toBe(1);
    expect(ja.stderr).toContain('分類ヘッドがありません');
    const exported = await shirabe(['export-predictions', project, String(result.runId), join(dir, 'again.csv')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'predicted.csv'), 'utf8'));
  }, 120_000);

  it('refuses a config without a corpus, and an unknown run, with the reason', async () => {
    writeFileSync(config, JSON.stringify({ model: defaultModelDir }));
    const bad = await shirabe(['train', project, '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The config is invalid');
    expect(bad.stderr).toContain('corpusId');
    const missing = await shirabe(['export-model', project, '99', join(dir, 'none')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No run 99');
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});

describe('shirabe pretrain, mlm-loss, vocab, extend-positions', () => {
  const project = join(dir, 'pretrain.shirabe');

  it('pretrains a tiny BERT from scratch from a JSON config, then compares it with the default model by masked-LM loss', async () => {
    expect((await shirabe(['new', project])).code).toBe(0);
    const imported = await shirabe(['import', project, writeSyntheticCsv(dir, 80, 6), '--text', 'text', '--label', 'label', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const corpus = JSON.parse(imported.stdout).corpusId as number;
    const config = join(dir, 'pretrain.json');
    const output = join(dir, 'tiny-bert');
    writeFileSync(config, JSON.stringify({ corpus, mode: 'scratch', output, scratch: { vocabSize: 300, hiddenSize: 32, numLayers: 1, numHeads: 2, intermediateSize: 64, maxPositions: 64 }, maxLength: 32, epochs: 1, batchSize: 8, learningRate: 3e-3 }));
    const trained = await shirabe(['pretrain', project, '--config', config, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.finalLoss.loss).toBeLessThan(result.initialLoss.loss);
    expect(existsSync(join(output, 'model.safetensors'))).toBe(true);

    const compared = await shirabe(['mlm-loss', project, '--model', output, '--model', defaultModelDir, '--corpus', String(corpus), '--split', 'dev', '--max-length', '32']);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain('tiny-bert');
    expect(compared.stdout).toContain('not comparable');
    const ja = await shirabe(['mlm-loss', project, '--model', output, '--corpus', String(corpus), '--split', 'dev', '--max-length', '32', '--seeds', '2'], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stdout).toContain('マスク言語モデル損失');

    // SimCSE from the same kind of config (its mode set by the command), on the default model.
    const simcseConfig = join(dir, 'simcse.json');
    writeFileSync(simcseConfig, JSON.stringify({ corpus, model: defaultModelDir, output: join(dir, 'simcse-model'), epochs: 1, batchSize: 8, learningRate: 1e-4, evalSeeds: 1 }));
    const simcse = await shirabe(['simcse', project, '--config', simcseConfig]);
    expect(simcse.code, simcse.stderr).toBe(0);
    expect(simcse.stdout).toMatch(/^SimCSE run \d+ finished in [\d.]+ s: held-out contrastive loss [\d.]+ → [\d.]+\./);
    expect(existsSync(join(dir, 'simcse-model', 'model.safetensors'))).toBe(true);
  }, 240_000);

  it('learns a vocabulary into a folder and extends a model to more positions; bad input is refused with its reason', async () => {
    const corpus = JSON.parse((await shirabe(['corpora', project, '--json'])).stdout)[0].id as number;
    const vocab = await shirabe(['vocab', project, join(dir, 'vocab'), '--corpus', String(corpus), '--size', '400', '--json']);
    expect(vocab.code, vocab.stderr).toBe(0);
    expect(JSON.parse(vocab.stdout).files).toContain('vocab.txt');
    const extended = await shirabe(['extend-positions', defaultModelDir, join(dir, 'long'), '--length', '1024']);
    expect(extended.code, extended.stderr).toBe(0);
    expect(extended.stdout).toContain('512 to 1024');
    expect(JSON.parse((await shirabe(['model', 'inspect', join(dir, 'long'), '--json'])).stdout).maxPositions).toBe(1024);
    const again = await shirabe(['extend-positions', defaultModelDir, join(dir, 'long'), '--length', '2048'], { LANG: 'ja_JP.UTF-8' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('空ではありません');
    const config = join(dir, 'bad-pretrain.json');
    writeFileSync(config, JSON.stringify({ corpus, mode: 'continue', output: join(dir, 'x') }));
    const bad = await shirabe(['pretrain', project, '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('modelPath');
  }, 120_000);
});

describe('shirabe attribute, attribute-split', () => {
  const project = join(dir, 'attribute.shirabe');

  it('attributes a sentence embedding word by word, refuses a class without a classifier, and runs a split as one run', async () => {
    expect((await shirabe(['new', project])).code).toBe(0);
    const imported = await shirabe(['import', project, writeSyntheticCsv(dir, 12, 5), '--text', 'text', '--label', 'label', '--split', '0.5,0.25,0.25', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const corpus = String(JSON.parse(imported.stdout).corpusId);
    const one = await shirabe(['attribute', project, '--doc', '1', '--model', defaultModelDir, '--target', 'embedding', '--estimate', '16', '--max-length', '32', '--top', '3']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^Document 1.*sentence embedding; ‖s\(x\) − s\(baseline\)‖ [\d.]+, completeness gap [\d.]+%/);
    // Three words, the largest first.
    const scores = one.stdout.split('\n').slice(1, 4).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(scores).toHaveLength(3);
    expect(scores[0]).toBeGreaterThanOrEqual(scores[1]);
    expect(one.stdout).toContain('Attribution run 1: 1 documents');
    const noHead = await shirabe(['attribute', project, '--doc', '1', '--model', defaultModelDir]);
    expect(noHead.code).toBe(1);
    expect(noHead.stderr).toContain('has no classification head');
    const split = await shirabe(['attribute-split', project, '--corpus', corpus, '--split', 'test', '--model', defaultModelDir, '--target', 'embedding', '--estimate', '8', '--steps', '8', '--max-length', '32', '--json']);
    expect(split.code, split.stderr).toBe(0);
    const result = JSON.parse(split.stdout);
    expect(result.documents.length).toBeGreaterThan(0);
    for (const d of result.documents) {
      expect(d.tokens.length).toBeGreaterThan(2);
      expect(d.morphemes.length).toBeGreaterThan(0);
    }
    // The information analysis of both runs against the corpus's frequencies, as the study's table.
    const info = await shirabe(['information', project, '--attributions', `1,${result.runId}`, '--frequencies', corpus, '--bootstrap', '100']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^P\(w\) from [\d,]+ morphemes of [\d,]+ types, add-one smoothed/);
    const rows = info.stdout.trim().split('\n').slice(2);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\d+ .+\t\d+\t-?[\d.]+ \[-?[\d.]+, -?[\d.]+\]/);
  }, 180_000);
});

describe('shirabe cluster, project-map, topics', () => {
  const project = join(dir, 'topics.shirabe');

  it('clusters an embedding run, lists its topics by either method, and maps it with PCA', async () => {
    expect((await shirabe(['new', project])).code).toBe(0);
    const imported = await shirabe(['import', project, writeSyntheticCsv(dir, 60, 3), '--text', 'text', '--label', 'label', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const corpus = JSON.parse(imported.stdout).corpusId as number;
    const embedded = await shirabe(['embed', project, '--corpus', String(corpus), '--model', defaultModelDir, '--max-length', '32', '--json']);
    expect(embedded.code, embedded.stderr).toBe(0);
    const embedding = String(JSON.parse(embedded.stdout).runId);
    const clustered = await shirabe(['cluster', project, '--embedding', embedding, '--k', '3', '--restarts', '2', '--min-df', '2', '--words', '5', '--json']);
    expect(clustered.code, clustered.stderr).toBe(0);
    const result = JSON.parse(clustered.stdout);
    expect(result).toMatchObject({ clusters: 3 });
    expect(result.quality.nmi).toBeGreaterThanOrEqual(0);
    const topics = await shirabe(['topics', project, '--clustering', String(result.runId), '--method', 'ctfidf', '--top', '3']);
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout.trim().split('\n')).toHaveLength(3);
    // The topic list to a file: CSV by its extension (a record per topic), LaTeX for .tex; another extension refused.
    const csvOut = join(dir, 'topics.csv');
    const written = await shirabe(['topics', project, '--clustering', String(result.runId), '--out', csvOut, '--top', '4']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain(`Wrote 3 topics as CSV to ${csvOut}`);
    const csvLines = readFileSync(csvOut, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csvLines[0]).toBe('cluster,name,size,study_words,ctfidf_words,example_1,example_2,example_3');
    expect(csvLines.slice(1).map((l) => Number(l.split(',')[2])).reduce((a, b) => a + b, 0)).toBe(60);
    expect(csvLines[1].split(',')[3].split(' ')).toHaveLength(4);
    const texOut = join(dir, 'topics.tex');
    expect((await shirabe(['topics', project, '--clustering', String(result.runId), '--out', texOut])).code).toBe(0);
    expect(readFileSync(texOut, 'utf8')).toContain('\\begin{tabular}');
    const badOut = await shirabe(['topics', project, '--clustering', String(result.runId), '--out', join(dir, 'topics.xlsx')]);
    expect(badOut.code).toBe(1);
    expect(badOut.stderr).toContain('must be .csv or .tex');
    // The baseline: the same clustering of TF-IDF + SVD.
    const lsa = await shirabe(['cluster', project, '--embedding', embedding, '--k', '3', '--restarts', '2', '--min-df', '2', '--lsa', '4', '--json']);
    expect(lsa.code, lsa.stderr).toBe(0);
    expect(JSON.parse(lsa.stdout)).toMatchObject({ clusters: 3, quality: { inertia: expect.any(Number) } });
    const ja = await shirabe(['cluster', project, '--embedding', embedding, '--k', '3', '--min-df', '2'], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stdout).toContain('クラスタリング実行');
    const mapped = await shirabe(['project-map', project, '--embedding', embedding, '--method', 'pca', '--json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(JSON.parse(mapped.stdout).trustworthiness).toBeGreaterThan(0);
    const tooMany = await shirabe(['cluster', project, '--embedding', embedding, '--k', '500']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('Choose a smaller k');
    // The k sweep: a row per k, the labels' NMI and ARI, the highest silhouette's k suggested; a range past the documents refused.
    const swept = await shirabe(['cluster', project, '--embedding', embedding, '--k-sweep', '2..5', '--restarts', '2', '--json']);
    expect(swept.code, swept.stderr).toBe(0);
    const sweep = JSON.parse(swept.stdout);
    expect(sweep.points.map((p: { k: number }) => p.k)).toEqual([2, 3, 4, 5]);
    expect(sweep.points.every((p: { inertia: number; nmi: number | null }) => p.inertia > 0 && p.nmi !== null)).toBe(true);
    expect(sweep.suggested).toBe(sweep.points.reduce((a: { k: number; silhouette: number }, p: { k: number; silhouette: number }) => (p.silhouette > a.silhouette ? p : a)).k);
    const table = await shirabe(['cluster', project, '--embedding', embedding, '--k-sweep', '2..3', '--restarts', '1']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/k\s+inertia\s+silhouette\s+NMI\s+ARI/);
    expect(table.stdout).toContain('Suggested k = ');
    const beyond = await shirabe(['cluster', project, '--embedding', embedding, '--k-sweep', '2..60']);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('can go up to k = 59');
  }, 180_000);
});

describe('shirabe serve', () => {
  let server: ReturnType<typeof spawn>;
  let info: { url: string; port: number; token: string };
  const project = join(dir, 'served.shirabe');

  beforeAll(async () => {
    await shirabe(['new', project]);
    server = spawn(process.execPath, [cli, 'serve', project, '--json'], { env });
    info = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          resolve(JSON.parse(out));
        } catch {
          /* wait for the rest */
        }
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('binds to 127.0.0.1 with a token in the URL', () => {
    expect(info.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${info.port}/\\?token=[A-Za-z0-9_-]{20,}$`));
  });

  it('refuses requests without the token', async () => {
    const bare = await fetch(`http://127.0.0.1:${info.port}/`);
    expect(bare.status).toBe(403);
    const wrong = await fetch(`http://127.0.0.1:${info.port}/?token=wrong`);
    expect(wrong.status).toBe(403);
    const ok = await fetch(info.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${info.port}/api`);
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(String(e.message)));
    });
    expect(refused).toContain('403');
  });

  it('survives malformed cookies, paths and frames', async () => {
    const badCookie = await fetch(`http://127.0.0.1:${info.port}/`, { headers: { cookie: 'shirabe_token=%E0' } });
    expect(badCookie.status).toBe(403);
    const badPath = await fetch(`http://127.0.0.1:${info.port}/%E0?token=${info.token}`);
    expect(badPath.status).toBe(400);
    const traversal = await fetch(`http://127.0.0.1:${info.port}/..%2F..%2Fpackage.json?token=${info.token}`);
    expect(await traversal.text()).not.toContain('"name": "shirabe"');
    const ws = new WebSocket(`ws://127.0.0.1:${info.port}/api?token=${info.token}`);
    await new Promise((r) => ws.on('open', r));
    const closed = new Promise((r) => ws.on('close', r));
    ws.send('x'.repeat(400 * 1024 * 1024)); // beyond the upload limit: this socket closes
    await closed;
    // And the server is still there. On a fresh connection: sending 400 MiB can outlast the
    // server's 5 s keep-alive, and fetch would reuse the pooled socket the server is just closing.
    const status = await new Promise<number | undefined>((resolve, reject) => get(info.url, { agent: false }, (res) => resolve(res.resume().statusCode)).on('error', reject));
    expect(status).toBe(200);
  });

  it('answers the contract over the WebSocket with the token, and validates payloads', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${info.port}/api?token=${info.token}`);
    await new Promise((r) => ws.on('open', r));
    const ask = (message: object) =>
      new Promise<{ id: number; reply: { ok: boolean; value?: unknown; error?: { code: string } } }>((resolve) => {
        ws.once('message', (d) => resolve(JSON.parse(d.toString())));
        ws.send(JSON.stringify(message));
      });
    const current = await ask({ id: 1, method: 'project.current', input: {} });
    expect(current.reply.ok).toBe(true);
    expect((current.reply.value as { path: string }).path).toBe(project);
    const bad = await ask({ id: 2, method: 'corpus.documents', input: { corpusId: 'x' } });
    expect(bad.reply.ok).toBe(false);
    expect(bad.reply.error?.code).toBe('invalidRequest');
    const unknown = await ask({ id: 3, method: 'fs.readFile', input: {} });
    expect(unknown.reply.error?.code).toBe('invalidRequest');
    ws.close();
    expect(readFileSync(project).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
