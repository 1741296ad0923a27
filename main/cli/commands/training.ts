// `shirabe train | runs | run-show | export-model`: fine-tuning runs, their results and their export.
import { resolve } from 'node:path';
import { expectRunOf, isRunOf, trainConfigSchema } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger, readJsonConfig } from '../parse';
import type { RegisterCommands } from '../shared';

export const trainingCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
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
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
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
      const runs = (await call('runs.list', { kind: 'train', corpusId: null })).filter((r) => isRunOf(r, 'train'));
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
      const r = expectRunOf(await call('runs.get', { runId: parseInteger(run, 'invalidRequest') }), 'train');
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
    .description('a finished run as Hugging Face files: its LoRA adapter (PEFT), or with --merge (and always for full fine-tuning) the merged sequence classifier, or with --onnx an ONNX model of its logits; tokenizer files copied beside')
    .argument('<project>')
    .argument('<run>')
    .argument('<outdir>', 'a new or empty folder')
    .option('--merge', 'fold LoRA adapters into the weights and write the whole model')
    .option('--onnx', 'write model.onnx instead: the classifier\'s logits (LoRA merged) with dynamic batch and sequence axes, for onnxruntime; config.json and the tokenizer files beside')
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, outDir: string, o: { merge?: boolean; onnx?: boolean; json?: boolean }) => {
      await call('project.open', { path: project });
      const runId = parseInteger(run, 'invalidRequest');
      const info = expectRunOf(await call('runs.get', { runId }), 'train');
      if (o.onnx) {
        const onnx = await call('train.exportOnnx', { runId, outDir: resolve(outDir) });
        print(Boolean(o.json), onnx, () => t.exportedOnnx(runId, onnx));
        return;
      }
      const result = await call('train.export', { runId, outDir: resolve(outDir), merge: Boolean(o.merge) });
      print(Boolean(o.json), result, () => t.exported(runId, Boolean(o.merge) || info.config.method === 'full', result));
    });
};
