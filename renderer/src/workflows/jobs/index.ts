// The Jobs view: this session's jobs and the project's job history.
import { defineWorkflow } from '../types';
import { strings } from './i18n';
import { JobsView } from './JobsView';

export const jobsWorkflow = defineWorkflow({
  id: 'jobs',
  label: 'nav.jobs',
  group: 'tools',
  needs: { project: true },
  page: { Component: JobsView, initialState: null },
  strings: [strings],
});
