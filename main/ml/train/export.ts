// A fine-tuned classifier as the folders Hugging Face tools load: a merged model that
// transformers' AutoModelForSequenceClassification.from_pretrained reads on its own, and a
// LoRA adapter that PEFT's PeftModel.from_pretrained puts on the base model (both checked with
// transformers 5.17 and PEFT 0.21 by scripts/fixtures/check_export.py). Pure: the files come
// back as a Map of name -> bytes or text, and the caller writes them (with the base model's
// tokenizer files, `tokenizerFiles`).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainTask } from '../../../common/contract';
import type { ModelType } from '../models/config';
import type { EncoderModel, LoraLayer } from '../models/encoder';
import { isLoraKey, parsePeftLoraKey, weightKey } from '../models/keys';
import type { ParamSpec } from '../models/spec';
import { encodeSafetensors, type WritableTensor } from '../weights/safetensorsWrite';
import { trainableVariables } from './fineTune';
import { transposed } from '../read';
import { loraParams, loraTargets, mergedLoraValues, type LoraOptions } from './lora';

/** File name -> contents (UTF-8 text for JSON and Markdown). */
export type ExportFiles = Map<string, Uint8Array | string>;

/**
 * The files a Hugging Face tokenizer may be made of; an export copies those the base model's
 * folder has. tokenizer.json (fast tokenizers), tokenizer_config.json (class, casing, special
 * tokens, BertJapaneseTokenizer's word tokenizer), special_tokens_map.json, added_tokens.json,
 * vocab.txt (WordPiece: BERT, DistilBERT, Japanese BERT), vocab.json + merges.txt (byte-level
 * BPE: RoBERTa), sentencepiece.bpe.model (XLM-R), spiece.model (ALBERT, T5, Japanese BERT with
 * SentencePiece subwords), spm.model (DeBERTa-v2/v3).
 */
export const tokenizerFiles = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.txt',
  'vocab.json',
  'merges.txt',
  'sentencepiece.bpe.model',
  'spiece.model',
  'spm.model',
] as const;

/** transformers' sequence-classification class per model_type (config.json's `architectures`). */
export const sequenceClassifierClass: Record<ModelType, string> = {
  bert: 'BertForSequenceClassification',
  roberta: 'RobertaForSequenceClassification',
  'xlm-roberta': 'XLMRobertaForSequenceClassification',
  distilbert: 'DistilBertForSequenceClassification',
};

/** safetensors metadata transformers and PEFT write (transformers refuses a file whose format is not pt/tf/flax/mlx). */
export const ptFormat = { format: 'pt' };

/** JSON as transformers and PEFT write config files (json.dumps(indent=2, sort_keys=True) + newline), non-ASCII kept as UTF-8. */
export function configJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  return `${JSON.stringify(sorted(value), null, 2)}\n`;
}

/** A spec's tensor name in a …ForSequenceClassification checkpoint: the backbone under its first prefix ("bert."), '!' names as they are. */
export function hfName(model: EncoderModel, spec: ParamSpec): string {
  const n = spec.names[0];
  return n.startsWith('!') ? n.slice(1) : model.arch.prefixes[0] + n;
}

/** The module a tensor belongs to ("bert.encoder.layer.0.attention.self.query.weight" -> "…query"). */
const moduleOf = (name: string) => name.slice(0, name.lastIndexOf('.'));

/** The parameters of transformers' …ForSequenceClassification: backbone, BERT's pooler (RoBERTa's head skips it), the head; never the masked-LM head. */
function classifierSpecs(model: EncoderModel): ParamSpec[] {
  if (!model.heads.classifier) throw new Error('the model has no classification head to export');
  const pooler = model.classifierStyle === 'pooler';
  if (pooler && !model.heads.pooler) throw new Error(`${sequenceClassifierClass[model.config.modelType]} reads the pooler, which the model lacks`);
  return model.arch.params(model.config).filter((s) => s.group === 'encoder' || s.group === 'classifier' || (pooler && s.group === 'pooler'));
}

function checkLabels(model: EncoderModel, labels: readonly string[]): void {
  if (labels.length !== model.config.numLabels) throw new Error(`${labels.length} labels for a classifier with ${model.config.numLabels} outputs`);
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new Error(`label ${JSON.stringify(l)} is given twice (label2id needs distinct labels)`);
    seen.add(l);
  }
}

/**
 * config.json: the base config as it came (unknown keys too, so tokenizer_class and the like
 * survive), with the classifier's architecture, labels and problem type. num_labels is dropped:
 * transformers derives it from id2label, and a stale one would contradict it. dtype is float32
 * because the weights are written in float32 (a base saved in bfloat16 says otherwise, and
 * transformers would load the export in that dtype).
 */
export function classifierConfig(model: EncoderModel, labels: readonly string[], task: TrainTask): Record<string, unknown> {
  checkLabels(model, labels);
  const raw: Record<string, unknown> = { ...model.config.raw };
  delete raw.num_labels;
  raw.architectures = [sequenceClassifierClass[model.config.modelType]];
  raw.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
  raw.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  raw.problem_type = task === 'single-label' ? 'single_label_classification' : 'multi_label_classification';
  raw.dtype = 'float32';
  if ('torch_dtype' in raw) raw.torch_dtype = 'float32';
  return raw;
}

/** W + (α/r)·A·B in our [in, out] layout (mergedLoraValues), returned in torch's [out, in]. */
function mergedWeight(w: tf.Variable, adapter: LoraLayer, scale: number): WritableTensor {
  const [rows, cols] = w.shape as [number, number];
  return { shape: [cols, rows], data: transposed(mergedLoraValues(w, adapter, scale), rows, cols) }; // [in, out] -> [out, in]
}

/**
 * Every tensor of the …ForSequenceClassification model under transformers' names, in torch's
 * layout, LoRA adapters (if attached) folded into their Linear weights. The model is left as it
 * is (adapters still attached, weights unmerged), so a job can export and go on evaluating.
 */
export function mergedTensors(model: EncoderModel): Map<string, WritableTensor> {
  const params = model.parameters();
  const lora = model.lora;
  const out = new Map<string, WritableTensor>();
  for (const spec of classifierSpecs(model)) {
    const adapter = spec.linear ? lora?.layers.get(spec.key.replace(/\.weight$/, '')) : undefined;
    out.set(hfName(model, spec), adapter ? mergedWeight(params.get(spec.key)!, adapter, lora!.scale) : model.exportParam(spec.key));
  }
  return out;
}

/** A Hugging Face sequence-classification folder: config.json and model.safetensors (float32). */
export function mergedModelFiles(model: EncoderModel, labels: readonly string[], task: TrainTask): ExportFiles {
  const config = classifierConfig(model, labels, task);
  return new Map<string, Uint8Array | string>([
    ['config.json', configJson(config)],
    ['model.safetensors', encodeSafetensors(mergedTensors(model), ptFormat)],
  ]);
}

/** How PEFT picks target modules from a list: a module whose name is, or ends with "." + , an entry. */
export function peftListMatches(targets: readonly string[], module: string): boolean {
  return targets.some((t) => module === t || module.endsWith(`.${t}`));
}

/** How PEFT picks them from a string: re.fullmatch(pattern, name). */
export function peftRegexMatches(pattern: string, module: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(module);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * PEFT's target_modules for the attached adapters: for each target the shortest name suffix
 * ("query", "attention.output.dense", "q_lin") that selects exactly the adapted Linears among all
 * the model's modules. BERT's feed-forward output ("output.dense") also ends the attention
 * output's name, so targeting it without the attention output has no such suffix; then one
 * regular expression over the layer paths, which PEFT full-matches, says it exactly.
 */
export function peftTargetModules(model: EncoderModel, targets: readonly string[]): string[] | string {
  const specs = classifierSpecs(model);
  const specOf = new Map(specs.map((s) => [s.key, s]));
  // Every module of the HF model that holds parameters, and every container above one.
  const modules = new Set<string>();
  for (const s of specs) {
    const parts = moduleOf(hfName(model, s)).split('.');
    for (let i = 1; i <= parts.length; i++) modules.add(parts.slice(0, i).join('.'));
  }
  const adapted = new Set([...(model.lora?.layers.keys() ?? [])].map((k) => moduleOf(hfName(model, specOf.get(`${k}.weight`)!))));
  const exact = (match: (m: string) => boolean) => [...modules].every((m) => match(m) === adapted.has(m));
  // Paths inside one encoder layer: "encoder.layer.0.attention.self.query" -> "attention.self.query".
  const inLayer = targets.map((t) => moduleOf(hfName(model, specOf.get(`layer.0.${t}.weight`)!)).replace(/^.*?\blayer\.0\./, ''));
  const suffixes: string[] = [];
  for (const path of inLayer) {
    const parts = path.split('.');
    const candidates = parts.map((_, i) => parts.slice(parts.length - 1 - i).join('.'));
    const only = (keep: (m: string) => boolean) => candidates.find((c) => [...modules].every((m) => !peftListMatches([c], m) || keep(m)));
    // Its own modules only ("attention.output.dense"), else adapted ones only ("output.dense" when both outputs are targeted).
    const own = new RegExp(`\\.layer\\.\\d+\\.${escapeRegex(path)}$`);
    const pick = only((m) => adapted.has(m) && own.test(m)) ?? only((m) => adapted.has(m));
    if (!pick) break;
    if (!suffixes.includes(pick)) suffixes.push(pick);
  }
  if (exact((m) => peftListMatches(suffixes, m))) return suffixes;
  const pattern = `.*\\.layer\\.\\d+\\.(?:${inLayer.map(escapeRegex).join('|')})`;
  if (!exact((m) => peftRegexMatches(pattern, m))) throw new Error(`no PEFT target_modules select exactly the adapted layers (${targets.join(', ')})`);
  return pattern;
}

export interface AdapterExportOptions {
  /**
   * False when the base checkpoint has no pooler and fine-tuning initialised one (BERT): it is then
   * saved with the head (modules_to_save), since transformers would initialise its own at random.
   */
  basePooler?: boolean;
}

/**
 * A PEFT LoRA adapter folder for sequence classification: adapter_config.json,
 * adapter_model.safetensors (PEFT's names: "base_model.model.<module>.lora_A.weight" [r, in] and
 * "lora_B.weight" [out, r], the trained head as "base_model.model.<module>.<param>"), and a
 * README.md model card with the labels and how to load it. `base` is the base model's hub id
 * or path, as adapter_config.json's base_model_name_or_path.
 */
export function adapterFiles(model: EncoderModel, labels: readonly string[], task: TrainTask, lora: LoraOptions, base: string, options: AdapterExportOptions = {}): ExportFiles {
  const attached = model.lora;
  if (!attached) throw new Error('the model has no LoRA adapters to export');
  const config = classifierConfig(model, labels, task);
  const specOf = new Map(classifierSpecs(model).map((s) => [s.key, s]));
  const [first] = attached.layers.values();
  const rank = first.a.shape[1];
  const wanted = new Set(Array.from({ length: model.config.numLayers }, (_, i) => lora.targets.map((t) => `layer.${i}.${t}`)).flat());
  if (rank !== lora.rank || Math.abs(lora.alpha / lora.rank - attached.scale) > 1e-12 * attached.scale || lora.dropout !== attached.dropout) {
    throw new Error(`the LoRA settings (r ${lora.rank}, alpha ${lora.alpha}, dropout ${lora.dropout}) are not the attached adapters' (r ${rank}, alpha/r ${attached.scale}, dropout ${attached.dropout})`);
  }
  if (wanted.size !== attached.layers.size || ![...attached.layers.keys()].every((k) => wanted.has(k))) throw new Error(`the attached adapters are not on the targets ${lora.targets.join(', ')}`);

  const tensors = new Map<string, WritableTensor>();
  for (const [key, t] of loraParams(model)) {
    const { linear, part } = parsePeftLoraKey(key)!;
    tensors.set(`base_model.model.${moduleOf(hfName(model, specOf.get(weightKey(linear))!))}.lora_${part.toUpperCase()}.weight`, t);
  }
  // The head PEFT trains and saves whole (SEQ_CLS modules_to_save), which is what fine-tuning trains besides the adapters.
  const headKeys = [...trainableVariables(model, 'lora').keys()].filter((k) => !isLoraKey(k));
  if (options.basePooler === false && model.classifierStyle === 'pooler') headKeys.push(...[...specOf.values()].filter((s) => s.group === 'pooler').map((s) => s.key));
  const modulesToSave: string[] = [];
  for (const key of headKeys) {
    const spec = specOf.get(key)!;
    tensors.set(`base_model.model.${hfName(model, spec)}`, model.exportParam(key));
    // The module directly under the model (or its backbone): "classifier", "pre_classifier", "pooler".
    const top = spec.names[0].replace(/^!/, '').split('.')[0];
    if (!modulesToSave.includes(top)) modulesToSave.push(top);
  }
  const ordered = loraTargets.filter((t) => lora.targets.includes(t));
  const adapterConfig = {
    alpha_pattern: {},
    base_model_name_or_path: base,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: lora.alpha,
    lora_dropout: lora.dropout,
    modules_to_save: modulesToSave,
    peft_type: 'LORA',
    r: lora.rank,
    rank_pattern: {},
    revision: null,
    target_modules: peftTargetModules(model, ordered),
    task_type: 'SEQ_CLS',
    use_dora: false,
    use_rslora: false,
  };
  return new Map<string, Uint8Array | string>([
    ['adapter_config.json', configJson(adapterConfig)],
    ['adapter_model.safetensors', encodeSafetensors(tensors, ptFormat)],
    ['README.md', modelCard(config, base)],
  ]);
}

/** The adapter's model card: PEFT's front matter, the labels (the adapter files do not carry them) and the loading code. */
function modelCard(config: Record<string, unknown>, base: string): string {
  const id2label = config.id2label as Record<string, string>;
  const py = (v: unknown) => JSON.stringify(v).replace(/\bnull\b/g, 'None').replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False');
  return [
    '---',
    `base_model: ${JSON.stringify(base)}`,
    'library_name: peft',
    'pipeline_tag: text-classification',
    '---',
    '',
    `# LoRA adapter for ${String((config.architectures as string[])[0])}`,
    '',
    `Fine-tuned with Shirabe (${config.problem_type === 'multi_label_classification' ? 'multi-label, sigmoid per label' : 'single-label, softmax'}).`,
    '',
    '| id | label |',
    '| --- | --- |',
    ...Object.entries(id2label).map(([id, l]) => `| ${id} | ${l.replace(/\|/g, '\\|')} |`),
    '',
    '```python',
    'from peft import PeftModel',
    'from transformers import AutoModelForSequenceClassification, AutoTokenizer',
    '',
    `id2label = {${Object.entries(id2label).map(([k, v]) => `${k}: ${py(v)}`).join(', ')}}`,
    'base = AutoModelForSequenceClassification.from_pretrained(',
    `    ${py(base)}, id2label=id2label, label2id={v: k for k, v in id2label.items()},`,
    `    problem_type=${py(config.problem_type)}, ignore_mismatched_sizes=True)`,
    'model = PeftModel.from_pretrained(base, "path/to/this/folder")',
    `tokenizer = AutoTokenizer.from_pretrained(${py(base)})`,
    '```',
    '',
  ].join('\n');
}
