// Embedding runs: a corpus's documents through a model's encoder, one vector per document,
// pooled and stored in the project as float32 (embed.start, embed.runs), and exported to CSV, NPY
// or Parquet (embed.export).
import type { EmbedResult, Handlers } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { resolveLayer } from '../../ml/embed';
import type { ServiceContext } from '../context';
import { exportEmbeddings } from './export';
import { provenance } from '../runs';
import type { WorkflowService } from '../workflow';

type EmbeddingHandlers = Pick<Handlers, 'embed.start' | 'embed.runs' | 'embed.export'>;

export function embeddingsService(deps: ServiceContext): WorkflowService<EmbeddingHandlers> {
  const inspect = deps.inspect;
  const handlers: EmbeddingHandlers = {
    'embed.start': async (options) => {
      const store = deps.projects.require();
      const corpusName = store.corpora.name(options.corpusId);
      // Check the model before queueing, so a wrong folder is reported at once.
      const model = await inspect(options.modelPath);
      if (model.missing.length || model.misshaped.length) {
        throw new ShirabeError('modelTensorsMismatch', { missing: model.missing.join(', ') || '—', misshaped: model.misshaped.join('; ') || '—' });
      }
      if (options.maxLength > model.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: options.maxLength, limit: model.maxPositions });
      const layer = resolveLayer(options.layer, model.layers);
      const job = deps.jobs.submit({
        kind: 'embed',
        title: `${corpusName} · ${model.name}`,
        unit: 'documents',
        body: async (ctx): Promise<EmbedResult> => {
          const docs = store.documents.texts(options.corpusId);
          if (docs.length === 0) throw new ShirabeError('corpusEmpty', { name: corpusName });
          const started = Date.now();
          const { output: { vectors, backend, ...outcome } } = await deps.compute.run(
            'embed',
            { ...options, modelPath: model.path, modelHash: model.hash, texts: docs.map((d) => d.text) },
            { signal: ctx.signal, onProgress: ctx.progress },
          );
          // The engine the forward passes ran on (onnxruntime or the tfjs backend), as the worker reports it.
          const run = { vectors, outcome, backend };
          if (ctx.signal.aborted) throw new ShirabeError('cancelled');
          const seconds = (Date.now() - started) / 1000;
          const runId = store.embeddings.save(
            {
              corpusId: options.corpusId,
              model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType, ...(model.source ? { source: model.source } : {}) },
              pooling: options.pooling,
              layer,
              maxLength: options.maxLength,
              batchSize: options.batchSize,
              truncation: options.truncation,
              // Inference has no randomness (no dropout, no sampling); recorded for the run's record.
              seed: 0,
              dimensions: run.outcome.dimensions,
              truncatedDocuments: run.outcome.truncated,
              backend: run.backend,
              versions: provenance(deps.version),
              seconds,
            },
            docs.map((d) => d.id),
            run.vectors,
          );
          deps.projects.touched();
          return { runId, documents: docs.length, dimensions: run.outcome.dimensions, truncated: run.outcome.truncated, seconds, backend: run.backend };
        },
      });
      deps.remember(job.id, { ...options, modelHash: model.hash, version: deps.version });
      return { jobId: job.id };
    },
    'embed.runs': async ({ corpusId }) => deps.projects.require().embeddings.list(corpusId),
    'embed.export': async ({ runId, path }) => exportEmbeddings(deps.projects.require(), runId, path, deps.version),
  };
  return { handlers, runs: {} };
}
