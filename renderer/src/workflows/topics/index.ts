// The Maps & topics workflow: clusterings of an embedding run labelled two ways, 2-D maps, and the
// linked views of a clustering (topic list, map, selection).
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { TopicsPage, type TopicsScreen } from './TopicsPage';

export const topicsWorkflow = defineWorkflow<TopicsScreen>({
  // 'maps', the id the planned entry had: its navigation entry and string (nav.maps, the frame's) stay.
  id: 'maps',
  label: 'nav.maps',
  group: 'research',
  needs: { project: true, corpus: true },
  page: {
    Component: TopicsPage,
    initialState: { kind: 'runs' },
    reselect: (s) => (s.kind === 'run' ? { kind: 'runs' } : s),
  },
  strings: [strings],
});
