// `shirabe ner-import | ner-train | ner-sweep | ner-runs | ner-show | ner-extract | ner-export`: annotated
// sentences into a corpus, table-filling extractors trained and scored (NER, RE, RE+), applied to a
// corpus, and their entities and relations written as CSV or JSONL.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { annotationFormats, entityTrainConfigSchema, expectRunOf, extractConfigSchema, isRunOf, layerSweepConfigSchema } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger, readJsonConfig } from '../parse';
import type { RegisterCommands } from '../shared';

export const entitiesCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');

  program
    .command('ner-import')
    .description('import annotated sentences (entities and relations) as a new corpus, one document per sentence; train/dev/test from the file names (conll04_dev.json → dev) unless --split; nothing is imported if any annotation is bad')
    .argument('<project>')
    .argument('<files...>', 'CoNLL04 JSON (and its types file), CoNLL column files, or brat .txt and .ann files')
    .addOption(new Option('--format <f>', 'annotation format').choices([...annotationFormats]).makeOptionMandatory())
    .requiredOption('--name <name>', 'corpus name')
    .addOption(new Option('--split <s>', 'put every sentence in this split').choices(['train', 'dev', 'test']))
    .option('--json', 'machine-readable output')
    .action(async (project: string, files: string[], o: { format: (typeof annotationFormats)[number]; name: string; split?: 'train' | 'dev' | 'test'; json?: boolean }) => {
      await call('project.open', { path: project });
      const report = await call('entities.import', { paths: files.map((f) => resolve(f)), format: o.format, name: o.name, split: o.split ?? null });
      print(Boolean(o.json), report, () => t.annotationsImported(report));
    });

  program
    .command('ner-train')
    .description('train a joint entity and relation extractor (table filling: TabERT bi-affine or TabERT-CNN head) on an annotated corpus: a JSON config (see the README), the best epoch by dev F1, dev and test NER / RE / RE+ F1')
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON config: at least corpus and model; everything else has a default')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { config: string; json?: boolean }) => {
      const { corpus, model, ...rest } = readJsonConfig(o.config);
      const parsed = entityTrainConfigSchema.safeParse({ ...rest, corpusId: corpus ?? rest.corpusId, modelPath: typeof model === 'string' ? resolve(model) : rest.modelPath });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('entities.start', parsed.data);
      const result = await waitForJob('entities', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.entitiesTrained(result));
    });

  program
    .command('ner-sweep')
    .description('a layer sweep as one job (the study\'s Figure 2 and Tables 2–3): the same heads trained on encoder layers 0, 2, 4, … and the last, frozen and trained, each point an entities run of its own; prints dev and test F1 by layer')
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON config: corpus and model; heads (["biaffine", "cnn"]), encoders (["frozen", "full"]), layers (null = 0, 2, 4, … and the last), learningRatesFrozen, learningRatesTrained, and any ner-train setting')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { config: string; json?: boolean }) => {
      const { corpus, model, ...rest } = readJsonConfig(o.config);
      const parsed = layerSweepConfigSchema.safeParse({ ...rest, corpusId: corpus ?? rest.corpusId, modelPath: typeof model === 'string' ? resolve(model) : rest.modelPath });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('entities.layerSweep', parsed.data);
      const result = await waitForJob('layerSweep', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.layerSweep(result.points));
    });

  program
    .command('ner-runs')
    .description("the project's entity-extraction runs (training and extraction), newest first")
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const all = await call('runs.list', { kind: null, corpusId: null });
      const runs = all.filter((r) => isRunOf(r, 'entities') || isRunOf(r, 'extract') || isRunOf(r, 'layerSweep'));
      print(Boolean(o.json), runs, () => runs.map((r) => (isRunOf(r, 'entities') ? t.entityRun(r) : isRunOf(r, 'extract') ? t.extractRun(r) : isRunOf(r, 'layerSweep') ? `${r.id}\t${r.status}\t${r.name}\n${t.layerSweep(r.points)}` : '')).join('\n'));
    });

  program
    .command('ner-show')
    .description('one entity-extraction run: config, per-learning-rate results, dev and test scores per type')
    .argument('<project>')
    .argument('<run>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const r = expectRunOf(await call('runs.get', { runId: int(run) }), 'entities');
      print(Boolean(o.json), r, () => t.entityRunDetail(r));
    });

  program
    .command('ner-extract')
    .description("apply a finished extractor to a corpus's documents (sentences split, words cut by MeCab for Japanese); entities and relations kept in the project with their offsets")
    .argument('<project>')
    .requiredOption('--run <id>', 'a finished entities run')
    .requiredOption('--corpus <id>', 'corpus id')
    .addOption(new Option('--split <s>', 'the split, or all').choices(['train', 'dev', 'test', 'all']).default('all'))
    .option('--batch-size <n>', 'sentences per forward pass', '16')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      const parsed = extractConfigSchema.safeParse({ runId: int(o.run), corpusId: int(o.corpus), split: o.split === 'all' ? null : o.split, batchSize: int(o.batchSize) });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('entities.extract', parsed.data);
      const result = await waitForJob('extract', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.extracted(result));
    });

  program
    .command('ner-export')
    .description("write an extraction run's entities and relations (or an entities run's test predictions) as CSV (OUT.csv and OUT.relations.csv) or JSONL (one sentence per line)")
    .argument('<project>')
    .argument('<run>')
    .argument('<out>')
    .addOption(new Option('--format <f>', 'file format').choices(['csv', 'jsonl']).default('csv'))
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, out: string, o: { format: 'csv' | 'jsonl'; json?: boolean }) => {
      await call('project.open', { path: project });
      const written = await call('entities.export', { runId: int(run), format: o.format, outPath: resolve(out) });
      print(Boolean(o.json), written, () => t.entitiesExported(written.files));
    });
};
