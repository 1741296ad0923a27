// The Models workflow: the model folders of this machine, checked, with their tokenizer to try.
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { ModelsPage } from './ModelsPage';

export const modelsWorkflow = defineWorkflow({
  id: 'models',
  label: 'nav.models',
  group: 'research',
  needs: { project: true },
  page: { Component: ModelsPage, initialState: null },
  strings: [strings],
});
