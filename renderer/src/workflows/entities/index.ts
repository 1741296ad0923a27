// The Entities workflow: annotated sentences imported as a corpus, joint entity and relation
// extraction trained by table filling, its sentences and tables viewed, and extraction over a corpus.
import { defineWorkflow } from '../types';
import { EntitiesPage, type EntitiesScreen } from './EntitiesPage';
import { strings } from './i18n';

export const entitiesWorkflow = defineWorkflow<EntitiesScreen>({
  id: 'entities',
  label: 'nav.entities',
  group: 'research',
  needs: { project: true },
  page: {
    Component: EntitiesPage,
    initialState: { kind: 'home', tab: 'data' },
    reselect: (s) => (s.kind === 'home' ? s : { kind: 'home', tab: s.kind === 'extractRun' ? 'extract' : s.kind === 'new' || s.kind === 'run' ? 'train' : 'data' }),
  },
  strings: [strings],
});
