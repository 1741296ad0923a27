// The Compute view: which backend the compute worker runs on, and why the others were passed over.
import { defineWorkflow } from '../types';
import { ComputePage } from './ComputePage';
import { strings } from './i18n';

export const computeWorkflow = defineWorkflow({
  id: 'compute',
  label: 'nav.compute',
  group: 'tools',
  needs: { project: true },
  page: { Component: ComputePage, initialState: null },
  strings: [strings],
});
