// topics.sweep: k-means for every k of a range on an embedding run (inertia, silhouette and, with
// gold labels, NMI and ARI per k) so the researcher can choose k. A job, not a run: its result is
// the job's (kept in the job's record with its config, as every job's), nothing is written to the project.
import { kSweepMaxSpan, type Handlers, type KSweepConfig, type KSweepResult } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';

/** Refuses a range that tries no k, too many, or more clusters than silhouette allows (k ≤ documents − 1). */
export function checkSweepRange(config: Pick<KSweepConfig, 'embeddingRunId' | 'from' | 'to'>, documents: number): void {
  const { from, to } = config;
  if (from > to) throw new ShirabeError('kSweepRangeEmpty', { from, to });
  if (to - from > kSweepMaxSpan) throw new ShirabeError('kSweepRangeTooWide', { span: kSweepMaxSpan, from, to, actual: to - from, limit: from + kSweepMaxSpan });
  if (to > documents - 1) throw new ShirabeError('kSweepTooFewDocuments', { id: config.embeddingRunId, documents, max: documents - 1, to });
}

/** The run's vectors and each document's gold label index (-1: none; null when the corpus has no labels). */
function sweepInput(store: ProjectStore, embeddingRunId: number) {
  const { run, documentIds, vectors } = store.embeddings.vectors(embeddingRunId);
  const labels = new Map(store.documents.labelled(run.corpusId).map((d) => [d.id, d.label]));
  const names = [...new Set(documentIds.map((id) => labels.get(id)).filter((l): l is string => typeof l === 'string' && l !== ''))].sort();
  const index = new Map(names.map((l, i) => [l, i]));
  const gold = names.length > 0 ? Int32Array.from(documentIds, (id) => index.get(labels.get(id) ?? '') ?? -1) : null;
  return { vectors, dimensions: run.dimensions, gold };
}

/** The topics.sweep handler: checks the range against the run's documents, then queues the sweep. */
export function sweepHandler(deps: ServiceContext): Handlers['topics.sweep'] {
  return async (config) => {
    const store = deps.projects.require();
    const run = store.embeddings.list(null).find((r) => r.id === config.embeddingRunId);
    if (!run) throw new ShirabeError('embeddingRunNotFound', { id: config.embeddingRunId });
    checkSweepRange(config, run.documents);
    const job = deps.jobs.submit({
      kind: 'sweep',
      title: `${run.corpusName} · ${run.model.name} · k ${config.from}–${config.to}`,
      unit: 'steps',
      body: async (ctx): Promise<KSweepResult> => {
        const started = Date.now();
        const { embeddingRunId, ...rest } = config;
        const input = sweepInput(store, embeddingRunId);
        const { output } = await deps.compute.run('kSweep', { config: rest, ...input }, { signal: ctx.signal, onProgress: ctx.progress });
        return { embeddingRunId, points: output.points, suggested: output.suggested, seconds: (Date.now() - started) / 1000 };
      },
    });
    deps.remember(job.id, { ...config, version: deps.version });
    return { jobId: job.id };
  };
}
