// `shirabe cluster | project-map | topics`: an embedding run clustered and labelled both ways (or,
// with --k-sweep, k-means for every k of a range to choose k by), a 2-D map of it, and a clustering's topics.
import { Option } from 'commander';
import { extname, resolve } from 'node:path';
import { clusterConfigSchema, expectRunOf, kSweepConfigSchema, mapConfigSchema, topicsDefaults, type MapMethod } from '../../../common/contract';
import { csvBom } from '../../../common/csv';
import { ShirabeError } from '../../../common/errors';
import { studyWords, topicsCsv, topicsLatex } from '../../../common/topicsTable';
import { writeFileAtomically } from '../../services/files';
import { configIssues, parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

export const topicsCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  program
    .command('cluster')
    .description('cluster an embedding run (k-means or HDBSCAN) and label every cluster two ways: the study\'s TF-IDF-weighted word embeddings and BERTopic\'s c-TF-IDF')
    .argument('<project>')
    .requiredOption('--embedding <run>', 'embedding run id')
    .option('--k <k>', 'k-means into k clusters (default 20, the study\'s)')
    .option('--k-sweep <from..to>', 'instead of clustering, k-means for every k of the range (e.g. 2..30): inertia, silhouette and, with labels, NMI and ARI per k, and the k of the highest silhouette')
    .option('--hdbscan <min>', 'HDBSCAN with this minimum cluster size instead of k-means')
    .option('--restarts <n>', 'k-means restarts, the lowest inertia kept', '10')
    .option('--lsa [dims]', "the baseline: cluster the TF-IDF of the same documents' morphemes reduced by truncated SVD (LSA) to dims dimensions (default 100) instead of their embeddings")
    .addOption(new Option('--metric <m>', 'how embeddings are compared').choices(['cosine', 'euclidean']).default('cosine'))
    .option('--words <n>', 'label words per cluster and method', '20')
    .option('--min-df <n>', 'a label word occurs in at least this many documents', '10')
    .option('--seed <s>', 'seed', '42')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
      if (o.kSweep !== undefined) {
        const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(String(o.kSweep));
        if (!range) throw new ShirabeError('invalidRequest', { detail: `--k-sweep takes a range FROM..TO such as 2..30, not "${String(o.kSweep)}"` });
        const sweep = kSweepConfigSchema.safeParse({ embeddingRunId: int(o.embedding), from: Number(range[1]), to: Number(range[2]), restarts: int(o.restarts), metric: o.metric, seed: parseInteger(String(o.seed), 'seedInvalid') });
        if (!sweep.success) throw new ShirabeError('configInvalid', { detail: configIssues(sweep.error.issues) });
        await call('project.open', { path: project });
        const { jobId } = await call('topics.sweep', sweep.data);
        const swept = await waitForJob('sweep', jobId, Boolean(o.json));
        return print(Boolean(o.json), swept, () => t.swept(swept));
      }
      const algorithm = o.hdbscan !== undefined ? { kind: 'hdbscan', minClusterSize: int(o.hdbscan) } : { kind: 'kmeans', k: o.k === undefined ? undefined : int(o.k), restarts: int(o.restarts) };
      const parsed = clusterConfigSchema.safeParse({
        embeddingRunId: int(o.embedding),
        algorithm,
        metric: o.metric,
        lsa: o.lsa === undefined ? null : { components: o.lsa === true ? topicsDefaults.lsaComponents : int(o.lsa) },
        labels: { words: int(o.words), minDf: int(o.minDf) },
        seed: parseInteger(String(o.seed), 'seedInvalid'),
      });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('topics.cluster', parsed.data);
      const result = await waitForJob('cluster', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.clustered(result));
    });

  program
    .command('project-map')
    .description('a 2-D map of an embedding run (UMAP, t-SNE or PCA), with its trustworthiness')
    .argument('<project>')
    .requiredOption('--embedding <run>', 'embedding run id')
    .addOption(new Option('--method <m>', 'projection').choices(['umap', 'tsne', 'pca']).default('umap'))
    .addOption(new Option('--metric <m>', 'how embeddings are compared').choices(['cosine', 'euclidean']).default('cosine'))
    .option('--seed <s>', 'seed', '42')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      const parsed = mapConfigSchema.safeParse({
        embeddingRunId: parseInteger(String(o.embedding), 'invalidRequest'),
        method: o.method as MapMethod,
        metric: o.metric,
        seed: parseInteger(String(o.seed), 'seedInvalid'),
      });
      if (!parsed.success) throw new ShirabeError('configInvalid', { detail: configIssues(parsed.error.issues) });
      await call('project.open', { path: project });
      const { jobId } = await call('maps.start', parsed.data);
      const result = await waitForJob('map', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.mapped(result));
    });

  program
    .command('topics')
    .description("a clustering's topics: size, label words by either method, representative documents")
    .argument('<project>')
    .requiredOption('--clustering <run>', 'clustering run id')
    .option('--top <n>', 'label words shown per topic', '10')
    .addOption(new Option('--method <m>', "label words by the study's method or BERTopic's c-TF-IDF").choices(['study', 'ctfidf']).default('study'))
    .option('--out <file>', 'write the topic list (names, sizes, both methods\' words, example titles) to FILE.csv or, as a LaTeX booktabs table, FILE.tex')
    .option('--examples <n>', 'example titles per topic in --out', '3')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { clustering: string; top: string; method: 'study' | 'ctfidf'; out?: string; examples: string; json?: boolean }) => {
      await call('project.open', { path: project });
      const run = expectRunOf(await call('runs.get', { runId: parseInteger(o.clustering, 'invalidRequest') }), 'cluster');
      const top = parseInteger(o.top, 'invalidRequest');
      if (o.out !== undefined) {
        const path = resolve(o.out);
        const format = extname(path).toLowerCase() === '.csv' ? 'csv' : extname(path).toLowerCase() === '.tex' ? 'latex' : null;
        if (format === null) throw new ShirabeError('topicsExportFormat', { path });
        const options = { words: top, examples: parseInteger(o.examples, 'invalidRequest') };
        writeFileAtomically(path, format === 'csv' ? csvBom + topicsCsv(run.topics, options) : topicsLatex(run.topics, { ...options, caption: `Topics of ${run.name}` }));
        return print(Boolean(o.json), { path, format, topics: run.topics.length }, () => t.topicsWritten(run.topics.length, format, path));
      }
      print(Boolean(o.json), run.topics, () => run.topics.map((topic) => t.topicRow(topic, (o.method === 'study' ? studyWords(topic, top) : topic.ctfidf.slice(0, top).map((w) => w.word)))).join('\n'));
    });
};
