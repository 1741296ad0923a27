// Fine-tuned classifiers to export, one per architecture and export path, built deterministically
// from the tiny transformers fixtures: shared by scripts/exportCheck.ts (which writes them for
// scripts/fixtures/check_export.py to load with transformers + PEFT) and by the tests that hold
// the export to what transformers computed on those very files (test/fixtures/export).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainTask } from '../common/contract';
import { deriveSeed, mulberry32, normals } from '../common/random';
import { loadEncoder } from '../main/ml/models/index';
import type { EncoderModel } from '../main/ml/models/encoder';
import { adapterFiles, mergedModelFiles, type ExportFiles } from '../main/ml/train/export';
import { trainableVariables } from '../main/ml/train/fineTune';
import { attachLora, loraParams, setLoraParams, type LoraOptions } from '../main/ml/train/lora';
import { logitsOf, type Example } from '../main/ml/train/trainer';
import { openSafetensors } from '../main/ml/weights/safetensors';
import { bytesSource, type TensorReader } from '../main/ml/weights/types';

// Not weightsFixtures' fixturesDir: that uses __dirname, which scripts run as ES modules lack.
const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

export const readTensors = (bytes: Uint8Array): TensorReader => openSafetensors(bytesSource(bytes));
const readFile = (path: string) => new Uint8Array(readFileSync(join(fixturesDir, path)));
const json = <T>(path: string): T => JSON.parse(readFileSync(join(fixturesDir, path), 'utf8')) as T;

export interface ExportCase {
  name: string;
  /** The base model folder under test/fixtures (what PEFT's adapter goes on). */
  base: string;
  labels: string[];
  task: TrainTask;
  lora: LoraOptions;
  /** False where the base checkpoint has no pooler (a new one was initialised). */
  basePooler: boolean;
  padId: number;
  /** Whether the architecture takes token_type_ids (DistilBERT does not). */
  tokenTypes: boolean;
  examples: Example[];
}

// The training fixtures' batch (BERT vocabulary ids, pad 0, two segments) and XLM-R's (pad 1).
const bertBatch: Example[] = [
  { ids: [2, 17, 42, 7, 99, 23, 64, 5, 80, 3], tokenTypeIds: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], target: 0 },
  { ids: [2, 33, 12, 71, 3], tokenTypeIds: [0, 0, 0, 0, 0], target: 0 },
  { ids: [2, 8, 8, 8, 54, 3], tokenTypeIds: [0, 0, 0, 0, 0, 0], target: 0 },
  { ids: [2, 91, 45, 60, 13, 27, 3], tokenTypeIds: [0, 0, 0, 0, 1, 1, 1], target: 0 },
];
const noTypes = (batch: Example[]) => batch.map((e) => ({ ...e, tokenTypeIds: e.ids.map(() => 0) }));
const xlmrBatch: Example[] = noTypes([[0, 17, 42, 7, 99, 23, 64, 5, 80, 2], [0, 33, 12, 71, 2], [0, 8, 8, 8, 54, 2], [0, 91, 45, 60, 13, 27, 2]].map((ids) => ({ ids, tokenTypeIds: [], target: 0 })));

export const exportCases: ExportCase[] = [
  // The PEFT training fixture's state after four steps: its adapters and classifier, as PEFT trained them.
  { name: 'bert-trained', base: 'hf/bert-cls', labels: ['sports', 'movie', 'it'], task: 'single-label', lora: { rank: 4, alpha: 8, dropout: 0, targets: ['query', 'value'] }, basePooler: true, padId: 0, tokenTypes: true, examples: bertBatch },
  // From a masked-LM checkpoint: pooler and classifier new; both output Linears, so suffixes disambiguate.
  { name: 'bert-new-head', base: 'hf/bert-mlm', labels: ['スポーツ', '映画', 'IT'], task: 'multi-label', lora: { rank: 2, alpha: 6, dropout: 0.1, targets: ['query', 'attentionOutput', 'intermediate', 'output'] }, basePooler: false, padId: 0, tokenTypes: true, examples: bertBatch },
  { name: 'distilbert-all', base: 'train/distilbert-full-single/start', labels: ['neg', 'neu', 'pos'], task: 'single-label', lora: { rank: 3, alpha: 3, dropout: 0.05, targets: ['query', 'key', 'value', 'attentionOutput', 'intermediate', 'output'] }, basePooler: true, padId: 0, tokenTypes: false, examples: noTypes(bertBatch) },
  // The feed-forward output without the attention output: PEFT target_modules as a regular expression.
  { name: 'xlm-roberta-regex', base: 'hf/xlm-roberta-cls', labels: ['no', 'yes'], task: 'multi-label', lora: { rank: 4, alpha: 16, dropout: 0, targets: ['key', 'output'] }, basePooler: true, padId: 1, tokenTypes: true, examples: xlmrBatch },
];

/** The base checkpoint with the case's labels, heads it lacks drawn from `normal` (as transformers would draw its own). */
export function loadBase(c: ExportCase, normal: () => number = normals(mulberry32(99))): EncoderModel {
  const raw = json<Record<string, unknown>>(`${c.base}/config.json`);
  const { model } = loadEncoder({ ...raw, id2label: Object.fromEntries(c.labels.map((l, i) => [String(i), l])) }, readTensors(readFile(`${c.base}/model.safetensors`)));
  if (model.classifierStyle === 'pooler' && !model.heads.pooler) model.initHead('pooler', normal);
  if (!model.heads.classifier) model.initHead('classifier', normal);
  return model;
}

/** The case's fine-tuned model: base weights, new heads where the base has none, adapters with non-zero B, the head moved off the base. */
export function buildModel(c: ExportCase): EncoderModel {
  const seed = deriveSeed(20240611, exportCases.indexOf(c));
  const model = loadBase(c, normals(mulberry32(deriveSeed(seed, 1))));
  attachLora(model, c.lora, mulberry32(deriveSeed(seed, 2)));
  if (c.name === 'bert-trained') {
    // PEFT's names in the training fixture -> ours.
    const final = readTensors(readFile('train/bert-lora-single/final.safetensors'));
    const values = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [n, info] of final.tensors) {
      const lora = /layer\.(\d+)\.attention\.self\.(query|value)\.(lora_[AB])\.default\.weight$/.exec(n);
      if (lora) values.set(`layer.${lora[1]}.${lora[2]}.${lora[3]}`, { shape: info.shape, data: final.read(n) });
      else model.assignParam(n.replace(/^base_model\.model\.classifier\.modules_to_save\.default\./, 'classifier.'), { shape: info.shape, data: final.read(n) });
    }
    setLoraParams(model, values);
    return model;
  }
  const b = normals(mulberry32(deriveSeed(seed, 3)));
  const values = loraParams(model);
  for (const [key, v] of values) if (key.endsWith('lora_B')) v.data = v.data.map(() => 0.1 * b());
  setLoraParams(model, values);
  for (const key of trainableVariables(model, 'lora').keys()) {
    if (key.startsWith('lora:')) continue;
    const p = model.exportParam(key);
    model.assignParam(key, { shape: p.shape, data: p.data.map((x) => x + 0.05 * b()) });
  }
  return model;
}

/** [n × K] logits of the case's examples, row by row. */
export function logitsOfCase(model: EncoderModel, c: ExportCase): number[][] {
  const t = logitsOf(model, c.examples, c.padId);
  const K = t.shape[1];
  const flat = Array.from(t.dataSync());
  t.dispose();
  return c.examples.map((_, i) => flat.slice(i * K, (i + 1) * K));
}

export interface ExportedCase {
  merged: ExportFiles;
  adapter: ExportFiles;
  /** The unmerged (adapters attached) model's logits. */
  logits: number[][];
}

export function exportCase(c: ExportCase): ExportedCase {
  const model = buildModel(c);
  try {
    return {
      merged: mergedModelFiles(model, c.labels, c.task),
      adapter: adapterFiles(model, c.labels, c.task, c.lora, `test/fixtures/${c.base}`, { basePooler: c.basePooler }),
      logits: logitsOfCase(model, c),
    };
  } finally {
    model.dispose();
  }
}

/** Padded input arrays as transformers takes them. */
export function inputsOf(c: ExportCase) {
  const T = Math.max(...c.examples.map((e) => e.ids.length));
  const pad = (row: number[], v: number) => [...row, ...new Array<number>(T - row.length).fill(v)];
  return {
    inputIds: c.examples.map((e) => pad(e.ids, c.padId)),
    attentionMask: c.examples.map((e) => pad(e.ids.map(() => 1), 0)),
    tokenTypeIds: c.tokenTypes ? c.examples.map((e) => pad(e.tokenTypeIds, 0)) : null,
  };
}
