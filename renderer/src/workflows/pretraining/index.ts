// The Pretraining workflow: domain pretraining runs and the masked-LM loss comparison of models.
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { PretrainingPage, type PretrainingScreen } from './PretrainingPage';

export const pretrainingWorkflow = defineWorkflow<PretrainingScreen>({
  id: 'pretraining',
  label: 'nav.pretraining',
  group: 'research',
  needs: { project: true },
  page: {
    Component: PretrainingPage,
    initialState: { kind: 'runs', tab: 'runs' },
    reselect: (s) => (s.kind === 'run' ? { kind: 'runs', tab: 'runs' } : s),
  },
  strings: [strings],
});
