// `shirabe …`: the same services as the app, one command per operation, each with --json.
// Errors go to stderr in the user's language (LANG=ja… → Japanese) with exit code 1.
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import {
  defaultImportOptions,
  type DocumentRow,
  type EmbedOptions,
  type EmbedResult,
  encodings,
  importFormats,
  type EncodingChoice,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
  type Input,
  isJobOf,
  type JobKind,
  type JobResults,
  type Method,
  type Pooling,
  type Output,
  trainConfigSchema,
  type TrainResult,
  type TrainRunInfo,
  type MlmEvaluation,
  type MlmModelScore,
  pretrainConfigSchema,
  type PretrainResult,
  type VocabResult,
  wordSplitters,
  type WordSplitter,
} from '../../common/contract';
import { readFileSync } from 'node:fs';
import { ShirabeError, toErrorInfo } from '../../common/errors';
import { errorMessage, languageFromLocale, type Language } from '../../common/messages';
import { dispatch } from '../services/dispatch';
import { buildServices, type Services } from '../services';
import { defaultConfigDir, fileSettings } from '../services/settings';
import { startServer } from '../server/server';
import { join } from 'node:path';

export interface CliEnv {
  /** Repository or app root: resources/ and dist/renderer/ live under it. */
  root: string;
  version: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when `serve` should stop (SIGINT in the real CLI). */
  untilStopped?: () => Promise<void>;
}

const text = {
  en: {
    created: (p: string) => `Created ${p}`,
    imported: (r: ImportReport) =>
      `Imported ${r.documents} documents into corpus ${r.corpusId} "${r.name}" (${r.format}, ${r.encoding}) in ${r.seconds.toFixed(1)} s.\n` +
      `  splits: train ${r.splits.train}, dev ${r.splits.dev}, test ${r.splits.test}; empty skipped ${r.emptySkipped}; exact duplicates ${r.duplicates}; bad rows skipped ${r.badRowCount}`,
    badRow: (line: number, msg: string) => `  skipped line ${line}: ${msg}`,
    serving: (url: string) => `Shirabe is serving this project in browser mode at\n  ${url}\nOpen it in a browser on this machine. Press Ctrl+C to stop.`,
    noCorpora: 'No corpora in this project yet.',
    hits: (n: number) => `${n} documents match.`,
    kwicTotal: (n: number) => `${n} occurrences.`,
    embedded: (r: EmbedResult) =>
      `Embedding run ${r.runId}: ${r.documents} documents × ${r.dimensions} dimensions in ${r.seconds.toFixed(1)} s on ${r.backend}; ${r.truncated} documents truncated.`,
    trained: (r: TrainResult) =>
      `Training run ${r.runId} finished in ${r.seconds.toFixed(1)} s. Best: learning rate ${r.best?.learningRate}, epoch ${r.best?.epoch} (validation loss ${r.best?.validationLoss.toFixed(4)}).\n` +
      (r.test ? `  test (${r.test.documents} documents): accuracy ${r.test.accuracy.toFixed(4)}, macro-F1 ${r.test.macro.f1.toFixed(4)}, micro-F1 ${r.test.micro.f1.toFixed(4)}` : ''),
    perRate: (lr: number, epoch: number, loss: number) => `  lr ${lr}: best epoch ${epoch}, validation loss ${loss.toFixed(4)}`,
    pretrained: (r: PretrainResult) =>
      `Pretraining run ${r.runId} finished in ${r.seconds.toFixed(1)} s: held-out masked-LM loss ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}. Model written to ${r.outputDir}`,
    mlmHeader: (e: MlmEvaluation) => `Masked-LM loss on ${e.documents} ${e.split} documents of "${e.corpusName}" (sequences of ${e.maxLength} tokens, mean over ${e.seeds} mask seeds):`,
    mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t(per seed ${m.loss.perSeed.map((x) => x.toFixed(4)).join(', ')})\t${m.name}\ttokenizer group ${m.group + 1}`,
    mlmNotComparable: 'Models in different tokenizer groups predict different tokens: their losses are not comparable.',
    vocabLearned: (r: VocabResult) => `Learned ${r.vocabSize.toLocaleString('en')} tokens from ${r.words.toLocaleString('en')} distinct words; wrote ${r.files.join(', ')} to ${r.path}`,
    extended: (r: { path: string; from: number; to: number }) => `Position embeddings interpolated from ${r.from} to ${r.to} positions; model written to ${r.path}`,
    exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
      `Exported run ${runId} as ${merged ? 'a merged Hugging Face model' : 'a PEFT LoRA adapter'} to ${r.path}:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    run: (r: TrainRunInfo) =>
      `${r.id}\t${r.status}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `lr ${r.best.learningRate} epoch ${r.best.epoch}` : '-'}\t${r.test ? `macro-F1 ${r.test.macro.f1.toFixed(4)} accuracy ${r.test.accuracy.toFixed(4)}` : '-'}`,
  },
  ja: {
    created: (p: string) => `${p} を作成しました`,
    imported: (r: ImportReport) =>
      `${r.documents} 件の文書をコーパス ${r.corpusId}「${r.name}」に取り込みました（${r.format}、${r.encoding}、${r.seconds.toFixed(1)} 秒）。\n` +
      `  分割: train ${r.splits.train}、dev ${r.splits.dev}、test ${r.splits.test}／空でスキップ ${r.emptySkipped}／完全重複 ${r.duplicates}／不正行スキップ ${r.badRowCount}`,
    badRow: (line: number, msg: string) => `  ${line} 行目をスキップ: ${msg}`,
    serving: (url: string) => `ブラウザモードでこのプロジェクトを公開しています:\n  ${url}\nこのマシンのブラウザで開いてください。Ctrl+C で停止します。`,
    noCorpora: 'このプロジェクトにはまだコーパスがありません。',
    hits: (n: number) => `${n} 件の文書が一致しました。`,
    kwicTotal: (n: number) => `${n} 件の出現。`,
    embedded: (r: EmbedResult) =>
      `埋め込み実行 ${r.runId}: ${r.documents} 件 × ${r.dimensions} 次元（${r.seconds.toFixed(1)} 秒、${r.backend}）。切り詰めた文書 ${r.truncated} 件。`,
    trained: (r: TrainResult) =>
      `学習実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。最良: 学習率 ${r.best?.learningRate}、エポック ${r.best?.epoch}（検証損失 ${r.best?.validationLoss.toFixed(4)}）。\n` +
      (r.test ? `  テスト（${r.test.documents} 件）: 正解率 ${r.test.accuracy.toFixed(4)}、マクロ F1 ${r.test.macro.f1.toFixed(4)}、マイクロ F1 ${r.test.micro.f1.toFixed(4)}` : ''),
    perRate: (lr: number, epoch: number, loss: number) => `  学習率 ${lr}: 最良エポック ${epoch}、検証損失 ${loss.toFixed(4)}`,
    pretrained: (r: PretrainResult) =>
      `事前学習の実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。評価用テキストのマスク言語モデル損失 ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}。モデルの書き出し先: ${r.outputDir}`,
    mlmHeader: (e: MlmEvaluation) => `「${e.corpusName}」の ${e.split} 文書 ${e.documents} 件でのマスク言語モデル損失（${e.maxLength} トークンの系列、マスクのシード ${e.seeds} 個の平均）:`,
    mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t（シード別 ${m.loss.perSeed.map((x) => x.toFixed(4)).join('、')}）\t${m.name}\tトークナイザーのグループ ${m.group + 1}`,
    mlmNotComparable: 'トークナイザーのグループが違うモデルは予測するトークンが異なるため、損失を比べられません。',
    vocabLearned: (r: VocabResult) => `異なり語 ${r.words.toLocaleString('ja')} 語から ${r.vocabSize.toLocaleString('ja')} 語の語彙を学習し、${r.files.join('、')} を ${r.path} に書き出しました`,
    extended: (r: { path: string; from: number; to: number }) => `位置埋め込みを ${r.from} 位置から ${r.to} 位置へ補間し、モデルを ${r.path} に書き出しました`,
    exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
      `実行 ${runId} を${merged ? '統合済みの Hugging Face モデル' : 'PEFT の LoRA アダプター'}として ${r.path} に書き出しました:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    run: (r: TrainRunInfo) =>
      `${r.id}\t${r.status}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `学習率 ${r.best.learningRate} エポック ${r.best.epoch}` : '-'}\t${r.test ? `マクロ F1 ${r.test.macro.f1.toFixed(4)} 正解率 ${r.test.accuracy.toFixed(4)}` : '-'}`,
  },
} satisfies Record<Language, unknown>;

function parseSplit(value: string): [number, number, number] {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) throw new ShirabeError('splitInvalid', { value });
  return [parts[0], parts[1], parts[2]];
}

function parseInteger(value: string, code: 'seedInvalid' | 'invalidRequest'): number {
  if (!/^-?\d+$/.test(value.trim())) throw new ShirabeError(code, code === 'seedInvalid' ? { value } : { detail: value });
  return Number(value);
}

export async function runCli(argv: string[], io: CliEnv): Promise<number> {
  const lang = languageFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG);
  const t = text[lang];
  let services: Services | null = null;
  const getServices = () =>
    (services ??= buildServices({
      mode: 'browser',
      version: io.version,
      settings: fileSettings(join(defaultConfigDir(io.env), 'settings.json'), io.env),
      fontPath: join(io.root, 'resources', 'fonts', 'ipaexg.ttf'),
      defaultModelPath: join(io.root, 'resources', 'models', 'shirabe-tiny-ja'),
    }));

  async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    const reply = await dispatch(getServices().handlers, method, input);
    if (!reply.ok) throw reply.error;
    return reply.value as Output<M>;
  }
  async function withProject<T>(project: string, work: () => Promise<T>): Promise<T> {
    await call('project.open', { path: project });
    return work();
  }
  const print = (json: boolean, value: unknown, human: () => string) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  /** Waits for a job, drawing its progress and ETA on a terminal; Ctrl-C cancels it. */
  /** Waits for a job of a known kind and returns its result, typed by that kind. */
  async function waitForJob<K extends JobKind>(kind: K, jobId: string, json: boolean): Promise<JobResults[K]> {
    const svc = getServices();
    const showProgress = !json && process.stderr.isTTY;
    const off = svc.events.on('job.update', (job) => {
      if (showProgress && job.id === jobId && job.total > 0) {
        const pct = Math.floor((100 * job.done) / job.total);
        const eta = job.etaSeconds === null ? '' : ` ETA ${Math.ceil(job.etaSeconds)} s`;
        process.stderr.write(`\r${pct}%${eta}   `);
      }
    });
    const cancel = () => svc.jobs.cancel(jobId);
    process.once('SIGINT', cancel);
    try {
      const job = await svc.jobs.wait(jobId);
      if (job.status !== 'done') throw job.error ?? new ShirabeError('internal', { detail: job.status });
      if (!isJobOf(job, kind) || job.result === null) throw new ShirabeError('internal', { detail: `job ${jobId} is a ${job.kind} job, not ${kind}` });
      return job.result;
    } finally {
      process.removeListener('SIGINT', cancel);
      off();
      if (showProgress) process.stderr.write('\r');
    }
  }

  const program = new Command('shirabe')
    .description('Shirabe: corpus workbench for language-model research')
    .version(io.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('new')
    .description('create an empty project file')
    .argument('<project>', 'path of the new .shirabe file')
    .option('--json', 'machine-readable output')
    .action(async (project: string, opts: { json?: boolean }) => {
      const info = await call('project.create', { path: project });
      print(Boolean(opts.json), info, () => t.created(info.path));
    });

  program
    .command('import')
    .description('import a corpus (CSV, TSV, JSONL, Excel .xlsx, or a folder of .txt files)')
    .argument('<project>')
    .argument('<path>', 'file or folder to import')
    .option('--name <name>', 'corpus name (default: the file name)')
    .addOption(new Option('--format <format>', 'input format').choices(importFormats).default('auto'))
    .addOption(new Option('--encoding <encoding>', 'text encoding').choices(encodings).default('auto'))
    .option('--text <column>', 'column with the text (default: the longest text column)')
    .option('--title <column>', 'column with the title')
    .option('--label <column>', 'column with the label')
    .option('--no-header', 'CSV/TSV/xlsx: the first row is data, columns are 1, 2, …')
    .option('--sheet <name>', 'Excel: sheet name (default: the first)')
    .option('--header-lines <n>', 'folder: the first N lines of each file are fields', '0')
    .option('--header-fields <names>', 'folder: names of those lines, comma-separated (e.g. url,date,title)')
    .option('--skip-bad-rows', 'skip rows that cannot be read and report them, instead of stopping')
    .option('--split <ratios>', 'train,dev,test ratios', '0.8,0.1,0.1')
    .option('--seed <seed>', 'seed of the stratified split', '42')
    .option('--json', 'machine-readable output')
    .action(async (project: string, path: string, o: Record<string, string | boolean | undefined>) => {
      const full = resolve(path);
      await call('project.open', { path: project });
      const headerLines = parseInteger(String(o.headerLines), 'invalidRequest');
      const base: Partial<ImportOptions> = {
        format: o.format as ImportFormat,
        encoding: o.encoding as EncodingChoice,
        hasHeader: o.header !== false,
        sheet: typeof o.sheet === 'string' ? o.sheet : '',
        headerLines,
        headerFields: typeof o.headerFields === 'string' ? o.headerFields.split(',').map((s) => s.trim()) : [],
      };
      const preview = await call('import.preview', { path: full, options: base });
      const options: ImportOptions = {
        ...defaultImportOptions,
        ...base,
        name: typeof o.name === 'string' ? o.name : '',
        textColumn: typeof o.text === 'string' ? o.text : preview.suggested.textColumn,
        titleColumn: typeof o.title === 'string' ? o.title : preview.format === 'dir' ? preview.suggested.titleColumn : null,
        labelColumn: typeof o.label === 'string' ? o.label : preview.format === 'dir' ? preview.suggested.labelColumn : null,
        skipBadRows: Boolean(o.skipBadRows),
        split: parseSplit(String(o.split)),
        seed: parseInteger(String(o.seed), 'seedInvalid'),
      };
      const { jobId } = await call('import.start', { path: full, options });
      const report = await waitForJob('import', jobId, Boolean(o.json));
      print(Boolean(o.json), report, () =>
        [t.imported(report), ...report.badRows.slice(0, 20).map((b) => t.badRow(b.line, errorMessage(b.error, lang)))].join('\n'),
      );
    });

  program
    .command('corpora')
    .description('list the corpora of a project')
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, opts: { json?: boolean }) => {
      const corpora = await withProject(project, () => call('corpus.list', {}));
      print(Boolean(opts.json), corpora, () =>
        corpora.length === 0
          ? t.noCorpora
          : corpora
              .map(
                (c) =>
                  `${c.id}\t${c.name}\t${c.documents} docs\t` +
                  `train ${c.splits.train} / dev ${c.splits.dev} / test ${c.splits.test}\n` +
                  c.labels.map((l) => `    ${l.label}\t${l.count}`).join('\n'),
              )
              .join('\n'),
      );
    });

  program
    .command('search')
    .description('full-text search (Japanese works without spaces)')
    .argument('<project>')
    .argument('<query>')
    .option('--corpus <id>', 'corpus id (default: every corpus)')
    .option('--limit <k>', 'at most K documents', '20')
    .option('--json', 'machine-readable output')
    .action(async (project: string, query: string, o: { corpus?: string; limit: string; json?: boolean }) => {
      if (!query.trim()) throw new ShirabeError('queryEmpty');
      const limit = parseInteger(o.limit, 'invalidRequest');
      const result = await withProject(project, async () => {
        const corpora = await call('corpus.list', {});
        const ids = o.corpus === undefined ? corpora.map((c) => c.id) : [parseInteger(o.corpus, 'invalidRequest')];
        const rows: DocumentRow[] = [];
        let total = 0;
        for (const corpusId of ids) {
          const page = await call('corpus.documents', { corpusId, query, label: null, split: null, offset: 0, limit: Math.max(1, limit - rows.length) });
          total += page.total;
          if (rows.length < limit) rows.push(...page.rows.slice(0, limit - rows.length));
        }
        return { total, rows };
      });
      print(Boolean(o.json), result, () =>
        [t.hits(result.total), ...result.rows.map((r) => `${r.id}\t${r.label ?? ''}\t${r.title ?? ''}\t${r.snippet.text.replace(/\s+/g, ' ')}`)].join('\n'),
      );
    });

  program
    .command('kwic')
    .description('keyword in context (concordance)')
    .argument('<project>')
    .argument('<word>')
    .option('--corpus <id>', 'corpus id (default: every corpus)')
    .option('--width <c>', 'characters of context on each side', '30')
    .addOption(new Option('--sort <by>', 'order of lines').choices(['document', 'left', 'right']).default('document'))
    .option('--limit <k>', 'at most K lines', '1000')
    .option('--json', 'machine-readable output')
    .action(async (project: string, word: string, o: { corpus?: string; width: string; sort: 'document' | 'left' | 'right'; limit: string; json?: boolean }) => {
      const result = await withProject(project, () =>
        call('corpus.kwic', {
          corpusId: o.corpus === undefined ? null : parseInteger(o.corpus, 'invalidRequest'),
          word,
          width: parseInteger(o.width, 'invalidRequest'),
          sort: o.sort,
          limit: parseInteger(o.limit, 'invalidRequest'),
        }),
      );
      const width = parseInteger(o.width, 'invalidRequest');
      print(Boolean(o.json), result, () =>
        [t.kwicTotal(result.total), ...result.lines.map((l) => `${l.left.padStart(width, '　')} 【${l.keyword}】 ${l.right}\t#${l.documentId}`)].join('\n'),
      );
    });

  const model = program.command('model').description('Hugging Face model folders');
  model
    .command('inspect')
    .description('check a model folder: architecture, parameters, tokenizer, tensors')
    .argument('<dir>')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, o: { json?: boolean }) => {
      const info = await call('models.inspect', { path: resolve(dir) });
      print(Boolean(o.json), info, () =>
        [
          `${info.name}\t${info.architecture} (${info.modelType}${info.classes.length ? `, ${info.classes.join(', ')}` : ''})`,
          `  parameters ${info.parameters.toLocaleString('en')}  layers ${info.layers}  hidden ${info.hiddenSize}  heads ${info.heads}  positions ${info.maxPositions}`,
          `  vocabulary ${info.vocabSize}  tokenizer ${info.tokenizer.kind}: ${info.tokenizer.description}`,
          `  weights ${info.weightsFile} (${Object.entries(info.dtypes).map(([d, n]) => `${n} ${d}`).join(', ')})`,
          `  heads: ${Object.entries(info.loadedHeads).filter(([, v]) => v).map(([k]) => k).join(', ') || 'encoder only'}${info.labels.length ? ` (labels ${info.labels.join(', ')})` : ''}`,
          ...info.warnings.map((w) => `  ! ${w}`),
          `  sha256 ${info.hash}`,
        ].join('\n'),
      );
    });

  program
    .command('tokenize')
    .description("tokenize a text the way the model's authors do, with each token's character span")
    .argument('<dir>', 'model folder')
    .argument('<text>')
    .option('--max-length <n>', 'truncate to N tokens (special tokens included)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, text: string, o: { maxLength?: string; json?: boolean }) => {
      const maxLength = o.maxLength === undefined ? undefined : parseInteger(o.maxLength, 'invalidRequest');
      const result = await call('models.tokenize', { path: resolve(dir), text, maxLength });
      print(Boolean(o.json), result, () => result.tokens.map((tk) => `${tk.id}\t${tk.token}\t[${tk.start}, ${tk.end})\t${tk.special ? '' : text.slice(tk.start, tk.end)}`).join('\n'));
    });

  program
    .command('embed')
    .description('embed every document of a corpus with a model, stored in the project as an embedding run')
    .argument('<project>')
    .requiredOption('--corpus <id>', 'corpus id')
    .requiredOption('--model <dir>', 'model folder')
    .addOption(new Option('--pooling <how>', 'how token vectors become one document vector').choices(['cls', 'mean', 'last', 'max']).default('mean'))
    .option('--layer <l>', 'hidden layer: 0 = embeddings … L = last; negative counts from the end', '-1')
    .option('--max-length <n>', 'tokens per document (longer ones are truncated)', '128')
    .option('--batch-size <b>', 'documents per batch', '16')
    .addOption(new Option('--truncation <where>', 'what to keep of a long document').choices(['head', 'head+tail']).default('head'))
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      await call('project.open', { path: project });
      const { jobId } = await call('embed.start', {
        corpusId: parseInteger(String(o.corpus), 'invalidRequest'),
        modelPath: resolve(String(o.model)),
        pooling: o.pooling as Pooling,
        layer: parseInteger(String(o.layer), 'invalidRequest'),
        maxLength: parseInteger(String(o.maxLength), 'invalidRequest'),
        batchSize: parseInteger(String(o.batchSize), 'invalidRequest'),
        truncation: o.truncation as EmbedOptions['truncation'],
      });
      const result = await waitForJob('embed', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.embedded(result));
    });

  program
    .command('jobs')
    .description("the project's job history, newest first")
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { json?: boolean }) => {
      const jobs = await withProject(project, () => call('jobs.history', {}));
      print(Boolean(o.json), jobs, () =>
        jobs
          .map((j) => `${j.startedAt ? new Date(j.startedAt).toISOString() : '-'}\t${j.kind}\t${j.status}\t${j.title}${j.error ? `\t${errorMessage(j.error, lang)}` : ''}`)
          .join('\n'),
      );
    });

  /** A JSON config file, with the README's short names ("corpus", "model" relative to the working directory). */
  const readJsonConfig = (file: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ShirabeError('trainConfigInvalid', { detail: `${file}: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const configIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) => issues.map((i) => `${i.path.map(String).join('.') || '(config)'}: ${i.message}`).join('; ');

  program
    .command('train')
    .description('fine-tune a classifier on a corpus: a JSON config (see the README), a learning-rate sweep, the best epoch kept, test metrics')
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON training config: at least corpus and model; everything else has a default')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { config: string; json?: boolean }) => {
      // The README's names: "corpus" and "model" (a folder, relative to the working directory).
      const { corpus, model, ...rest } = readJsonConfig(o.config);
      const parsed = trainConfigSchema.safeParse({ ...rest, corpusId: corpus ?? rest.corpusId, modelPath: typeof model === 'string' ? resolve(model) : rest.modelPath });
      if (!parsed.success) throw new ShirabeError('trainConfigInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('train.start', parsed.data);
      const result = await waitForJob('train', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.trained(result));
    });

  program
    .command('runs')
    .description("the project's fine-tuning runs, newest first")
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const runs = await call('train.runs', { corpusId: null });
      print(Boolean(o.json), runs, () => runs.map((r) => t.run(r)).join('\n'));
    });

  program
    .command('run-show')
    .description('one fine-tuning run: config, per-learning-rate results, test metrics per class')
    .argument('<project>')
    .argument('<run>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const r = await call('train.run', { runId: parseInteger(run, 'invalidRequest') });
      print(Boolean(o.json), r, () =>
        [
          t.run(r),
          JSON.stringify(r.config, null, 2),
          ...r.perLearningRate.map((p) => t.perRate(p.learningRate, p.bestEpoch, p.bestValidationLoss)),
          ...(r.test?.perClass.map((c) => `  ${c.label}\tP ${c.precision.toFixed(4)}\tR ${c.recall.toFixed(4)}\tF1 ${c.f1.toFixed(4)}\tsupport ${c.support}`) ?? []),
        ].join('\n'),
      );
    });

  program
    .command('export-model')
    .description('a finished run as Hugging Face files: its LoRA adapter (PEFT), or with --merge (and always for full fine-tuning) the merged sequence classifier; tokenizer files copied beside')
    .argument('<project>')
    .argument('<run>')
    .argument('<outdir>', 'a new or empty folder')
    .option('--merge', 'fold LoRA adapters into the weights and write the whole model')
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, outDir: string, o: { merge?: boolean; json?: boolean }) => {
      await call('project.open', { path: project });
      const runId = parseInteger(run, 'invalidRequest');
      const info = await call('train.run', { runId });
      const result = await call('train.export', { runId, outDir: resolve(outDir), merge: Boolean(o.merge) });
      print(Boolean(o.json), result, () => t.exported(runId, Boolean(o.merge) || info.config.method === 'full', result));
    });

  program
    .command('pretrain')
    .description('masked-LM pretraining on a corpus: continued from a model, or a new BERT from scratch with a vocabulary learned from the corpus (JSON config, see the README)')
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON pretraining config: at least corpus and output (and model to continue from)')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { config: string; json?: boolean }) => {
      const { corpus, model, output, ...rest } = readJsonConfig(o.config);
      const parsed = pretrainConfigSchema.safeParse({
        ...rest,
        corpusId: corpus ?? rest.corpusId,
        modelPath: typeof model === 'string' ? resolve(model) : rest.modelPath,
        outputDir: typeof output === 'string' ? resolve(output) : rest.outputDir,
      });
      if (!parsed.success) throw new ShirabeError('trainConfigInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('pretrain.start', parsed.data);
      const result = await waitForJob('pretrain', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.pretrained(result));
    });

  program
    .command('mlm-loss')
    .description('masked-LM loss of one or more models on a corpus split: the same masks for every model, averaged over mask seeds (a comparison kept in the project)')
    .argument('<project>')
    .requiredOption('--model <dir...>', 'model folder (repeat for each model)')
    .requiredOption('--corpus <id>', 'corpus id')
    .option('--split <split>', 'train, dev or test', 'test')
    .option('--seeds <n>', 'mask seeds to average over', '3')
    .option('--max-length <n>', 'sequence length in tokens', '128')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { model: string[]; corpus: string; split: string; seeds: string; maxLength: string; json?: boolean }) => {
      await call('project.open', { path: project });
      const split = o.split === 'train' || o.split === 'dev' || o.split === 'test' ? o.split : (() => { throw new ShirabeError('invalidRequest', { detail: `--split ${o.split}` }); })();
      const { jobId } = await call('mlm.evaluate', {
        corpusId: parseInteger(o.corpus, 'invalidRequest'),
        modelPaths: o.model.map((m) => resolve(m)),
        split,
        seeds: parseInteger(o.seeds, 'invalidRequest'),
        maxLength: parseInteger(o.maxLength, 'invalidRequest'),
      });
      const e = await waitForJob('mlm', jobId, Boolean(o.json));
      const groups = new Set(e.models.map((m) => m.group)).size;
      print(Boolean(o.json), e, () => [t.mlmHeader(e), ...e.models.map((m) => t.mlmRow(m)), ...(groups > 1 ? [t.mlmNotComparable] : [])].join('\n'));
    });

  program
    .command('vocab')
    .description("learn a WordPiece vocabulary from a corpus's train split and write vocab.txt with its tokenizer files")
    .argument('<project>')
    .argument('<outdir>', 'a new or empty folder')
    .requiredOption('--corpus <id>', 'corpus id')
    .requiredOption('--size <n>', 'vocabulary size (special tokens and every character included)')
    .addOption(new Option('--words <splitter>', 'how words are cut before WordPiece').choices([...wordSplitters]).default('mecab'))
    .option('--lowercase', 'lower-case the text first')
    .option('--json', 'machine-readable output')
    .action(async (project: string, outDir: string, o: { corpus: string; size: string; words: WordSplitter; lowercase?: boolean; json?: boolean }) => {
      await call('project.open', { path: project });
      const { jobId } = await call('vocab.learn', { corpusId: parseInteger(o.corpus, 'invalidRequest'), vocabSize: parseInteger(o.size, 'invalidRequest'), wordSplitter: o.words, lowercase: Boolean(o.lowercase), outDir: resolve(outDir) });
      const r = await waitForJob('vocab', jobId, Boolean(o.json));
      print(Boolean(o.json), r, () => t.vocabLearned(r));
    });

  program
    .command('extend-positions')
    .description('copy a model folder with its position embeddings interpolated to a new length (cubic spline along the position axis, as scipy.ndimage.zoom)')
    .argument('<model>', 'model folder')
    .argument('<outdir>', 'a new or empty folder')
    .requiredOption('--length <n>', 'positions of the new model (e.g. 512)')
    .option('--json', 'machine-readable output')
    .action(async (model: string, outDir: string, o: { length: string; json?: boolean }) => {
      const r = await call('models.extendPositions', { path: resolve(model), outDir: resolve(outDir), length: parseInteger(o.length, 'invalidRequest') });
      print(Boolean(o.json), r, () => t.extended(r));
    });

  program
    .command('serve')
    .description('open the UI in a browser: serves on 127.0.0.1 with a per-launch token')
    .argument('[project]', 'project to open (optional: the UI can create or open one)')
    .option('--port <p>', 'port (default: any free port)', '0')
    .option('--json', 'print {url, port, token} as JSON')
    .action(async (project: string | undefined, o: { port: string; json?: boolean }) => {
      if (project) await call('project.open', { path: project });
      const server = await startServer({
        services: getServices(),
        staticDir: join(io.root, 'dist', 'renderer'),
        port: parseInteger(o.port, 'invalidRequest'),
      });
      print(Boolean(o.json), { url: server.url, port: server.port, token: server.token }, () => t.serving(server.url));
      await (io.untilStopped ?? waitForSignal)();
      await server.close();
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`shirabe: ${errorMessage(toErrorInfo(err), lang)}\n`);
    return 1;
  } finally {
    if (services) await (services as Services).shutdown();
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}
