// `shirabe cluster | project-map | topics`: an embedding run clustered and labelled both ways, a
// 2-D map of it, and a clustering's topics.
import { Option } from 'commander';
import { clusterConfigSchema, expectRunOf, mapConfigSchema, type MapMethod } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { configIssues, parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

export const topicsCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  program
    .command('cluster')
    .description('cluster an embedding run (k-means or HDBSCAN) and label every cluster two ways: the study\'s TF-IDF-weighted word embeddings and BERTopic\'s c-TF-IDF')
    .argument('<project>')
    .requiredOption('--embedding <run>', 'embedding run id')
    .option('--k <k>', 'k-means into k clusters (default 20, the study\'s)')
    .option('--hdbscan <min>', 'HDBSCAN with this minimum cluster size instead of k-means')
    .option('--restarts <n>', 'k-means restarts, the lowest inertia kept', '10')
    .addOption(new Option('--metric <m>', 'how embeddings are compared').choices(['cosine', 'euclidean']).default('cosine'))
    .option('--words <n>', 'label words per cluster and method', '20')
    .option('--min-df <n>', 'a label word occurs in at least this many documents', '10')
    .option('--seed <s>', 'seed', '42')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      const int = (v: unknown) => parseInteger(String(v), 'invalidRequest');
      const algorithm = o.hdbscan !== undefined ? { kind: 'hdbscan', minClusterSize: int(o.hdbscan) } : { kind: 'kmeans', k: o.k === undefined ? undefined : int(o.k), restarts: int(o.restarts) };
      const parsed = clusterConfigSchema.safeParse({
        embeddingRunId: int(o.embedding),
        algorithm,
        metric: o.metric,
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
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { clustering: string; top: string; method: 'study' | 'ctfidf'; json?: boolean }) => {
      await call('project.open', { path: project });
      const run = expectRunOf(await call('runs.get', { runId: parseInteger(o.clustering, 'invalidRequest') }), 'cluster');
      const top = parseInteger(o.top, 'invalidRequest');
      print(Boolean(o.json), run.topics, () => run.topics.map((topic) => t.topicRow(topic, topic[o.method].slice(0, top).map((w) => w.word))).join('\n'));
    });
};
