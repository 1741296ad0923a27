// Parameter counts and a training-memory estimate, read off the parameter list each
// architecture declares (spec.ts) rather than written out per architecture: a new architecture
// or head is counted the moment it declares its parameters, and the count is what loading,
// training and export use.
import type { LoraTargetName, TrainMethod } from '../../../common/contract';
import type { EncoderConfig } from './config';
import type { EncoderTask } from './family';
import { layerLinearKey, weightKey } from './keys';
import { activationFloats, trainingBytes, type MemoryWork } from './memory';
import { architectureFor } from './registry';
import { paramsFor, taskHead, type Architecture, type ParamGroup, type ParamSpec } from './spec';

export interface EstimateOptions {
  /** Outputs of a new classification head (default: the config's numLabels). */
  numLabels?: number;
  /** Full fine-tuning (default) trains the backbone and the head; LoRA the adapters and the head. */
  method?: TrainMethod;
  lora?: { rank: number; targets: readonly LoraTargetName[] };
  /** Head groups present in the checkpoint (a CheckReport's or ModelInfo's heads), for `checkpoint`. */
  loaded?: Partial<Record<Exclude<ParamGroup, 'encoder'>, boolean>>;
  /** Sequences per step and their length, for the activations kept for the backward pass. */
  batch?: { batchSize: number; maxLength: number };
  /** What the step runs, for its activations (default: masked LM when it is among the tasks, else LoRA or full fine-tuning by `method`). */
  work?: Exclude<MemoryWork, 'embed'>;
}

export interface Estimate {
  /** The backbone alone (group 'encoder': embeddings and layers, no pooler). */
  backbone: number;
  /** The heads of the tasks, pooler included where they read it. */
  headParameters: number;
  /** What the model holds while training: backbone, heads, and a loaded pooler the heads do not read. */
  parameters: number;
  /** The checkpoint's parameters: backbone and the head groups in `loaded` (as a CheckReport's parameterCount). */
  checkpoint: number;
  /** LoRA adapters (0 for full fine-tuning). */
  adapters: number;
  /** What the optimizer updates. */
  trainable: number;
  /** Peak bytes of a training step: float32 weights, and the larger of the backward pass (AdamW's moments, the gradients, the activations of one step when `batch` is given) and the optimizer's update (common/memory.ts). */
  memoryBytes: number;
  /** The activations' part of memoryBytes (0 without `batch`). */
  activationBytes: number;
}

const size = (s: ParamSpec) => s.shape.reduce((a, b) => a * b, 1);
const sum = (specs: readonly ParamSpec[]) => specs.reduce((n, s) => n + size(s), 0);

/** The specs a model holds: an optional spec (the masked-LM decoder) only when the config unties it from the word embeddings. */
function held(specs: readonly ParamSpec[], config: EncoderConfig): ParamSpec[] {
  const tied = config.raw.tie_word_embeddings !== false;
  return specs.filter((s) => !s.optional || !tied);
}

/** Parameters of LoRA adapters on `targets` in every layer: rank·(in + out) per adapted Linear, shapes from the spec list. */
export function loraParameterCount(arch: Architecture, config: EncoderConfig, lora: { rank: number; targets: readonly LoraTargetName[] }): number {
  const byKey = new Map(arch.backbone(config).map((s) => [s.key, s]));
  let n = 0;
  for (let i = 0; i < config.numLayers; i++) {
    for (const t of lora.targets) {
      const spec = byKey.get(weightKey(layerLinearKey(i, t)));
      if (!spec?.linear) throw new Error(`${arch.displayName} has no Linear ${layerLinearKey(i, t)} to adapt`);
      const [out, inDim] = spec.shape; // torch's [out, in]
      n += lora.rank * (inDim + out);
    }
  }
  return n;
}

/**
 * Counts for training (or running) `config`'s architecture on one task or several (masked LM
 * and next-sentence prediction together in pretraining), from the shapes its parameter list declares.
 */
export function estimate(config: EncoderConfig, tasks: EncoderTask | readonly EncoderTask[], options: EstimateOptions = {}): Estimate {
  const arch = architectureFor(config.modelType);
  const list = typeof tasks === 'string' ? [tasks] : tasks;
  const c = options.numLabels === undefined ? config : { ...config, numLabels: options.numLabels };
  const backboneSpecs = arch.backbone(c);
  const encoder = backboneSpecs.filter((s) => s.group === 'encoder');
  // The groups the tasks' heads read (BERT's classifier and NSP read the pooler, which the backbone declares).
  const groups = new Set<ParamGroup>();
  for (const task of list) {
    const head = taskHead(arch, task);
    if (!head) throw new Error(`${arch.displayName} has no ${task} head`);
    for (const g of head.head.groups) groups.add(g);
  }
  const all = held(paramsFor(arch, c, list), c);
  const heads = all.filter((s) => s.group !== 'encoder' && groups.has(s.group));
  const loaded = options.loaded ?? {};
  const idlePooler = !groups.has('pooler') && loaded.pooler ? sum(backboneSpecs.filter((s) => s.group === 'pooler')) : 0;
  const inCheckpoint = held(arch.params(config), config).filter((s) => s.group === 'encoder' || loaded[s.group]);
  const adapters = options.method === 'lora' ? loraParameterCount(arch, c, options.lora ?? { rank: 0, targets: [] }) : 0;
  const work = options.work ?? (list.includes('masked-lm') ? 'masked-lm' : options.method === 'lora' ? 'lora' : 'fine-tune');
  // SimCSE trains the backbone and its own MLP over [CLS] (H×H + H), holding the tasks' heads untrained.
  const simcseMlp = work === 'simcse' ? c.hiddenSize * (c.hiddenSize + 1) : 0;
  // LoRA freezes the whole …Model (its pooler too) and trains the task's own head (PEFT's modules_to_save).
  const trainable = work === 'simcse' ? sum(encoder) + simcseMlp : options.method === 'lora' ? adapters + sum(heads.filter((s) => s.group !== 'pooler')) : sum(encoder) + sum(heads);
  const parameters = sum(encoder) + sum(heads) + idlePooler + adapters + simcseMlp;
  // Measured, not guessed: tfjs keeps every intermediate of the step (memory.ts has the fit and its residuals).
  const activations = options.batch ? activationFloats(c, work, options.batch) : 0;
  return {
    backbone: sum(encoder),
    headParameters: sum(heads),
    parameters,
    checkpoint: sum(inCheckpoint),
    adapters,
    trainable,
    memoryBytes: trainingBytes(parameters, trainable, activations),
    activationBytes: 4 * activations,
  };
}
