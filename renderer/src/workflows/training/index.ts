// The Training workflow: fine-tuning classifiers, their runs and results.
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { TrainingPage, type TrainingScreen } from './TrainingPage';

export const trainingWorkflow = defineWorkflow<TrainingScreen>({
  id: 'training',
  label: 'nav.training',
  group: 'research',
  needs: { project: true },
  page: {
    Component: TrainingPage,
    initialState: { kind: 'runs' },
    reselect: (s) => (s.kind === 'run' ? { kind: 'runs' } : s),
  },
  strings: [strings],
});
