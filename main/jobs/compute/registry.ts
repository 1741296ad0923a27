// The types of the task list (tasks/index.ts), derived from it: a new task's name, input, events
// and output reach the protocol and ComputeClient.run without being written down again.
import type * as tasks from './tasks/index';
import type { TaskDefinition } from './task';

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<K extends TaskName> = Tasks[K] extends TaskDefinition<infer I, infer _E, infer _O> ? I : never;
export type TaskEvent<K extends TaskName> = Tasks[K] extends TaskDefinition<infer _I, infer E, infer _O> ? E : never;
export type TaskOutput<K extends TaskName> = Tasks[K] extends TaskDefinition<infer _I, infer _E, infer O> ? O : never;
