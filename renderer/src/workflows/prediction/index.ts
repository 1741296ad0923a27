// The Apply-a-classifier workflow: prediction runs of a fine-tuned classifier (or a model folder
// with a classification head) over a corpus, compared with its gold labels, exported as CSV; the
// corpus's document table shows a run's predictions (PredictionControls).
import { defineWorkflow } from '../types';
import { PredictionPage, type PredictionScreen } from './PredictionPage';
import { strings } from './i18n';

export const predictionWorkflow = defineWorkflow<PredictionScreen>({
  id: 'prediction',
  label: 'nav.prediction',
  group: 'research',
  needs: { project: true, corpus: true },
  page: {
    Component: PredictionPage,
    initialState: { kind: 'runs' },
    reselect: (s) => (s.kind === 'run' ? { kind: 'runs' } : s),
  },
  strings: [strings],
});
