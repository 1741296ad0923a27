// The Corpus view: documents, KWIC, statistics and embeddings of the selected corpus as tabs, with
// the import button. Each tab's search and results are kept while another tab or view is shown.
import { Button, Group, Tabs, Text } from '@mantine/core';
import { useCallback, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../state/AppContext';
import { EmbeddingsTab } from '../embeddings/EmbeddingsTab';
import type { WorkflowPageProps } from '../types';
import { DocumentsTab } from './DocumentsTab';
import { DocumentView } from './DocumentView';
import { ImportReport } from './ImportReport';
import { ImportWizard } from './ImportWizard';
import { KwicDrawer } from './KwicDrawer';
import { KwicTab } from './KwicTab';
import { StatsTab } from './StatsTab';
import { emptyDocumentsState, emptyKwicState, type DocumentsState, type KwicState } from './tabState';

export type CorpusTab = 'documents' | 'kwic' | 'stats' | 'embeddings';

export interface CorpusScreen {
  tab: CorpusTab;
  documents: DocumentsState;
  kwic: KwicState;
  /** A shortcut asked for the search box (or the KWIC word) to take the focus; `n` grows with each ask. */
  focus: { target: 'docSearch' | 'kwicWord'; n: number } | null;
}

export const initialCorpusScreen: CorpusScreen = { tab: 'documents', documents: emptyDocumentsState, kwic: emptyKwicState, focus: null };

/** The screen with a tab shown and its field focused (Ctrl+F, Ctrl+K). */
export function focusTab(screen: CorpusScreen, tab: 'documents' | 'kwic'): CorpusScreen {
  return { ...screen, tab, focus: { target: tab === 'documents' ? 'docSearch' : 'kwicWord', n: (screen.focus?.n ?? 0) + 1 } };
}

/** Applies a state update of one part of the screen. */
function part<K extends 'documents' | 'kwic'>(key: K, update: SetStateAction<CorpusScreen[K]>) {
  return (s: CorpusScreen): CorpusScreen => ({ ...s, [key]: typeof update === 'function' ? update(s[key]) : update });
}

export function CorpusPage({ state, setState, go }: WorkflowPageProps<CorpusScreen>) {
  const { t } = useTranslation();
  const app = useApp();
  const setDocuments = useCallback((u: SetStateAction<DocumentsState>) => setState(part('documents', u)), [setState]);
  const setKwic = useCallback((u: SetStateAction<KwicState>) => setState(part('kwic', u)), [setState]);
  const { focus } = state;
  return (
    <Tabs
      value={state.tab}
      onChange={(v) => v && setState((s) => ({ ...s, tab: v as CorpusTab }))}
      keepMounted={false}
      style={{ flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }}
    >
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
        <DocumentsTab state={state.documents} setState={setDocuments} focus={focus?.target === 'docSearch' ? focus.n : 0} />
      </Tabs.Panel>
      <Tabs.Panel value="kwic" pt="sm" style={{ flex: 1, minHeight: 0 }}>
        <KwicTab state={state.kwic} setState={setKwic} focus={focus?.target === 'kwicWord' ? focus.n : 0} />
      </Tabs.Panel>
      <Tabs.Panel value="stats" pt="sm" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
        <StatsTab />
      </Tabs.Panel>
      <Tabs.Panel value="embeddings" pt="sm" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
        <EmbeddingsTab onGoToModels={() => go('models')} />
      </Tabs.Panel>
    </Tabs>
  );
}

/** The document drawer, the import wizard and its report: they open over any view. */
export function CorpusOverlays() {
  return (
    <>
      <KwicDrawer />
      <DocumentView />
      <ImportWizard />
      <ImportReport />
    </>
  );
}
