// App-wide state: the API, settings (language, theme), the open project, corpora, jobs, the
// selected corpus, the document panel and the import reports being waited for.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import i18next from 'i18next';
import type { AppInfo, ComputeBackendChoice, CorpusSummary, InferenceProviderChoice, JobInfo, ProjectInfo, Settings, ShirabeApi, Span } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { errorMessage, type Language } from '../../../common/messages';
import { errorInfoOf } from '../api';

export interface DocumentTarget {
  documentId: number;
  /** Highlight every occurrence of this string (document search). */
  query?: string;
  /** Highlight and scroll to this span (a KWIC line). */
  span?: Span;
}

/** A word's concordance to show over any view (a label word on the topic map). */
export interface KwicTarget {
  word: string;
  corpusId: number | null;
}

export interface AppState {
  api: ShirabeApi;
  info: AppInfo;
  settings: Settings;
  language: Language;
  updateSettings(change: SettingsChange): Promise<void>;
  /** Settings changed by another call (models.add, models.remove): reload or take them. */
  refreshSettings(next?: Settings): Promise<void>;
  project: ProjectInfo | null;
  setProject(p: ProjectInfo | null): void;
  corpora: CorpusSummary[];
  refreshCorpora(): Promise<void>;
  corpusId: number | null;
  setCorpusId(id: number | null): void;
  jobs: JobInfo[];
  /** Reloads this session's jobs (jobs.list); 'job.update' keeps them current in between. */
  refreshJobs(): Promise<void>;
  document: DocumentTarget | null;
  openDocument(target: DocumentTarget | null): void;
  kwic: KwicTarget | null;
  openKwic(target: KwicTarget | null): void;
  importOpen: boolean;
  setImportOpen(open: boolean): void;
  trackImport(jobId: string): void;
  reportJob: JobInfo | null;
  dismissReport(): void;
  /** The text of an error in the current language. */
  message(error: ErrorInfo | unknown): string;
}

export interface SettingsChange {
  language?: Language;
  theme?: 'light' | 'dark';
  computeBackend?: ComputeBackendChoice;
  inferenceProvider?: InferenceProviderChoice;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const value = useContext(Ctx);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

export function AppProvider(props: {
  api: ShirabeApi;
  info: AppInfo;
  initialSettings: Settings;
  initialProject: ProjectInfo | null;
  children: ReactNode;
}) {
  const { api, info } = props;
  const [settings, setSettings] = useState(props.initialSettings);
  const [project, setProjectState] = useState(props.initialProject);
  const [corpora, setCorpora] = useState<CorpusSummary[]>([]);
  const [corpusId, setCorpusId] = useState<number | null>(null);
  const [jobs, setJobs] = useState<JobInfo[]>([]);
  const [document, openDocument] = useState<DocumentTarget | null>(null);
  const [kwic, openKwic] = useState<KwicTarget | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [reportJob, setReportJob] = useState<JobInfo | null>(null);
  const tracked = useRef(new Set<string>());
  const language = settings.language;

  const refreshCorpora = useCallback(async () => {
    try {
      const list = await api.call('corpus.list', {});
      setCorpora(list);
      setCorpusId((current) => (current !== null && list.some((c) => c.id === current) ? current : (list[0]?.id ?? null)));
    } catch {
      setCorpora([]);
    }
  }, [api]);

  const projectPath = useRef<string | null>(null);
  const setProject = useCallback((p: ProjectInfo | null) => {
    setProjectState(p);
    // The same project changed (an import or analysis finished): keep what the user is looking at.
    if ((p?.path ?? null) === projectPath.current) return;
    projectPath.current = p?.path ?? null;
    openDocument(null);
    openKwic(null);
    setCorpusId(null);
    setCorpora([]);
    // Recent list changes when a project opens: reload settings.
    api.call('settings.get', {}).then(setSettings, () => undefined);
  }, [api]);

  useEffect(() => {
    if (project) void refreshCorpora();
  }, [project, refreshCorpora]);

  const refreshJobs = useCallback(async () => {
    try {
      setJobs(await api.call('jobs.list', {}));
    } catch {
      /* keep what the events told us */
    }
  }, [api]);

  const onJob = useCallback(
    (job: JobInfo) => {
      setJobs((list) => {
        const i = list.findIndex((j) => j.id === job.id);
        if (i < 0) return [...list, job];
        const copy = list.slice();
        copy[i] = job;
        return copy;
      });
      const wasTracked = tracked.current.has(job.id);
      if (job.status === 'done' && job.kind === 'import') {
        void refreshCorpora().then(() => {
          const result = job.result;
          if (wasTracked && result && 'corpusId' in result) setCorpusId(result.corpusId);
        });
      }
      if (tracked.current.has(job.id) && job.status === 'done') {
        tracked.current.delete(job.id);
        setReportJob(job);
      } else if (tracked.current.has(job.id) && (job.status === 'failed' || job.status === 'cancelled')) {
        tracked.current.delete(job.id);
      }
    },
    [refreshCorpora],
  );

  useEffect(() => {
    const offJob = api.on('job.update', onJob);
    const offProject = api.on('project.changed', (p) => setProject(p));
    void refreshJobs();
    return () => {
      offJob();
      offProject();
    };
  }, [api, onJob, setProject, refreshJobs]);

  const trackImport = useCallback(
    (jobId: string) => {
      tracked.current.add(jobId);
      // The job may have finished before we started listening.
      api.call('jobs.get', { jobId }).then(onJob, () => undefined);
    },
    [api, onJob],
  );

  const updateSettings = useCallback(
    async (change: SettingsChange) => {
      setSettings((s) => ({ ...s, ...change }));
      if (change.language) void i18next.changeLanguage(change.language);
      try {
        setSettings(await api.call('settings.set', change));
      } catch {
        /* keep the local choice for this session */
      }
    },
    [api],
  );

  const refreshSettings = useCallback(
    async (next?: Settings) => {
      try {
        setSettings(next ?? (await api.call('settings.get', {})));
      } catch {
        /* keep the settings we have */
      }
    },
    [api],
  );

  const message = useCallback((error: unknown) => errorMessage(errorInfoOf(error), language), [language]);

  const value = useMemo<AppState>(
    () => ({
      api,
      info,
      settings,
      language,
      updateSettings,
      refreshSettings,
      project,
      setProject,
      corpora,
      refreshCorpora,
      corpusId,
      setCorpusId,
      jobs,
      refreshJobs,
      document,
      openDocument,
      kwic,
      openKwic,
      importOpen,
      setImportOpen,
      trackImport,
      reportJob,
      dismissReport: () => setReportJob(null),
      message,
    }),
    [api, info, settings, language, updateSettings, refreshSettings, project, setProject, corpora, refreshCorpora, corpusId, jobs, refreshJobs, document, kwic, importOpen, trackImport, reportJob, message],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}
