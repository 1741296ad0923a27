// Models, tokenization, the compute worker and embedding runs, as the contract's handlers.
import type { EmbedResult, Handlers, ModelInfo } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import type { Morphology } from '../corpus/morphology';
import type { ComputeClient } from '../jobs/compute/client';
import type { JobQueue } from '../jobs/jobQueue';
import type { Tokenizer } from '../ml/tokenizers/types';
import { inspectModel, readTokenizer, requireModelDir } from '../modelFolders/modelFolder';
import { segmenterFor } from '../modelFolders/segmenter';
import { resolveLayer } from '../ml/embed';
import type { ProjectService } from './projectService';
import { provenance } from './runs';
import type { SettingsStore } from './settings';

type ModelHandlers = Pick<Handlers, 'models.inspect' | 'models.add' | 'models.remove' | 'models.tokenize' | 'compute.status' | 'embed.start' | 'embed.runs'>;

export interface ModelServiceDeps {
  settings: SettingsStore;
  projects: ProjectService;
  jobs: JobQueue;
  compute: ComputeClient;
  morphology(): Promise<Morphology>;
  version: string;
  /** Records what a job was asked to do, for the project's job history. */
  remember(jobId: string, config: unknown): void;
}

/** The check report of a model folder (kuromoji loaded only when its tokenizer needs it). */
export async function inspectModelFolder(path: string, morphology: () => Promise<Morphology>): Promise<ModelInfo> {
  const dir = requireModelDir(path);
  return inspectModel(dir, await segmenterFor(dir, morphology));
}

export function modelHandlers(deps: ModelServiceDeps): ModelHandlers {
  const tokenizers = new Map<string, Tokenizer>();
  const inspect = (path: string): Promise<ModelInfo> => inspectModelFolder(path, deps.morphology);
  return {
    'models.inspect': ({ path }) => inspect(path),
    'models.add': async ({ path }) => {
      const info = await inspect(path);
      deps.settings.setModel(info.path, true);
      return info;
    },
    'models.remove': async ({ path }) => deps.settings.setModel(path, false),
    'models.tokenize': async ({ path, text, maxLength }) => {
      const dir = requireModelDir(path);
      let tokenizer = tokenizers.get(dir);
      if (!tokenizer) {
        tokenizer = readTokenizer(dir, await segmenterFor(dir, deps.morphology)).tokenizer;
        tokenizers.set(dir, tokenizer);
      }
      const e = tokenizer.encode(text, { maxLength, truncation: 'head' });
      return { tokens: e.tokens.map((t) => ({ id: t.id, token: t.text, start: t.start, end: t.end, special: t.special })), truncated: e.truncated };
    },
    'compute.status': () => deps.compute.status(),
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
          const { output: { vectors, ...outcome }, backend } = await deps.compute.run('embed', { ...options, modelPath: model.path, texts: docs.map((d) => d.text) }, { signal: ctx.signal, onProgress: ctx.progress });
          const run = { vectors, outcome, backend };
          if (ctx.signal.aborted) throw new ShirabeError('cancelled');
          const seconds = (Date.now() - started) / 1000;
          const runId = store.embeddings.save(
            {
              corpusId: options.corpusId,
              model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType },
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
  };
}
