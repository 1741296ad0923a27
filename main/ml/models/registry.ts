// Architectures by family and model_type, and their heads by task. Adding an architecture is a
// folder with its spec and a line here; adding a family (decoder-only: Llama) is its own map
// beside `encoders`, built from the same blocks (blocks/) and heads (heads/), without touching
// the encoder.
import { ShirabeError } from '../../../common/errors';
import { bert } from './bert/spec';
import { modelTypes, type EncoderConfig, type ModelType } from './config';
import { distilbert } from './distilbert/spec';
import type { EncoderTask, Family, Task } from './family';
import { roberta, xlmRoberta } from './roberta/spec';
import { taskHead, type Architecture, type EncoderArchitecture, type TaskHead } from './spec';

const encoders: Record<ModelType, EncoderArchitecture> = { bert, roberta, 'xlm-roberta': xlmRoberta, distilbert };

/** Every registered architecture by family (a family with no architecture yet has an empty list). */
export const registry: Record<Family, readonly Architecture[]> = {
  'encoder-only': Object.values(encoders),
  'decoder-only': [],
};

export function architectureFor(modelType: unknown): Architecture {
  if (typeof modelType !== 'string' || !(modelTypes as readonly string[]).includes(modelType)) {
    throw new ShirabeError('modelUnknownArchitecture', { modelType: String(modelType ?? '(none)'), supported: modelTypes.join(', ') });
  }
  return encoders[modelType as ModelType];
}

/** The architectures of a family, or of every family. */
export function architectures(family?: Family): readonly Architecture[] {
  return family ? registry[family] : Object.values(registry).flat();
}

/** Whether the architecture declares a head for the task. */
export function supports(arch: Architecture, task: Task): task is EncoderTask {
  return (arch.heads as Partial<Record<Task, unknown>>)[task] !== undefined;
}

/** The architectures that can serve a task (say, for a wizard listing the models it may use). */
export function architecturesFor(task: Task): Architecture[] {
  return architectures().filter((a) => supports(a, task));
}

/** The head (module and parameters) `arch` declares for `task`; throws when it declares none. */
export function headFor(arch: Architecture, task: Task): TaskHead<EncoderConfig> {
  const head = supports(arch, task) ? taskHead(arch, task) : null;
  if (!head) throw new Error(`${arch.displayName} has no ${task} head (it has ${Object.keys(arch.heads).join(', ')})`);
  return head;
}
