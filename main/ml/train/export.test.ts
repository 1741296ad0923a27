// The export's own guarantees: the merged model computes what the LoRA model computed (and
// reloads through loadEncoder as a clean …ForSequenceClassification checkpoint), the adapter's
// names are PEFT's and carry the same model, the config is transformers'. That transformers and
// PEFT themselves load these files and agree is test/exportReference.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, exportCases, loadBase, logitsOfCase, readTensors, type ExportCase } from '../../../test/exportCases';
import { mulberry32 } from '../../../common/random';
import { loadEncoder } from '../models/index';
import type { EncoderModel } from '../models/encoder';
import { adapterFiles, classifierConfig, mergedModelFiles, mergedTensors, peftListMatches, peftRegexMatches, peftTargetModules, tokenizerFiles } from './export';
import { attachLora, loraTargets, setLoraParams, type LoraTarget } from './lora';
import { expectNoLeakedTensors } from '../testing/tensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const caseNamed = (name: string) => exportCases.find((c) => c.name === name)!;
const bytes = (v: Uint8Array | string | undefined) => v as Uint8Array;
const text = (v: Uint8Array | string | undefined) => v as string;

function maxDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((r, i) => Math.max(...r.map((v, j) => Math.abs(v - b[i][j])))));
}

function snapshot(model: EncoderModel): Map<string, Float32Array> {
  return new Map([...model.parameters()].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

describe.each(exportCases)('export of $name', (c: ExportCase) => {
  it('merged folder: same logits as the unmerged LoRA model, reloads cleanly, leaves the model as it was', async () => {
    await expectNoLeakedTensors(async () => {
      const model = buildModel(c);
      const params = snapshot(model);
      // Not mutated: no tensor left behind, adapters still attached, weights untouched.
      const { unmerged, files } = await expectNoLeakedTensors(() => ({ unmerged: logitsOfCase(model, c), files: mergedModelFiles(model, c.labels, c.task) }));
      expect([...files.keys()]).toEqual(['config.json', 'model.safetensors']);
      expect(model.lora?.layers.size).toBe(model.config.numLayers * c.lora.targets.length);
      for (const [k, v] of model.parameters()) expect(v.dataSync()).toEqual(params.get(k));
      expect(maxDiff(logitsOfCase(model, c), unmerged)).toBe(0);
      model.dispose();

      const { model: reloaded, report } = loadEncoder(JSON.parse(text(files.get('config.json'))) as Record<string, unknown>, readTensors(bytes(files.get('model.safetensors'))));
      expect(report.missing).toEqual([]);
      expect(report.unexpected).toEqual([]);
      expect(report.ignored).toEqual([]);
      expect(report.prefix).toBe(reloaded.arch.prefixes[0]);
      expect(report.heads).toEqual({ pooler: reloaded.classifierStyle === 'pooler', mlm: false, classifier: true });
      expect(reloaded.config.id2label).toEqual(Object.fromEntries(c.labels.map((l, i) => [i, l])));
      expect(maxDiff(logitsOfCase(reloaded, c), unmerged)).toBeLessThan(1e-5);
      reloaded.dispose();
    });
  });

  it('adapter folder: PEFT names and layouts, and the same model when read back onto the base', () => {
    const model = buildModel(c);
    const unmerged = logitsOfCase(model, c);
    const files = adapterFiles(model, c.labels, c.task, c.lora, 'some/base', { basePooler: c.basePooler });
    model.dispose();
    expect([...files.keys()]).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'README.md']);
    const config = JSON.parse(text(files.get('adapter_config.json'))) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', task_type: 'SEQ_CLS', r: c.lora.rank, lora_alpha: c.lora.alpha, lora_dropout: c.lora.dropout, base_model_name_or_path: 'some/base', bias: 'none', use_rslora: false });
    expect(text(files.get('README.md'))).toContain(`id2label = {${c.labels.map((l, i) => `${i}: ${JSON.stringify(l)}`).join(', ')}}`);

    // Read back with our own code, as PEFT does: the base (heads it lacks drawn afresh), fresh adapters, then the file's tensors.
    const base = loadBase(c);
    attachLora(base, c.lora, mulberry32(5));
    expect(maxDiff(logitsOfCase(base, c), unmerged)).toBeGreaterThan(1e-3);
    const reader = readTensors(bytes(files.get('adapter_model.safetensors')));
    const lora = new Map<string, { shape: number[]; data: Float32Array }>();
    const rest = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, info] of reader.tensors) (/\.lora_[AB]\.weight$/.test(name) ? lora : rest).set(name, { shape: info.shape, data: reader.read(name) });
    const ours = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const spec of base.arch.params(base.config)) {
      const hf = `base_model.model.${spec.names[0].startsWith('!') ? spec.names[0].slice(1) : base.arch.prefixes[0] + spec.names[0]}`;
      for (const ab of ['A', 'B'] as const) {
        const n = hf.replace(/\.weight$/, `.lora_${ab}.weight`);
        const t = lora.get(n);
        if (!t || n === hf) continue;
        const [inDim, outDim] = base.parameters().get(spec.key)!.shape;
        expect(t.shape).toEqual(ab === 'A' ? [c.lora.rank, inDim] : [outDim, c.lora.rank]);
        ours.set(spec.key.replace(/\.weight$/, `.lora_${ab}`), t);
        lora.delete(n);
      }
      const head = rest.get(hf);
      if (head) {
        base.assignParam(spec.key, head);
        rest.delete(hf);
      }
    }
    expect([...lora.keys()]).toEqual([]);
    expect([...rest.keys()]).toEqual([]);
    expect(ours.size).toBe(2 * c.lora.targets.length * base.config.numLayers);
    setLoraParams(base, ours);
    expect(maxDiff(logitsOfCase(base, c), unmerged)).toBe(0);
    base.dispose();
  });
});

describe('export names and config', () => {
  it('writes PEFT 0.21\'s tensor names for a BERT adapter with a trained classifier, and modules_to_save', () => {
    const c = caseNamed('bert-trained');
    const model = buildModel(c);
    const files = adapterFiles(model, c.labels, c.task, c.lora, 'test/fixtures/hf/bert-cls');
    const names = [...readTensors(bytes(files.get('adapter_model.safetensors'))).tensors.keys()];
    // As PEFT's save_pretrained names them (test/fixtures/export/transformers.json, peftSave.names).
    const expected = ['base_model.model.classifier.bias', 'base_model.model.classifier.weight'];
    for (const i of [0, 1]) for (const m of ['query', 'value']) for (const ab of ['A', 'B']) expected.push(`base_model.model.bert.encoder.layer.${i}.attention.self.${m}.lora_${ab}.weight`);
    expect(names.sort()).toEqual(expected.sort());
    const config = JSON.parse(text(files.get('adapter_config.json'))) as Record<string, unknown>;
    expect(config.modules_to_save).toEqual(['classifier']);
    expect(config.target_modules).toEqual(['query', 'value']);
    // The merged weights are PEFT's merge: W + (α/r)·B·A in torch's layout.
    const merged = mergedTensors(model).get('bert.encoder.layer.1.attention.self.value.weight')!;
    const adapter = readTensors(bytes(files.get('adapter_model.safetensors')));
    const A = adapter.read('base_model.model.bert.encoder.layer.1.attention.self.value.lora_A.weight'); // [r, in]
    const B = adapter.read('base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight'); // [out, r]
    const W = model.exportParam('layer.1.value.weight').data; // [out, in]
    const [r, H] = [4, 32];
    let worst = 0;
    for (let o = 0; o < H; o++) for (let i = 0; i < H; i++) {
      let ba = 0;
      for (let k = 0; k < r; k++) ba += B[o * r + k] * A[k * H + i];
      worst = Math.max(worst, Math.abs(merged.data[o * H + i] - (W[o * H + i] + 2 * ba)));
    }
    expect(worst).toBeLessThan(1e-7);
    model.dispose();
  });

  it('the PEFT-trained fixture, exported and merged, gives the logits PEFT computed for it', () => {
    const c = caseNamed('bert-trained');
    const model = buildModel(c);
    const files = mergedModelFiles(model, c.labels, c.task);
    model.dispose();
    const { model: merged } = loadEncoder(JSON.parse(text(files.get('config.json'))) as Record<string, unknown>, readTensors(bytes(files.get('model.safetensors'))));
    const ref = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/train/bert-lora-single/reference.json'), 'utf8')) as { finalLogits: number[] };
    expect(Math.max(...logitsOfCase(merged, c).flat().map((v, i) => Math.abs(v - ref.finalLogits[i])))).toBeLessThan(1e-5);
    merged.dispose();
  });

  it('config.json: the base config with transformers\' class, labels and problem type, written as transformers writes it', () => {
    const c = caseNamed('bert-new-head');
    const model = buildModel(c);
    Object.assign(model.config.raw, { num_labels: 7, tokenizer_class: 'BertJapaneseTokenizer', torch_dtype: 'bfloat16', architectures: ['BertForMaskedLM'] });
    const json = text(mergedModelFiles(model, c.labels, 'multi-label').get('config.json'));
    const config = JSON.parse(json) as Record<string, unknown>;
    expect(config).toMatchObject({
      architectures: ['BertForSequenceClassification'],
      id2label: { 0: 'スポーツ', 1: '映画', 2: 'IT' },
      label2id: { スポーツ: 0, 映画: 1, IT: 2 },
      problem_type: 'multi_label_classification',
      tokenizer_class: 'BertJapaneseTokenizer',
      dtype: 'float32',
      torch_dtype: 'float32',
      model_type: 'bert',
      hidden_size: 32,
    });
    expect(config).not.toHaveProperty('num_labels');
    expect(Object.keys(config)).toEqual(Object.keys(config).sort());
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain('\n  "architectures": [\n    "BertForSequenceClassification"\n  ],\n');
    expect(classifierConfig(model, c.labels, 'single-label').problem_type).toBe('single_label_classification');
    model.dispose();
  });

  it('refuses labels that do not fit, an adapter export without adapters or with other settings, and a BERT classifier without pooler', () => {
    const c = caseNamed('bert-trained');
    const model = buildModel(c);
    expect(() => mergedModelFiles(model, ['a', 'b'], c.task)).toThrow(/2 labels for a classifier with 3 outputs/);
    expect(() => mergedModelFiles(model, ['a', 'b', 'a'], c.task)).toThrow(/"a" is given twice/);
    expect(() => adapterFiles(model, c.labels, c.task, { ...c.lora, alpha: 16 }, 'b')).toThrow(/not the attached adapters'/);
    expect(() => adapterFiles(model, c.labels, c.task, { ...c.lora, targets: ['query'] }, 'b')).toThrow(/not on the targets query/);
    model.dispose();
    const raw = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/hf/bert-mlm/config.json'), 'utf8')) as Record<string, unknown>;
    const { model: mlm } = loadEncoder(raw, readTensors(new Uint8Array(readFileSync(join(__dirname, '../../../test/fixtures/hf/bert-mlm/model.safetensors')))));
    expect(() => mergedModelFiles(mlm, ['a', 'b'], c.task)).toThrow(/no classification head/);
    mlm.initHead('classifier', () => 0);
    expect(() => mergedModelFiles(mlm, ['a', 'b'], c.task)).toThrow(/BertForSequenceClassification reads the pooler, which the model lacks/);
    expect(() => adapterFiles(mlm, ['a', 'b'], c.task, c.lora, 'b')).toThrow(/no LoRA adapters/);
    // Full fine-tuning: no adapters, the weights as they are.
    mlm.initHead('pooler', () => 0.5);
    const tensors = readTensors(bytes(mergedModelFiles(mlm, ['a', 'b'], c.task).get('model.safetensors')));
    expect(tensors.read('bert.encoder.layer.0.attention.self.query.weight')).toEqual(mlm.exportParam('layer.0.query.weight').data);
    expect([...tensors.tensors.keys()].filter((n) => !n.startsWith('bert.encoder.layer.'))).toEqual([
      'bert.embeddings.LayerNorm.bias', 'bert.embeddings.LayerNorm.weight', 'bert.embeddings.position_embeddings.weight', 'bert.embeddings.token_type_embeddings.weight',
      'bert.embeddings.word_embeddings.weight', 'bert.pooler.dense.bias', 'bert.pooler.dense.weight', 'classifier.bias', 'classifier.weight',
    ]);
    mlm.dispose();
  });

  it('target_modules select exactly the adapted Linears under PEFT\'s matching, as a list where suffixes can, else a regular expression', () => {
    const expectations: [string, LoraTarget[], string[] | string][] = [
      ['bert-trained', ['query', 'value'], ['query', 'value']],
      ['bert-trained', ['key', 'attentionOutput'], ['key', 'attention.output.dense']],
      ['bert-trained', ['attentionOutput', 'output'], ['attention.output.dense', 'output.dense']],
      ['bert-trained', ['output'], '.*\\.layer\\.\\d+\\.(?:output\\.dense)'],
      ['bert-trained', ['intermediate', 'output'], '.*\\.layer\\.\\d+\\.(?:intermediate\\.dense|output\\.dense)'],
      ['bert-trained', [...loraTargets], ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense']],
      ['distilbert-all', ['output', 'value'], ['v_lin', 'lin2']],
      ['xlm-roberta-regex', ['output'], '.*\\.layer\\.\\d+\\.(?:output\\.dense)'],
    ];
    for (const [name, targets, expected] of expectations) {
      const fresh = loadBase(caseNamed(name));
      attachLora(fresh, { rank: 2, alpha: 2, dropout: 0, targets }, mulberry32(1));
      const picked = peftTargetModules(fresh, loraTargets.filter((t) => targets.includes(t)));
      expect(picked).toEqual(expected);
      // Every module of the HF model, containers included, matched exactly when adapted.
      const adapted = new Set<string>();
      const modules = new Set<string>();
      for (const spec of fresh.arch.params(fresh.config).filter((s) => s.group !== 'mlm')) {
        const full = spec.names[0].startsWith('!') ? spec.names[0].slice(1) : fresh.arch.prefixes[0] + spec.names[0];
        const parts = full.split('.').slice(0, -1);
        for (let i = 1; i <= parts.length; i++) modules.add(parts.slice(0, i).join('.'));
        if (fresh.lora!.layers.has(spec.key.replace(/\.weight$/, ''))) adapted.add(parts.join('.'));
      }
      expect(adapted.size).toBe(targets.length * fresh.config.numLayers);
      for (const m of modules) expect(typeof picked === 'string' ? peftRegexMatches(picked, m) : peftListMatches(picked, m)).toBe(adapted.has(m));
      fresh.dispose();
    }
  });

  it('lists the tokenizer files of every supported kind', () => {
    for (const f of ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt', 'sentencepiece.bpe.model', 'spiece.model']) expect(tokenizerFiles).toContain(f);
  });
});
