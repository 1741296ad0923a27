// `shirabe predict | export-predictions`: a fine-tuned run (or a model folder with a classification
// head) applied to a corpus as a prediction run, printed with its comparison against the gold
// labels, and a run's predictions written as CSV.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { predictionConfigSchema, predictionDefaults } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

type Options = Record<string, string | boolean | undefined>;

export const predictionCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  program
    .command('predict')
    .description("apply a classifier to a corpus: each document's predicted labels and probabilities kept in the project as a prediction run, compared with the gold labels where there are any")
    .argument('<project>')
    .option('--run <id>', 'a finished fine-tuning run of the project')
    .option('--model <dir>', 'a model folder with a classification head (e.g. one exported with export-model --merge)')
    .requiredOption('--corpus <id>', 'corpus id')
    .addOption(new Option('--split <s>', 'the split, or all').choices(['train', 'dev', 'test', 'all']).default('all'))
    .option('--threshold <p>', 'multi-label: a label is predicted when its probability is above this', String(predictionDefaults.threshold))
    .option('--batch-size <n>', 'documents per forward pass', String(predictionDefaults.batchSize))
    .option('--max-length <n>', "tokens per document (default: the run's, or 128 for a model folder)")
    .option('--out <file>', 'also write the predictions as CSV (document_id, title, split, gold, predicted, confidence, p(label)…)')
    .option('--json', 'machine-readable output: the result with its metrics')
    .action(async (project: string, o: Options) => {
      const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
      if ((o.run === undefined) === (o.model === undefined)) throw new ShirabeError('invalidRequest', { detail: 'give --run RUN or --model DIR (one of them)' });
      const parsed = predictionConfigSchema.safeParse({
        corpusId: int(o.corpus),
        source: o.run !== undefined ? { kind: 'run', runId: int(o.run) } : { kind: 'model', path: resolve(String(o.model)) },
        split: o.split === 'all' ? null : o.split,
        threshold: Number(o.threshold),
        batchSize: int(o.batchSize),
        maxLength: o.maxLength === undefined ? null : int(o.maxLength),
      });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId, runId } = await call('prediction.start', parsed.data);
      const result = await waitForJob('prediction', jobId, Boolean(o.json));
      const run = await call('runs.get', { runId });
      const labels = run.kind === 'prediction' ? run.labels : [];
      const written = o.out === undefined ? null : await call('prediction.export', { runId, path: resolve(String(o.out)) });
      print(Boolean(o.json), { ...result, labels, ...(written ? { csv: written } : {}) }, () => [t.predicted(result, labels), ...(written ? [t.predictionsWritten(written.rows, written.path)] : [])].join('\n'));
    });

  program
    .command('export-predictions')
    .description("write a prediction run's documents as CSV: document_id, title, split, gold, predicted, confidence and the probability of each label (UTF-8 with a BOM, written under a temporary name and renamed into place)")
    .argument('<project>')
    .argument('<run>', 'prediction run id')
    .argument('<out>', 'OUT.csv')
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, out: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const written = await call('prediction.export', { runId: parseInteger(run, 'invalidRequest'), path: resolve(out) });
      print(Boolean(o.json), written, () => t.predictionsWritten(written.rows, written.path));
    });
};
