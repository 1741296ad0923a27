// The Entities view: four tabs (the annotated data, the training runs, the layer sweeps, the
// extraction runs), the training wizard, a training run's page, a sweep's page, an extraction run's
// page and the sentence viewer. Which
// is shown is the workflow's state, kept by the app, so leaving the view and coming back keeps it.
import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WorkflowPageProps } from '../types';
import { EntitiesData } from './EntitiesData';
import { EntityRunPage } from './EntityRunPage';
import { EntityRunsList } from './EntityRunsList';
import { EntityWizard, type EntityDraft } from './EntityWizard';
import { ExtractionRunPage, ExtractionTab } from './Extraction';
import { LayerSweepRunPage, LayerSweepTab } from './LayerSweep';
import { SentencePage } from './SentenceViewer';

export type EntitiesTab = 'data' | 'train' | 'sweep' | 'extract';

/** Where the viewer goes back to. */
export type ViewerOrigin = { kind: 'run'; runId: number } | { kind: 'extractRun'; runId: number };

export type EntitiesScreen =
  | { kind: 'home'; tab: EntitiesTab }
  | { kind: 'new'; draft: EntityDraft | null }
  | { kind: 'run'; runId: number }
  | { kind: 'extractRun'; runId: number }
  | { kind: 'sweepRun'; runId: number }
  | { kind: 'sentence'; documentId: number; runId: number; tableRunId: number | null; from: ViewerOrigin };

export function EntitiesPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<EntitiesScreen>) {
  const { t } = useTranslation();
  if (screen.kind === 'new') {
    return (
      <EntityWizard
        draft={screen.draft}
        onDraft={(draft) => onScreen({ kind: 'new', draft })}
        onCancel={() => onScreen({ kind: 'home', tab: 'train' })}
        onStarted={(runId) => onScreen({ kind: 'run', runId })}
        onGoToModels={() => go('models')}
      />
    );
  }
  if (screen.kind === 'run') {
    return (
      <EntityRunPage
        key={screen.runId}
        runId={screen.runId}
        onBack={() => onScreen({ kind: 'home', tab: 'train' })}
        onOpenRun={(runId) => onScreen({ kind: 'run', runId })}
        onOpenSentence={(documentId) => onScreen({ kind: 'sentence', documentId, runId: screen.runId, tableRunId: screen.runId, from: { kind: 'run', runId: screen.runId } })}
      />
    );
  }
  if (screen.kind === 'extractRun') {
    return (
      <ExtractionRunPage
        key={screen.runId}
        runId={screen.runId}
        onBack={() => onScreen({ kind: 'home', tab: 'extract' })}
        onOpenRun={(runId) => onScreen({ kind: 'extractRun', runId })}
        onOpenSentence={(documentId, sourceRunId) =>
          onScreen({ kind: 'sentence', documentId, runId: screen.runId, tableRunId: sourceRunId, from: { kind: 'extractRun', runId: screen.runId } })
        }
      />
    );
  }
  if (screen.kind === 'sweepRun') {
    return (
      <LayerSweepRunPage
        key={screen.runId}
        runId={screen.runId}
        onBack={() => onScreen({ kind: 'home', tab: 'sweep' })}
        onOpenRun={(runId) => onScreen({ kind: 'sweepRun', runId })}
        onOpenPoint={(runId) => onScreen({ kind: 'run', runId })}
      />
    );
  }
  if (screen.kind === 'sentence') {
    return (
      <SentencePage
        key={`${screen.runId}-${screen.documentId}`}
        documentId={screen.documentId}
        runId={screen.runId}
        tableRunId={screen.tableRunId}
        backLabel={t(screen.from.kind === 'run' ? 'entities.viewer.backToRun' : 'entities.viewer.backToExtraction')}
        onBack={() => onScreen(screen.from)}
      />
    );
  }
  return (
    <Stack gap="md" pb="md" data-testid="entities-view">
      <div>
        <Title order={3}>{t('entities.title')}</Title>
        <Text size="sm" c="dimmed" maw={760}>
          {t('entities.intro')}
        </Text>
      </div>
      <Tabs value={screen.tab} onChange={(v) => v && onScreen({ kind: 'home', tab: v as EntitiesTab })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="data" data-testid="entities-tab-data">
            {t('entities.tabs.data')}
          </Tabs.Tab>
          <Tabs.Tab value="train" data-testid="entities-tab-train">
            {t('entities.tabs.train')}
          </Tabs.Tab>
          <Tabs.Tab value="sweep" data-testid="entities-tab-sweep">
            {t('entities.tabs.sweep')}
          </Tabs.Tab>
          <Tabs.Tab value="extract" data-testid="entities-tab-extract">
            {t('entities.tabs.extract')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="data" pt="md">
          <EntitiesData />
        </Tabs.Panel>
        <Tabs.Panel value="train" pt="md">
          <EntityRunsList onNew={() => onScreen({ kind: 'new', draft: null })} onOpen={(runId) => onScreen({ kind: 'run', runId })} />
        </Tabs.Panel>
        <Tabs.Panel value="sweep" pt="md">
          <LayerSweepTab onOpen={(runId) => onScreen({ kind: 'sweepRun', runId })} onGoToModels={() => go('models')} />
        </Tabs.Panel>
        <Tabs.Panel value="extract" pt="md">
          <ExtractionTab onOpen={(runId) => onScreen({ kind: 'extractRun', runId })} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
