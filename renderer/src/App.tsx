import { AppShell, Badge, Button, Divider, Group, MantineProvider, NavLink, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ComputePage } from './components/ComputePage';
import { DocumentsTab } from './components/DocumentsTab';
import { DocumentView } from './components/DocumentView';
import { EmbeddingsTab } from './components/EmbeddingsTab';
import { Header } from './components/Header';
import { ImportReport } from './components/ImportReport';
import { ImportWizard } from './components/ImportWizard';
import { JobBar } from './components/JobBar';
import { JobsView } from './components/JobsView';
import { KwicTab } from './components/KwicTab';
import { ModelsPage } from './components/ModelsPage';
import { ProjectScreen } from './components/ProjectScreen';
import { StatsTab } from './components/StatsTab';
import { PretrainingPage, type PretrainingScreen } from './components/PretrainingPage';
import { TrainingPage, type TrainingScreen } from './components/TrainingPage';
import { useApp } from './state/AppContext';
import { emptyDocumentsState, emptyKwicState, type DocumentsState, type KwicState } from './state/tabState';
import { theme } from './theme';

/** The left navigation: the workflow (DESIGN.md "UI"), then the machinery (compute, jobs). */
type View = 'corpus' | 'models' | 'training' | 'pretraining' | 'compute' | 'jobs';
const workflow: View[] = ['corpus', 'models', 'training', 'pretraining'];
const later = ['maps', 'attribution', 'entities'] as const;
const tools: View[] = ['compute', 'jobs'];
type CorpusTab = 'documents' | 'kwic' | 'stats' | 'embeddings';

export function App() {
  const app = useApp();
  return (
    <MantineProvider theme={theme} forceColorScheme={app.settings.theme}>
      {app.project ? <Workbench /> : <ProjectShell />}
    </MantineProvider>
  );
}

function ProjectShell() {
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Main style={{ paddingBottom: 'calc(var(--job-bar-height, 0px) + 16px)' }}>
        <ProjectScreen />
      </AppShell.Main>
      <JobBar />
    </AppShell>
  );
}

function Workbench() {
  const { t } = useTranslation();
  const app = useApp();
  const [view, setView] = useState<View>('corpus');
  const [tab, setTab] = useState<CorpusTab>('documents');
  const [docs, setDocs] = useState<DocumentsState>(emptyDocumentsState);
  const [kwic, setKwic] = useState<KwicState>(emptyKwicState);
  const [training, setTraining] = useState<TrainingScreen>({ kind: 'runs' });
  const [pretraining, setPretraining] = useState<PretrainingScreen>({ kind: 'runs', tab: 'runs' });
  const [focus, setFocus] = useState<{ target: 'docSearch' | 'kwicWord'; n: number } | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key === 'f') {
        e.preventDefault();
        setView('corpus');
        setTab('documents');
        setFocus((f) => ({ target: 'docSearch', n: (f?.n ?? 0) + 1 }));
      } else if (key === 'k') {
        e.preventDefault();
        setView('corpus');
        setTab('kwic');
        setFocus((f) => ({ target: 'kwicWord', n: (f?.n ?? 0) + 1 }));
      } else if (key === 'i') {
        e.preventDefault();
        app.setImportOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Stack gap={2}>
          {workflow.map((v) => (
            <NavLink
              key={v}
              data-testid={`nav-${v}`}
              label={t(`nav.${v}`)}
              active={view === v}
              onClick={() => {
                // "Training" again from a run's page goes back to the list of runs.
                if (v === 'training' && view === 'training' && training.kind === 'run') setTraining({ kind: 'runs' });
                if (v === 'pretraining' && view === 'pretraining' && pretraining.kind === 'run') setPretraining({ kind: 'runs', tab: 'runs' });
                setView(v);
              }}
            />
          ))}
          {later.map((w) => (
            <Tooltip key={w} label={t('nav.comingHint')} position="right">
              <NavLink
                label={t(`nav.${w}`)}
                disabled
                rightSection={
                  <Badge size="xs" variant="light" color="gray">
                    {t('nav.coming')}
                  </Badge>
                }
              />
            </Tooltip>
          ))}
          <Divider my="xs" />
          {tools.map((v) => (
            <NavLink key={v} data-testid={`nav-${v}`} label={t(`nav.${v}`)} active={view === v} onClick={() => setView(v)} />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main
        style={{
          display: 'flex',
          flexDirection: 'column',
          height: '100dvh',
          paddingBottom: 'calc(var(--job-bar-height, 0px) + 16px)',
          overflow: view === 'corpus' ? undefined : 'auto',
        }}
      >
        {view === 'models' && <ModelsPage />}
        {view === 'training' && <TrainingPage screen={training} onScreen={setTraining} onGoToModels={() => setView('models')} />}
        {view === 'pretraining' && <PretrainingPage screen={pretraining} onScreen={setPretraining} onGoToModels={() => setView('models')} />}
        {view === 'compute' && <ComputePage />}
        {view === 'jobs' && <JobsView />}
        {view === 'corpus' && (
          <Tabs value={tab} onChange={(v) => v && setTab(v as CorpusTab)} keepMounted={false} style={{ flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
            <Group justify="space-between" wrap="nowrap">
              <Tabs.List>
                <Tabs.Tab value="documents" data-testid="tab-documents">
                  {t('tabs.documents')}
                </Tabs.Tab>
                <Tabs.Tab value="kwic" data-testid="tab-kwic">
                  {t('tabs.kwic')}
                </Tabs.Tab>
                <Tabs.Tab value="stats" data-testid="tab-stats">
                  {t('tabs.stats')}
                </Tabs.Tab>
                <Tabs.Tab value="embeddings" data-testid="tab-embeddings">
                  {t('tabs.embeddings')}
                </Tabs.Tab>
              </Tabs.List>
              <Group gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {t('shortcuts.hint')}
                </Text>
                <Button data-testid="import-open" onClick={() => app.setImportOpen(true)}>
                  {t('import.open')}
                </Button>
              </Group>
            </Group>
            <Tabs.Panel value="documents" pt="sm" style={{ flex: 1, minHeight: 0 }}>
              <DocumentsTab state={docs} setState={setDocs} focus={focus?.target === 'docSearch' ? focus.n : 0} />
            </Tabs.Panel>
            <Tabs.Panel value="kwic" pt="sm" style={{ flex: 1, minHeight: 0 }}>
              <KwicTab state={kwic} setState={setKwic} focus={focus?.target === 'kwicWord' ? focus.n : 0} />
            </Tabs.Panel>
            <Tabs.Panel value="stats" pt="sm" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
              <StatsTab />
            </Tabs.Panel>
            <Tabs.Panel value="embeddings" pt="sm" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
              <EmbeddingsTab onGoToModels={() => setView('models')} />
            </Tabs.Panel>
          </Tabs>
        )}
      </AppShell.Main>
      <JobBar onShowAll={() => setView('jobs')} />
      <DocumentView />
      <ImportWizard />
      <ImportReport />
    </AppShell>
  );
}
