// buildServices: every service of the backend, built in one place with its dependencies
// passed in. Electron, the WebSocket server and the CLI all start here.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AppInfo, DialogPurpose, Handlers, JobInfo } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { Morphology } from '../corpus/morphology';
import { ComputeClient } from '../jobs/compute/client';
import { JobQueue } from '../jobs/jobQueue';
import { EventBus } from './emitter';
import { svgToPdf } from './figure';
import { defaultCorpusName, preview, runImport } from './importService';
import { inspectModelFolder, modelHandlers } from './modelService';
import { pretrainService } from './pretrainService';
import { runsHandlers } from './runs';
import { trainService } from './trainService';
import { ProjectService } from './projectService';
import type { SettingsStore } from './settings';

export interface ServiceDeps {
  mode: AppInfo['mode'];
  version: string;
  settings: SettingsStore;
  /** resources/fonts/ipaexg.ttf: embedded in PDF figures. */
  fontPath: string;
  /** kuromoji's IPADIC folder; undefined = the one in node_modules. */
  dictionaryPath?: string;
  /** Native dialogs (Electron); absent in browser mode and the CLI. */
  pickPath?: (purpose: DialogPurpose, defaultPath?: string) => Promise<string | null>;
  /** The bundled default model (resources/models/shirabe-tiny-ja), listed on the Models page from the start. */
  defaultModelPath?: string;
}

export interface Services {
  handlers: Handlers;
  events: EventBus;
  projects: ProjectService;
  jobs: JobQueue;
  compute: ComputeClient;
  morphology(): Promise<Morphology>;
  shutdown(): Promise<void>;
}

/**
 * Largest file the browser mode accepts as an upload (it travels base64-encoded in one
 * WebSocket message). Bigger corpora are imported by their path on the server.
 */
export const maxUploadBytes = 256 * 1024 * 1024;

/** Documents analysed per write when filling the morphology cache. */
const morphologyBatch = 200;

export function buildServices(deps: ServiceDeps): Services {
  const events = new EventBus();
  /** What each job was asked to do, kept in the project's job history with its outcome. */
  const configs = new Map<string, unknown>();
  const jobs = new JobQueue((info: JobInfo) => {
    events.emit('job.update', info);
    if (info.status === 'done' || info.status === 'failed' || info.status === 'cancelled') {
      projects.current()?.jobs.record({ ...info, config: configs.get(info.id) ?? null });
      configs.delete(info.id);
    }
  });
  const projects = new ProjectService(events, deps.settings, () => jobs.drain());
  const uploadDir = { path: '' };
  let morphology: Promise<Morphology> | null = null;
  const loadMorphology = () => (morphology ??= Morphology.load(deps.dictionaryPath));
  const compute = new ComputeClient({ choice: () => deps.settings.get().computeBackend, dictionaryPath: deps.dictionaryPath });
  if (deps.defaultModelPath && deps.settings.get().models.length === 0 && existsSync(join(deps.defaultModelPath, 'config.json'))) {
    deps.settings.setModel(deps.defaultModelPath, true);
  }

  const training = trainService({
    projects,
    jobs,
    compute,
    inspect: (path) => inspectModelFolder(path, loadMorphology),
    emit: (progress) => events.emit('train.progress', progress),
    remember: (jobId, config) => configs.set(jobId, config),
    version: deps.version,
  });
  const pretraining = pretrainService({
    projects,
    jobs,
    compute,
    inspect: (path) => inspectModelFolder(path, loadMorphology),
    emit: (progress) => events.emit('pretrain.progress', progress),
    remember: (jobId, config) => configs.set(jobId, config),
    version: deps.version,
  });

  const handlers: Handlers = {
    'app.info': async () => ({
      version: deps.version,
      mode: deps.mode,
      nativeDialogs: Boolean(deps.pickPath),
      maxUploadBytes,
      platform: process.platform,
    }),
    'settings.get': async () => deps.settings.get(),
    'settings.set': async (patch) => deps.settings.update(patch),
    'dialog.pick': async ({ purpose, defaultPath }) => ({
      path: deps.pickPath ? await deps.pickPath(purpose, defaultPath) : null,
    }),

    'project.create': ({ path }) => projects.create(path),
    'project.open': ({ path }) => projects.open(path),
    'project.current': async () => projects.info(),
    'project.close': async () => {
      await projects.close();
      return null;
    },
    'project.saveCopy': async ({ path }) => projects.saveCopy(path),

    'files.upload': async ({ name, bytes }) => {
      if (bytes.byteLength > maxUploadBytes) throw new ShirabeError('uploadTooLarge', { size: bytes.byteLength, max: maxUploadBytes });
      uploadDir.path ||= mkdtempSync(join(tmpdir(), 'shirabe-upload-'));
      const dir = mkdtempSync(join(uploadDir.path, 'f-'));
      const target = join(dir, basename(name).replace(/[\\/:*?"<>|\0]/g, '_') || 'upload');
      writeFileSync(target, bytes);
      return { path: target };
    },

    'import.preview': ({ path, options }) => preview(path, options),
    'import.start': async ({ path, options }) => {
      const store = projects.require();
      const name = options.name.trim() || defaultCorpusName(path);
      const job = jobs.submit({
        kind: 'import',
        title: name,
        // A folder's progress counts files (one document each), a file's counts bytes.
        unit: isFolder(path) ? 'documents' : 'bytes',
        body: async (ctx) => {
          const report = await runImport(store, path, { ...options, name }, ctx);
          projects.touched();
          return report;
        },
      });
      configs.set(job.id, { path, options: { ...options, name }, version: deps.version });
      return { jobId: job.id };
    },

    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => jobs.cancel(jobId),
    'jobs.history': async () => projects.require().jobs.history(),

    'corpus.list': async () => projects.require().corpora.list(),
    'corpus.documents': async (query) => projects.require().documents.page(query),
    'corpus.document': async ({ documentId }) => projects.require().documents.get(documentId),
    'corpus.morphology': async ({ documentId }) => {
      const store = projects.require();
      const cached = store.morphology.get(documentId);
      if (cached) return cached;
      const { text } = store.documents.get(documentId);
      const morphemes = (await loadMorphology()).analyse(text);
      store.morphology.put(documentId, morphemes);
      return morphemes;
    },
    'corpus.kwic': async ({ corpusId, word, width, sort, limit }) =>
      projects.require().search.kwic(corpusId, word, width, sort, limit),
    'corpus.stats': async ({ corpusId, unit, bins }) => projects.require().stats.get(corpusId, unit, bins),
    'corpus.analyse': async ({ corpusId }) => {
      const store = projects.require();
      const name = store.corpora.list().find((c) => c.id === corpusId)?.name;
      if (name === undefined) throw new ShirabeError('corpusNotFound', { id: corpusId });
      const job = jobs.submit({
        kind: 'morphology',
        title: name,
        unit: 'documents',
        body: async (ctx) => {
          const analyser = await loadMorphology();
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
          projects.touched();
          return { documents: done };
        },
      });
      configs.set(job.id, { corpusId, version: deps.version });
      return { jobId: job.id };
    },

    ...modelHandlers({
      settings: deps.settings,
      projects,
      jobs,
      compute,
      morphology: loadMorphology,
      version: deps.version,
      remember: (jobId, config) => configs.set(jobId, config),
    }),

    ...training.handlers,
    ...pretraining.handlers,
    ...runsHandlers({ projects, jobs, kinds: { ...training.runs, ...pretraining.runs } }),

    'figure.pdf': async ({ svg, width, height }) => ({ bytes: await svgToPdf({ svg, width, height, fontPath: deps.fontPath }) }),
  };

  return {
    handlers,
    events,
    projects,
    jobs,
    compute,
    morphology: loadMorphology,
    async shutdown() {
      await projects.close();
      await compute.shutdown();
      if (uploadDir.path) rmSync(uploadDir.path, { recursive: true, force: true });
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // the reader reports the missing path with its own message
  }
}

/** The app's version from package.json, for the record of every run. */
export function readVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
