// Every workflow's commands, in the order `shirabe --help` lists them. A new workflow's CLI is its
// own file in this folder (named as its section of common/contract) and one entry here.
import type { RegisterCommands } from '../shared';
import { appCommands } from './app';
import { attributionCommands } from './attribution';
import { corpusCommands } from './corpus';
import { embeddingsCommands } from './embeddings';
import { entitiesCommands } from './entities';
import { hubCommands } from './hub';
import { jobsCommands } from './jobs';
import { modelsCommands } from './models';
import { predictionCommands } from './prediction';
import { pretrainingCommands } from './pretraining';
import { projectCommands } from './project';
import { topicsCommands } from './topics';
import { trainingCommands } from './training';

export const commands: readonly RegisterCommands[] = [
  projectCommands,
  corpusCommands,
  modelsCommands,
  hubCommands,
  embeddingsCommands,
  jobsCommands,
  trainingCommands,
  pretrainingCommands,
  topicsCommands,
  attributionCommands,
  predictionCommands,
  entitiesCommands,
  appCommands,
];
