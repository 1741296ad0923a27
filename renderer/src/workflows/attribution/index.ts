// The Attribution workflow: Integrated Gradients runs over a corpus's documents and each document's
// token heatmap (by tokens, words or MeCab morphemes).
import { defineWorkflow } from '../types';
import { AttributionPage, type AttributionScreen } from './AttributionPage';
import { strings } from './i18n';

export const attributionWorkflow = defineWorkflow<AttributionScreen>({
  // 'attribution', the id the planned entry had: its navigation entry and string (nav.attribution, the frame's) stay.
  id: 'attribution',
  label: 'nav.attribution',
  group: 'research',
  needs: { project: true, corpus: true },
  page: {
    Component: AttributionPage,
    initialState: { kind: 'runs' },
    reselect: (s) => (s.kind === 'run' ? { kind: 'runs' } : s),
  },
  strings: [strings],
});
