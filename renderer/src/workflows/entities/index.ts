// The Entities workflow: annotated sentences imported as a corpus, joint entity and relation
// extraction trained by table filling, its sentences and tables viewed, and extraction over a corpus.
import { defineWorkflow } from '../types';
import { EntitiesPage, type EntitiesScreen, type EntitiesTab } from './EntitiesPage';
import { strings } from './i18n';

/** The tab a page belongs to: its navigation entry chosen again goes back to that tab's list. */
function tabOf(s: EntitiesScreen): EntitiesTab {
  if (s.kind === 'home') return s.tab;
  if (s.kind === 'sentence') return s.from.kind === 'run' ? 'train' : 'extract';
  if (s.kind === 'sweepRun') return 'sweep';
  return s.kind === 'extractRun' ? 'extract' : 'train';
}

export const entitiesWorkflow = defineWorkflow<EntitiesScreen>({
  id: 'entities',
  label: 'nav.entities',
  group: 'research',
  needs: { project: true },
  page: {
    Component: EntitiesPage,
    initialState: { kind: 'home', tab: 'data' },
    reselect: (s) => (s.kind === 'home' ? s : { kind: 'home', tab: tabOf(s) }),
  },
  strings: [strings],
});
