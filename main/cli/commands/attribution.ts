// `shirabe attribute | attribute-split`: Integrated Gradients for one or more documents (or a split
// of a corpus) as an attribution run, printed as the words (tokens, morphemes) with the largest
// attributions and the completeness gap.
import { Option, type Command } from 'commander';
import { attributionConfigSchema, attributionDefaults, attributionRules, informationConfigSchema, type AttributionTargetSpec, type DocumentAttribution, type ScoredSpan } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger } from '../parse';
import type { Cli, RegisterCommands } from '../shared';

type Options = Record<string, string | boolean | undefined>;

/** The options both commands share: the model, the target, the integral and the unit printed. */
function modelAndTarget(command: Command): Command {
  return command
    .option('--model <dir>', 'a model folder: its own classification head, or (with --target embedding) its sentence embedding')
    .option('--run <id>', 'a finished fine-tuning run of the project')
    .option('--target <t>', 'predicted (the predicted class), class:LABEL, embedding (the study\'s norm contribution) or topic:CLUSTERING (cosine to the document\'s topic centroid)', 'predicted')
    .addOption(new Option('--output <o>', "a class's logit or probability").choices(['logit', 'probability']).default('logit'))
    .addOption(new Option('--pooling <p>', 'sentence embedding pooling').choices(['cls', 'mean', 'last', 'max']).default('mean'))
    .option('--layer <l>', 'sentence embedding layer (negative counts from the end)', '-1')
    .option('--estimate <n>', 'estimate the embedding norm from n random projections instead of one IG per dimension')
    .addOption(new Option('--baseline <b>', 'the baseline\'s tokens ([CLS] and [SEP] kept)').choices(['pad', 'mask', 'unk', 'zero']).default(attributionDefaults.baseline))
    .option('--steps <n>', 'integration points', String(attributionDefaults.steps))
    .addOption(new Option('--rule <r>', 'integration rule').choices([...attributionRules]).default(attributionDefaults.rule))
    .option('--batch-size <n>', 'memory per pass as for this many documents of --max-length tokens', String(attributionDefaults.batchSize))
    .option('--max-length <n>', 'tokens per document (the rest is not attributed)', String(attributionDefaults.maxLength))
    .addOption(new Option('--unit <u>', 'what is printed').choices(['word', 'morpheme', 'token']).default('word'))
    .option('--top <n>', 'units printed per document, by the size of their score', '10')
    .option('--seed <s>', 'seed of the estimate\'s projections', String(attributionDefaults.seed))
    .option('--json', 'machine-readable output: the run and every document with its token, word and morpheme scores');
}

function targetOf(o: Options): AttributionTargetSpec {
  const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
  const t = String(o.target);
  if (t === 'predicted') return { kind: 'class', label: null, output: o.output as 'logit' | 'probability' };
  if (t.startsWith('class:')) return { kind: 'class', label: t.slice(6), output: o.output as 'logit' | 'probability' };
  if (t === 'embedding') return { kind: 'embedding', pooling: o.pooling as 'mean', layer: Number(o.layer), estimate: o.estimate === undefined ? null : int(o.estimate) };
  if (t.startsWith('topic:')) return { kind: 'membership', clusteringRunId: int(t.slice(6)) };
  throw new ShirabeError('invalidRequest', { detail: `--target takes predicted, class:LABEL, embedding or topic:CLUSTERING, not "${t}"` });
}

async function attribute(cli: Cli, project: string, o: Options, corpusOf: () => Promise<number>, documents: unknown): Promise<void> {
  const { call, print, t, waitForJob } = cli;
  const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
  if (o.model !== undefined && o.run !== undefined) throw new ShirabeError('invalidRequest', { detail: 'give --model or --run, not both' });
  await call('project.open', { path: project });
  const parsed = attributionConfigSchema.safeParse({
    corpusId: await corpusOf(),
    source: o.run !== undefined ? { kind: 'run', runId: int(o.run) } : o.model !== undefined ? { kind: 'model', path: String(o.model) } : null,
    target: targetOf(o),
    documents,
    baseline: o.baseline,
    steps: int(o.steps),
    rule: o.rule,
    batchSize: int(o.batchSize),
    maxLength: int(o.maxLength),
    seed: parseInteger(String(o.seed), 'seedInvalid'),
  });
  if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
  const { jobId, runId } = await call('attribution.start', parsed.data);
  const result = await waitForJob('attribution', jobId, Boolean(o.json));
  const run = await call('runs.get', { runId });
  const attributed = run.kind === 'attribution' ? run.attributed : [];
  const docs: DocumentAttribution[] = [];
  for (const d of attributed) docs.push(await call('attribution.document', { runId, documentId: d.documentId }));
  const unit = String(o.unit) as 'word' | 'morpheme' | 'token';
  const top = int(o.top);
  const spansOf = (d: DocumentAttribution): ScoredSpan[] =>
    (unit === 'word' ? d.words : unit === 'morpheme' ? d.morphemes : d.tokens.filter((s) => !s.special)).slice().sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, top);
  print(Boolean(o.json), { ...result, documents: docs }, () => [...docs.map((d) => t.attributed(d, unit, spansOf(d))), t.attributionRun(result)].join('\n'));
}

export const attributionCommands: RegisterCommands = (program, cli) => {
  program
    .command('information')
    .description("the implicit-weighting study's analysis: each word's contribution in attribution runs against its information −log P(w) from a corpus's frequencies (Pearson and Spearman with 95% intervals)")
    .argument('<project>')
    .requiredOption('--attributions <runs>', 'attribution run ids, separated by commas (compared side by side)')
    .requiredOption('--frequencies <corpus>', 'the corpus whose word frequencies give P(w)')
    .addOption(new Option('--unit <u>', 'MeCab morphemes or the model\'s subwords').choices(['morpheme', 'subword']).default('morpheme'))
    .option('--with-symbols', 'keep punctuation and symbols')
    .option('--bootstrap <n>', 'bootstrap resamples for the percentile intervals', '1000')
    .option('--seed <s>', 'seed of the bootstrap', String(attributionDefaults.seed))
    .option('--json', 'machine-readable output (with both intervals and the points of the scatter plot)')
    .action(async (project: string, o: Options) => {
      const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
      const parsed = informationConfigSchema.safeParse({
        runIds: String(o.attributions)
          .split(',')
          .map((s) => int(s.trim())),
        frequencyCorpusId: int(o.frequencies),
        unit: o.unit,
        withoutSymbols: !o.withSymbols,
        bootstrap: int(o.bootstrap),
        seed: parseInteger(String(o.seed), 'seedInvalid'),
      });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await cli.call('project.open', { path: project });
      const { jobId } = await cli.call('attribution.information', parsed.data);
      const result = await cli.waitForJob('information', jobId, Boolean(o.json));
      cli.print(Boolean(o.json), result, () => cli.t.information(result));
    });

  modelAndTarget(
    program
      .command('attribute')
      .description('Integrated Gradients for documents: which words drove a classifier\'s prediction, built a sentence embedding, or put a document in its topic')
      .argument('<project>')
      .requiredOption('--doc <ids>', 'document id, or several separated by commas'),
  ).action(async (project: string, o: Options) => {
    const ids = String(o.doc)
      .split(',')
      .map((s) => parseInteger(s.trim(), 'invalidRequest'));
    await attribute(cli, project, o, async () => (await cli.call('corpus.document', { documentId: ids[0] })).corpusId, { kind: 'ids', ids });
  });

  modelAndTarget(
    program
      .command('attribute-split')
      .description('Integrated Gradients for every document of a split of a corpus (or its first --limit), as one run that resumes where it stopped')
      .argument('<project>')
      .requiredOption('--corpus <id>', 'corpus id')
      .addOption(new Option('--split <s>', 'the split, or all').choices(['train', 'dev', 'test', 'all']).default('test'))
      .option('--limit <n>', 'only the first n documents'),
  ).action(async (project: string, o: Options) => {
    const documents = { kind: 'split', split: o.split === 'all' ? null : o.split, limit: o.limit === undefined ? null : parseInteger(String(o.limit), 'invalidRequest') };
    await attribute(cli, project, o, async () => parseInteger(String(o.corpus), 'invalidRequest'), documents);
  });
};
