// Every task the compute worker runs, by name, in a folder per workflow (tasks/<workflow>/):
// adding a task is its file and one line here.
// The names, inputs, events and outputs of ComputeClient.run come from this list (registry.ts).
export { embed } from './embeddings/embed';
export { train } from './training/train';
export { exportModel as export } from './training/export';
export { pretrain } from './pretraining/pretrain';
export { mlmLoss } from './pretraining/mlmLoss';
export { vocab } from './pretraining/vocab';
export { clusterTopics as cluster } from './topics/cluster';
export { projectMap as map } from './topics/map';
export { relabelTopics as relabel } from './topics/relabel';
export { kSweep } from './topics/sweep';
export { attribute } from './attribution/attribute';
export { information } from './attribution/information';
export { predict } from './prediction/predict';
export { entitiesTrain } from './entities/train';
export { entitiesPredict } from './entities/predict';
