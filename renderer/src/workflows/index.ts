// The workflows, in the order of the navigation: the one list the app builds its navigation,
// views, shortcuts and strings from. A new workflow is a folder beside these that exports its
// descriptor (see types.ts), and one line here.
import { strings as chartStrings } from '../charts/i18n';
import type { Strings } from '../i18n/strings';
import { strings as runStrings } from '../runs/i18n';
import { strings as shellStrings } from '../shell/i18n';
import { strings as uiStrings } from '../ui/i18n';
import { attributionWorkflow } from './attribution';
import { computeWorkflow } from './compute';
import { corpusWorkflow } from './corpus';
import { entitiesWorkflow } from './entities';
import { jobsWorkflow } from './jobs';
import { modelsWorkflow } from './models';
import { predictionWorkflow } from './prediction';
import { pretrainingWorkflow } from './pretraining';
import { topicsWorkflow } from './topics';
import { trainingWorkflow } from './training';
import type { Workflow } from './types';

export const workflows: readonly Workflow[] = [
  corpusWorkflow,
  modelsWorkflow,
  trainingWorkflow,
  predictionWorkflow,
  pretrainingWorkflow,
  topicsWorkflow,
  attributionWorkflow,
  entitiesWorkflow,
  computeWorkflow,
  jobsWorkflow,
];

/** Every namespace of strings: the frame's, the shared pieces', then each workflow's. */
export const allStrings: readonly Strings[] = [shellStrings, uiStrings, chartStrings, runStrings, ...workflows.flatMap((w) => w.strings)];
