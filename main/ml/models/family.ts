// Model families and the tasks their heads serve. An architecture belongs to one family and
// declares a head per task it supports; the registry (registry.ts) finds both by name.
// Encoder-only models read the whole sequence at once (BERT and its descendants); decoder-only
// models read left to right under a causal mask (Llama), and their natural head is causal LM.

export const families = ['encoder-only', 'decoder-only'] as const;
export type Family = (typeof families)[number];

export const tasks = ['sequence-classification', 'masked-lm', 'next-sentence', 'token-classification', 'causal-lm'] as const;
export type Task = (typeof tasks)[number];

/** The tasks a family's architectures can declare heads for (transformers' …For<Task> classes). */
export const familyTasks = {
  'encoder-only': ['sequence-classification', 'masked-lm', 'next-sentence', 'token-classification'],
  'decoder-only': ['causal-lm', 'sequence-classification', 'token-classification'],
} as const satisfies Record<Family, readonly Task[]>;

export type TaskOf<F extends Family> = (typeof familyTasks)[F][number];
export type EncoderTask = TaskOf<'encoder-only'>;
export type DecoderTask = TaskOf<'decoder-only'>;

export function isTaskOf<F extends Family>(family: F, task: string): task is TaskOf<F> {
  return (familyTasks[family] as readonly string[]).includes(task);
}
