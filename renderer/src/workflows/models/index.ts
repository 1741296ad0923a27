// The Models workflow: the model folders of this machine, checked, with their tokenizer to try, and
// the models an opened project's runs recorded that are missing here.
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { MissingModelsOnOpen } from './MissingModels';
import { ModelsPage } from './ModelsPage';

export const modelsWorkflow = defineWorkflow({
  id: 'models',
  label: 'nav.models',
  group: 'research',
  needs: { project: true },
  page: { Component: ModelsPage, initialState: null },
  // A project whose runs' models are missing here offers them as soon as it opens.
  Overlays: MissingModelsOnOpen,
  strings: [strings],
});
