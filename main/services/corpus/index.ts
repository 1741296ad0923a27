// Corpora: import (preview, then one job and one transaction), browsing, full-text search, KWIC,
// statistics and the morphology cache, as the contract's handlers.
import { statSync } from 'node:fs';
import type { Handlers } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { ServiceContext } from '../context';
import type { WorkflowService } from '../workflow';
import { defaultCorpusName, preview, runImport } from './import';
import { keywordsCache, selectionKeywords } from './keywords';

type CorpusHandlers = Pick<
  Handlers,
  'import.preview' | 'import.start' | 'corpus.list' | 'corpus.documents' | 'corpus.document' | 'corpus.morphology' | 'corpus.kwic' | 'corpus.stats' | 'corpus.analyse' | 'corpus.facets' | 'corpus.matches' | 'corpus.keywords'
>;

/** Documents analysed per write when filling the morphology cache. */
const morphologyBatch = 200;

export function corpusService(deps: ServiceContext): WorkflowService<CorpusHandlers> {
  const keywords = keywordsCache();
  const handlers: CorpusHandlers = {
    'import.preview': ({ path, options }) => preview(path, options),
    'import.start': async ({ path, options }) => {
      const store = deps.projects.require();
      const name = options.name.trim() || defaultCorpusName(path);
      const job = deps.jobs.submit({
        kind: 'import',
        title: name,
        // A folder's progress counts files (one document each), a file's counts bytes.
        unit: isFolder(path) ? 'documents' : 'bytes',
        body: async (ctx) => {
          const report = await runImport(store, path, { ...options, name }, ctx);
          deps.projects.touched();
          return report;
        },
      });
      deps.remember(job.id, { path, options: { ...options, name }, version: deps.version });
      return { jobId: job.id };
    },

    'corpus.list': async () => deps.projects.require().corpora.list(),
    'corpus.documents': async (query) => deps.projects.require().documents.page(query),
    'corpus.document': async ({ documentId }) => deps.projects.require().documents.get(documentId),
    'corpus.morphology': async ({ documentId }) => {
      const store = deps.projects.require();
      const cached = store.morphology.get(documentId);
      if (cached) return cached;
      const { text } = store.documents.get(documentId);
      const morphemes = (await deps.morphology()).analyse(text);
      store.morphology.put(documentId, morphemes);
      return morphemes;
    },
    'corpus.kwic': async ({ corpusId, word, width, sort, limit }) =>
      deps.projects.require().search.kwic(corpusId, word, width, sort, limit),
    'corpus.facets': async ({ corpusId }) => deps.projects.require().documents.facets(corpusId),
    'corpus.matches': async ({ corpusId, query }) => ({ documentIds: deps.projects.require().documents.matchingIds(corpusId, query) }),
    'corpus.keywords': async (input) => selectionKeywords(deps.projects.require(), input, deps.morphology, keywords),
    'corpus.stats': async ({ corpusId, unit, bins }) => deps.projects.require().stats.get(corpusId, unit, bins),
    'corpus.analyse': async ({ corpusId }) => {
      const store = deps.projects.require();
      const name = store.corpora.list().find((c) => c.id === corpusId)?.name;
      if (name === undefined) throw new ShirabeError('corpusNotFound', { id: corpusId });
      const job = deps.jobs.submit({
        kind: 'morphology',
        title: name,
        unit: 'documents',
        body: async (ctx) => {
          const analyser = await deps.morphology();
          // Texts are fetched a batch at a time: a large corpus never sits in memory whole.
          const total = store.morphology.countUnanalysed(corpusId);
          let done = 0;
          ctx.progress(0, total);
          for (;;) {
            if (ctx.signal.aborted) throw new ShirabeError('cancelled');
            // Analysed documents leave the unanalysed set, so each query starts at the next batch.
            const todo: { id: number; text: string }[] = [];
            for (const d of store.morphology.iterateUnanalysed(corpusId, morphologyBatch)) {
              todo.push(d);
              if (todo.length === morphologyBatch) break;
            }
            if (todo.length === 0) break;
            store.morphology.putBatch(todo.map((d) => ({ documentId: d.id, morphemes: analyser.analyse(d.text) })));
            done += todo.length;
            ctx.progress(done, total);
            await new Promise((r) => setImmediate(r)); // let cancel and other requests in
          }
          deps.projects.touched();
          return { documents: done };
        },
      });
      deps.remember(job.id, { corpusId, version: deps.version });
      return { jobId: job.id };
    },
  };
  return { handlers, runs: {} };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // the reader reports the missing path with its own message
  }
}
