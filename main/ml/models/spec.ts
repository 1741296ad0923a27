// What an architecture declares: its family, how to read its config.json, which checkpoint
// tensor feeds each parameter of its backbone (encoder.ts), and a head per task it supports
// (heads/), each with the parameters it adds. The parameter list is the one source of truth:
// loading, initialising new heads, export and the parameter/memory estimates (estimate.ts) all
// read it.
import type { EncoderConfig, ModelType } from './config';
import type { Family, TaskOf } from './family';
import type { Head } from './heads/head';
import { biasKey, weightKey } from './keys';

/** Parameter groups: the backbone is required; heads are loaded when their tensors are present. */
/** nsp: BERT's next-sentence-prediction head (BertForPreTraining's cls.seq_relationship), for pretraining. */
export type ParamGroup = 'encoder' | 'pooler' | 'mlm' | 'classifier' | 'nsp';

export interface ParamSpec {
  /** Our name, e.g. "layer.3.query.weight" or "mlm.decoder.weight" (keys.ts builds them). */
  key: string;
  /** Checkpoint names without the model prefix, the first found wins. */
  names: string[];
  shape: number[];
  group: ParamGroup;
  /** A torch Linear weight ([out, in]); stored transposed ([in, out]) so x·W needs no transpose. */
  linear?: boolean;
  /** May be absent within its group (the MLM decoder weight is tied to the word embeddings). */
  optional?: boolean;
}

/** The classification head's shape: BERT (pooler → classifier), RoBERTa (dense·tanh → out_proj), DistilBERT (pre_classifier·relu → classifier). */
export type ClassifierStyle = 'pooler' | 'roberta' | 'distilbert';

/** One task's head on one architecture: the module that computes it and the parameters it adds to the backbone's. */
export interface TaskHead<C> {
  head: Head<C>;
  /** The head's own parameters (never group 'encoder'), with this architecture's checkpoint names. */
  params(config: C): ParamSpec[];
}

export interface ArchitectureOf<F extends Family, C> {
  family: F;
  modelType: string;
  /** transformers' class names for the report. */
  displayName: string;
  parseConfig(raw: Record<string, unknown>): C;
  /** Prefixes the backbone may carry in a checkpoint, tried in order ("bert." for BertFor…, "" for BertModel). */
  prefixes: string[];
  /** The …Model's own parameters: the backbone (group 'encoder') and, for BERT-style models, the pooler (group 'pooler', loaded when present). */
  backbone(config: C): ParamSpec[];
  heads: { [T in TaskOf<F>]?: TaskHead<C> };
  /**
   * The tasks whose head tensors a checkpoint is matched against, in this order (token
   * classification is not among them: its tensors share the sequence classifier's names).
   */
  loads: readonly TaskOf<F>[];
  /** The backbone's parameters, then those of the heads in `loads` (each key once). */
  params(config: C): ParamSpec[];
  /** Checkpoint tensors we know and deliberately do not use (buffers, pretraining heads), with why. */
  ignored: { pattern: RegExp; reason: string }[];
}

export interface EncoderArchitecture extends ArchitectureOf<'encoder-only', EncoderConfig> {
  modelType: ModelType;
}

/** Every architecture registered today is an encoder; a decoder family adds its own ArchitectureOf<'decoder-only', …>. */
export type Architecture = EncoderArchitecture;

/** The parameters of the backbone and of the given tasks' heads, in that order, each key once. */
export function paramsFor<F extends Family, C>(arch: Pick<ArchitectureOf<F, C>, 'backbone' | 'heads'>, config: C, tasks: readonly TaskOf<F>[]): ParamSpec[] {
  const out = arch.backbone(config);
  const seen = new Set(out.map((s) => s.key));
  for (const task of tasks) {
    const head = (arch.heads as Partial<Record<TaskOf<F>, TaskHead<C>>>)[task];
    if (!head) throw new Error(`no ${task} head is declared`);
    for (const s of head.params(config)) {
      if (seen.has(s.key)) continue;
      seen.add(s.key);
      out.push(s);
    }
  }
  return out;
}

/** An encoder architecture from its parts, with params() derived from the backbone and the loaded heads. */
export function encoderArchitecture(def: Omit<EncoderArchitecture, 'family' | 'params'>): EncoderArchitecture {
  return { ...def, family: 'encoder-only', params: (config) => paramsFor(def, config, def.loads) };
}

/** The head of `task` on `arch`, or null when the architecture declares none. */
export function taskHead<F extends Family, C>(arch: ArchitectureOf<F, C>, task: TaskOf<F>): TaskHead<C> | null {
  return (arch.heads as Partial<Record<TaskOf<F>, TaskHead<C>>>)[task] ?? null;
}

/** Weight + bias of a Linear layer with torch's [out, in] weight. */
export function linear(key: string, name: string, inDim: number, outDim: number, group: ParamGroup): ParamSpec[] {
  return [
    { key: weightKey(key), names: [`${name}.weight`], shape: [outDim, inDim], group, linear: true },
    { key: biasKey(key), names: [`${name}.bias`], shape: [outDim], group },
  ];
}

/** LayerNorm weight + bias; checkpoints converted from TensorFlow call them gamma/beta. */
export function layerNorm(key: string, name: string, dim: number, group: ParamGroup): ParamSpec[] {
  return [
    { key: weightKey(key), names: [`${name}.weight`, `${name}.gamma`], shape: [dim], group },
    { key: biasKey(key), names: [`${name}.bias`, `${name}.beta`], shape: [dim], group },
  ];
}
