// `shirabe pretrain | simcse | mlm-loss | vocab | extend-positions`: masked-LM pretraining and SimCSE
// sentence-embedding training, the masked-LM evaluation, vocabularies and longer position embeddings.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { pretrainConfigSchema, wordSplitters, type WordSplitter } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger, readJsonConfig } from '../parse';
import type { RegisterCommands } from '../shared';

export const pretrainingCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  /** `pretrain` and `simcse`: a JSON config into a pretraining run (simcse fixes its mode). */
  const runConfig = async (project: string, o: { config: string; json?: boolean }, mode?: 'simcse') => {
    const { corpus, model, output, ...rest } = readJsonConfig(o.config);
    const parsed = pretrainConfigSchema.safeParse({
      ...rest,
      ...(mode ? { mode } : {}),
      corpusId: corpus ?? rest.corpusId,
      modelPath: typeof model === 'string' ? resolve(model) : rest.modelPath,
      outputDir: typeof output === 'string' ? resolve(output) : rest.outputDir,
    });
    if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
    await call('project.open', { path: project });
    const { jobId } = await call('pretrain.start', parsed.data);
    const result = await waitForJob('pretrain', jobId, Boolean(o.json));
    print(Boolean(o.json), result, () => t.pretrained(result));
  };

  program
    .command('pretrain')
    .description('masked-LM pretraining on a corpus: continued from a model, or a new BERT from scratch with a vocabulary learned from the corpus (JSON config, see the README)')
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON pretraining config: at least corpus and output (and model to continue from)')
    .option('--json', 'machine-readable output')
    .action((project: string, o: { config: string; json?: boolean }) => runConfig(project, o));

  program
    .command('simcse')
    .description("sentence-embedding training of a model by unsupervised SimCSE on a corpus's sentences (JSON config as pretrain's, its mode simcse: corpus, model and output at least; temperature 0.05)")
    .argument('<project>')
    .requiredOption('--config <file>', 'JSON config: corpus, model, output (and optionally maxLength, batchSize, learningRate, epochs, temperature, seed)')
    .option('--json', 'machine-readable output')
    .action((project: string, o: { config: string; json?: boolean }) => runConfig(project, o, 'simcse'));

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
};
