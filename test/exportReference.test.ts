// Hugging Face transformers 5.17 and PEFT 0.21 loaded our exports and computed these logits
// (test/fixtures/export/transformers.json, by scripts/exportCheck.ts then
// scripts/fixtures/check_export.py): the merged folder through AutoModelForSequenceClassification
// with no missing, unexpected or mis-shaped tensor, the adapter through PeftModel.from_pretrained
// on the base folder with no key warnings and PEFT's own tensor names. Here the same cases are
// exported again: the very bytes transformers loaded (same sha256), and our logits — of the LoRA
// model and of the merged folder reloaded through loadEncoder — equal transformers'.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoder } from '../main/ml/models/index';
import { exportCase, exportCases, logitsOfCase, readTensors } from './exportCases';
import { sha256 } from './fixtures';
import { fixturesDir } from './weightsFixtures';

interface CaseResult {
  name: string;
  files: Record<string, string>;
  merged: { class: string; loadingInfo: Record<string, string[]>; logits: number[][]; id2label: Record<string, string>; problemType: string; dtype: string };
  adapter: { warnings: string[]; logits: number[][]; modulesToSave: string[]; loraModules: string[] };
  mergeAndUnload: { maxDiff: number; onlyInOurs: string[] };
  peftSave: { names: { onlyInPeft: string[]; onlyInOurs: string[]; shapeDiffers: string[] } };
}

const reference = JSON.parse(readFileSync(join(fixturesDir, 'export/transformers.json'), 'utf8')) as { versions: Record<string, string>; cases: CaseResult[] };

function maxDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((r, i) => Math.max(...r.map((v, j) => Math.abs(v - b[i][j])))));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(`exports loaded by transformers ${reference.versions.transformers} + PEFT ${reference.versions.peft}`, () => {
  it('covers every export case', () => {
    expect(reference.cases.map((c) => c.name)).toEqual(exportCases.map((c) => c.name));
  });

  it.each(exportCases)('$name: the same files, loaded cleanly, with our logits', (c) => {
    const ref = reference.cases.find((r) => r.name === c.name)!;
    const { merged, adapter, logits } = exportCase(c);
    for (const [sub, files] of [['merged', merged], ['adapter', adapter]] as const) {
      for (const name of sub === 'merged' ? ['config.json', 'model.safetensors'] : ['adapter_config.json', 'adapter_model.safetensors']) {
        expect(sha256(files.get(name)!), `${sub}/${name}`).toBe(ref.files[`${sub}/${name}`]);
      }
    }
    // What transformers and PEFT reported when loading them.
    expect(ref.merged.loadingInfo).toMatchObject({ missing_keys: [], unexpected_keys: [], mismatched_keys: [] });
    expect(ref.merged.id2label).toEqual(Object.fromEntries(c.labels.map((l, i) => [String(i), l])));
    expect(ref.merged.problemType).toBe(c.task === 'single-label' ? 'single_label_classification' : 'multi_label_classification');
    expect(ref.merged.dtype).toBe('torch.float32');
    expect(ref.adapter.warnings).toEqual([]);
    expect(ref.adapter.loraModules).toHaveLength(c.lora.targets.length * 2);
    expect(ref.peftSave.names).toMatchObject({ onlyInPeft: [], onlyInOurs: [], shapeDiffers: [] });
    expect(ref.mergeAndUnload.onlyInOurs).toEqual([]);
    expect(ref.mergeAndUnload.maxDiff).toBeLessThan(1e-6);

    expect(maxDiff(logits, ref.merged.logits)).toBeLessThan(1e-5);
    expect(maxDiff(logits, ref.adapter.logits)).toBeLessThan(1e-5);
    const { model } = loadEncoder(JSON.parse(merged.get('config.json') as string) as Record<string, unknown>, readTensors(merged.get('model.safetensors') as Uint8Array));
    expect(maxDiff(logitsOfCase(model, c), ref.merged.logits)).toBeLessThan(1e-5);
    model.dispose();
  });
});
