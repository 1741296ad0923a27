// Every task the compute worker runs, by name: adding a task is its file and one line here.
// The names, inputs, events and outputs of ComputeClient.run come from this list (registry.ts).
export { embed } from './embed';
export { train } from './train';
export { exportModel as export } from './export';
export { pretrain } from './pretrain';
export { mlmLoss } from './mlmLoss';
export { vocab } from './vocab';
