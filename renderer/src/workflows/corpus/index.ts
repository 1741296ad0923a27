// The Corpus workflow: import, browse, search, KWIC, statistics, and the corpus's embeddings (the
// embeddings workflow's tab in this view, so its strings come along).
import { strings as embeddingsStrings } from '../embeddings/i18n';
import { defineWorkflow } from '../types';
import { CorpusOverlays, CorpusPage, focusTab, initialCorpusScreen } from './CorpusPage';
import { strings } from './i18n';

export const corpusWorkflow = defineWorkflow({
  id: 'corpus',
  label: 'nav.corpus',
  group: 'research',
  needs: { project: true },
  page: { Component: CorpusPage, initialState: initialCorpusScreen, fill: true },
  shortcuts: [
    { key: 'f', run: (s) => focusTab(s, 'documents') },
    { key: 'k', run: (s) => focusTab(s, 'kwic') },
    {
      key: 'i',
      run: (_s, app) => {
        app.setImportOpen(true);
        return null;
      },
    },
  ],
  Overlays: CorpusOverlays,
  strings: [strings, embeddingsStrings],
});
