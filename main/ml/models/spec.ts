// What an architecture declares: how to read its config.json and which checkpoint tensor
// feeds each parameter of the shared encoder (encoder.ts) and heads (heads.ts).
import type { EncoderConfig } from './config';

/** Parameter groups: the backbone is required; heads are loaded when their tensors are present. */
/** nsp: BERT's next-sentence-prediction head (BertForPreTraining's cls.seq_relationship), for pretraining. */
export type ParamGroup = 'encoder' | 'pooler' | 'mlm' | 'classifier' | 'nsp';

export interface ParamSpec {
  /** Our name, e.g. "layer.3.query.weight" or "mlm.decoder.weight". */
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

export interface Architecture {
  modelType: EncoderConfig['modelType'];
  /** transformers' class names for the report. */
  displayName: string;
  parseConfig(raw: Record<string, unknown>): EncoderConfig;
  /** Prefixes the backbone may carry in a checkpoint, tried in order ("bert." for BertFor…, "" for BertModel). */
  prefixes: string[];
  params(config: EncoderConfig): ParamSpec[];
  classifier: ClassifierStyle;
  /** Checkpoint tensors we know and deliberately do not use (buffers, pretraining heads), with why. */
  ignored: { pattern: RegExp; reason: string }[];
}

/** Weight + bias of a Linear layer with torch's [out, in] weight. */
export function linear(key: string, name: string, inDim: number, outDim: number, group: ParamGroup): ParamSpec[] {
  return [
    { key: `${key}.weight`, names: [`${name}.weight`], shape: [outDim, inDim], group, linear: true },
    { key: `${key}.bias`, names: [`${name}.bias`], shape: [outDim], group },
  ];
}

/** LayerNorm weight + bias; checkpoints converted from TensorFlow call them gamma/beta. */
export function layerNorm(key: string, name: string, dim: number, group: ParamGroup): ParamSpec[] {
  return [
    { key: `${key}.weight`, names: [`${name}.weight`, `${name}.gamma`], shape: [dim], group },
    { key: `${key}.bias`, names: [`${name}.bias`, `${name}.beta`], shape: [dim], group },
  ];
}
