// Pretrained models to hand to Hugging Face transformers, built deterministically on the cpu
// backend: shared by scripts/pretrainCheck.ts (which writes them for
// scripts/fixtures/check_pretrain.py to load with transformers) and by
// test/pretrainReference.test.ts, which holds our files and logits to what transformers
// computed on those very files (test/fixtures/pretrain/transformers.json).
//
// - bert-mlm: a BERT pretrained from scratch by masked-LM (the Pretrain loop, a few steps), saved
//   by maskedLmFiles as the pretraining job saves it (BertForMaskedLM, tied decoder left out).
// - bert-nsp: the same with next-sentence prediction (BertForPreTraining: pooler and
//   cls.seq_relationship), fed sentence pairs with token types 0/1.
// - bert-mlm-extended: bert-mlm's 20 positions extended to 40 by the service the CLI and UI
//   call, run on inputs longer than the original 20.
// - shirabe-tiny-ja: the bundled default model, on two Japanese sentences our tokenizer encodes.
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../common/random';
import { Morphology } from '../main/corpus/morphology';
import type { EncoderBatch, EncoderModel } from '../main/ml/models/encoder';
import { packDocuments } from '../main/ml/pretrain/masking';
import { sentencePairs } from '../main/ml/pretrain/nsp';
import { Pretrain, type PretrainSettings } from '../main/ml/pretrain/pretrain';
import { maskedLmFiles } from '../main/ml/pretrain/save';
import { bertConfigJson, initialisedBert } from '../main/ml/pretrain/scratch';
import { readConfig, readEncoder, readTokenizer } from '../main/modelFolders/modelFolder';
import { kuromojiSegmenter } from '../main/modelFolders/segmenter';
import { extendModelPositions } from '../main/services/pretraining';
import { fileURLToPath } from 'node:url';

// Not test/paths.ts: its __dirname does not exist when scripts/pretrainCheck.ts runs as an ES module.
const defaultModelDir = fileURLToPath(new URL('../resources/models/shirabe-tiny-ja', import.meta.url));

export const pretrainCaseNames = ['bert-mlm', 'bert-nsp', 'bert-mlm-extended', 'shirabe-tiny-ja'] as const;
export type PretrainCaseName = (typeof pretrainCaseNames)[number];

/** Padded inputs as transformers takes them, [B][T]. */
export interface CaseInputs {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds: number[][];
}

/** What the check script needs and the test compares: the folder, the inputs, and our outputs. */
export interface PretrainCaseOutput {
  name: PretrainCaseName;
  /** The folder, relative to the repository root for the default model, else to the cases' directory. */
  folder: string;
  inBundle: boolean;
  inputs: CaseInputs;
  /** Masked-LM logits [B][T][V] (real tokens only) of the first `vocabSlice` vocabulary entries, with each position's logsumexp over the whole vocabulary and its five best ids. */
  mlm: { vocabSlice: number; logits: number[][][]; logSumExp: number[][]; top5: number[][][] };
  /** Next-sentence logits [B][2] (BertForPreTraining only). */
  nsp: number[][] | null;
}

const shape = { vocabSize: 32, hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 32, maxPositions: 20, typeVocabSize: 2 };
const settings: PretrainSettings = {
  learningRate: 5e-3, epochs: 1, batchSize: 8, gradientAccumulation: 1, weightDecay: 0.01, warmupRatio: 0.1, maxGradNorm: 1, seed: 11,
  mlmProbability: 0.15, wholeWordMasking: true, evalSeeds: [0], checkpointEvery: 1000, nsp: false,
};
const special = { pad: 0, cls: 2, sep: 3, mask: 4 };

/** Zipfian sentences over ids 5…31, two ids per word. */
function toySentences(docs: number, sentences: number, seed: number) {
  const r = mulberry32(seed);
  return Array.from({ length: docs }, () =>
    Array.from({ length: sentences }, (_, s) => {
      const ids = Array.from({ length: 6 }, () => 5 + Math.min(26, Math.floor(1 / (r() + 0.04))));
      return { ids, words: ids.map((_, i) => s * 10 + Math.floor(i / 2)) };
    }),
  );
}

async function pretrained(nsp: boolean): Promise<EncoderModel> {
  const docs = toySentences(48, 4, nsp ? 2 : 1);
  const heldOut = packDocuments(toySentences(4, 4, 3).map(flatten), { length: 18, cls: special.cls, sep: special.sep });
  const train = nsp
    ? sentencePairs(docs, { length: 18, cls: special.cls, sep: special.sep, shortSequenceProbability: 0.1 }, mulberry32(5))
    : packDocuments(docs.map(flatten), { length: 18, cls: special.cls, sep: special.sep });
  const model = initialisedBert(bertConfigJson(shape), nsp ? 8 : 7);
  const run = new Pretrain(model, { train, heldOut, maskId: special.mask, padId: special.pad, replacementIds: Array.from({ length: 27 }, (_, i) => i + 5) }, { ...settings, nsp });
  try {
    const gen = run.run();
    for (let e = await gen.next(); !e.done; e = await gen.next());
  } finally {
    run.dispose();
  }
  return model;
}

function flatten(sentences: { ids: number[]; words: number[] }[]) {
  return { ids: sentences.flatMap((s) => s.ids), words: sentences.flatMap((s) => s.words) };
}

/** Two sequences of different lengths (the second padded), [CLS] … [SEP] … [SEP], types 0 then 1. */
function toyInputs(lengths: [number, number], seed: number): CaseInputs {
  const r = mulberry32(seed);
  const T = Math.max(...lengths);
  const rows = lengths.map((n) => {
    const cut = Math.floor(n / 2);
    const ids = Array.from({ length: n }, (_, t) => (t === 0 ? special.cls : t === cut || t === n - 1 ? special.sep : t === 3 ? special.mask : 5 + Math.floor(r() * 27)));
    const types = ids.map((_, t) => (t > cut ? 1 : 0));
    return { ids, types };
  });
  return padded(rows, T);
}

function padded(rows: { ids: number[]; types: number[] }[], T: number): CaseInputs {
  const pad = (row: number[], v: number) => [...row, ...new Array<number>(T - row.length).fill(v)];
  return {
    inputIds: rows.map((r) => pad(r.ids, special.pad)),
    attentionMask: rows.map((r) => pad(r.ids.map(() => 1), 0)),
    tokenTypeIds: rows.map((r) => pad(r.types, 0)),
  };
}

export const vocabSlice = 64;

/** Our masked-LM (and next-sentence) outputs for the inputs, in the shape the fixture keeps. */
export function outputsOf(model: EncoderModel, inputs: CaseInputs, nsp: boolean): Pick<PretrainCaseOutput, 'mlm' | 'nsp'> {
  const B = inputs.inputIds.length;
  const T = inputs.inputIds[0].length;
  const V = model.config.vocabSize;
  const batch: EncoderBatch = {
    ids: Int32Array.from(inputs.inputIds.flat()),
    attentionMask: Int32Array.from(inputs.attentionMask.flat()),
    tokenTypeIds: Int32Array.from(inputs.tokenTypeIds.flat()),
    batchSize: B,
    length: T,
  };
  const [hidden] = model.forward(batch, { keep: [model.config.numLayers] });
  try {
    const values = (t: tf.Tensor) => {
      const v = t.dataSync().slice();
      t.dispose();
      return v;
    };
    const flat = values(model.mlmLogitsAt(hidden));
    const nspLogits = nsp ? values(model.nextSentenceLogits(hidden)) : null;
    const mlm: PretrainCaseOutput['mlm'] = { vocabSlice: Math.min(vocabSlice, V), logits: [], logSumExp: [], top5: [] };
    for (let b = 0; b < B; b++) {
      const [l, s, t5] = [[] as number[][], [] as number[], [] as number[][]];
      for (let t = 0; t < T && inputs.attentionMask[b][t] === 1; t++) {
        const row = flat.subarray((b * T + t) * V, (b * T + t + 1) * V);
        l.push(Array.from(row.subarray(0, mlm.vocabSlice)));
        let max = -Infinity;
        for (const v of row) max = Math.max(max, v);
        let sum = 0;
        for (const v of row) sum += Math.exp(v - max);
        s.push(max + Math.log(sum));
        t5.push(Array.from(row.keys()).sort((i, j) => row[j] - row[i] || i - j).slice(0, 5));
      }
      mlm.logits.push(l);
      mlm.logSumExp.push(s);
      mlm.top5.push(t5);
    }
    return { mlm, nsp: nspLogits ? Array.from({ length: B }, (_, b) => [nspLogits[2 * b], nspLogits[2 * b + 1]]) : null };
  } finally {
    hidden.dispose();
  }
}

const readFolder = (dir: string): EncoderModel => readEncoder(dir, readConfig(dir));

export const defaultModelSentences = ['東京の天気は晴れ。', '日本代表の試合は明日の夜に行われる予定だ。'];

/** Writes the toy folders under `dir` and returns every case with our outputs. Needs the cpu backend and the fast gradients installed. */
export async function buildPretrainCases(dir: string): Promise<{ cases: PretrainCaseOutput[]; files: Map<string, Map<string, string | Uint8Array>> }> {
  const cases: PretrainCaseOutput[] = [];
  const files = new Map<string, Map<string, string | Uint8Array>>();
  for (const nsp of [false, true]) {
    const name = nsp ? 'bert-nsp' : 'bert-mlm';
    const model = await pretrained(nsp);
    try {
      const written = maskedLmFiles(model);
      files.set(name, written);
      mkdirSync(join(dir, name), { recursive: true });
      for (const [f, contents] of written) writeFileSync(join(dir, name, f), contents);
      const inputs = toyInputs([16, 11], nsp ? 22 : 21);
      cases.push({ name, folder: name, inBundle: false, inputs, ...outputsOf(model, inputs, nsp) });
    } finally {
      model.dispose();
    }
  }
  extendModelPositions(join(dir, 'bert-mlm'), join(dir, 'bert-mlm-extended'), 40);
  files.set('bert-mlm-extended', new Map(['config.json', 'model.safetensors'].map((f) => [f, readFileSync(join(dir, 'bert-mlm-extended', f))])));
  const extended = readFolder(join(dir, 'bert-mlm-extended'));
  try {
    const inputs = toyInputs([36, 25], 23);
    cases.push({ name: 'bert-mlm-extended', folder: 'bert-mlm-extended', inBundle: false, inputs, ...outputsOf(extended, inputs, false) });
  } finally {
    extended.dispose();
  }
  const tokenizer = readTokenizer(defaultModelDir, kuromojiSegmenter(await Morphology.load())).tokenizer;
  const encoded = defaultModelSentences.map((s) => tokenizer.encode(s, { maxLength: 128, truncation: 'head' }).tokens.map((t) => t.id));
  const inputs = padded(encoded.map((ids) => ({ ids, types: ids.map(() => 0) })), Math.max(...encoded.map((e) => e.length)));
  const bundled = readFolder(defaultModelDir);
  try {
    // With the next-sentence head when the default model was pretrained with it (BertForPreTraining).
    const nsp = bundled.parameters().has('nsp.weight');
    cases.push({ name: 'shirabe-tiny-ja', folder: 'resources/models/shirabe-tiny-ja', inBundle: true, inputs, ...outputsOf(bundled, inputs, nsp) });
  } finally {
    bundled.dispose();
  }
  return { cases, files };
}
