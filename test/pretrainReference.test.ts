// Hugging Face transformers 5.17 loaded the models our pretraining writes and computed these
// outputs (test/fixtures/pretrain/transformers.json, by scripts/pretrainCheck.ts then
// scripts/fixtures/check_pretrain.py): BertForMaskedLM and BertForPreTraining folders from
// scratch, a folder whose positions were extended, and the bundled default model, each with no
// missing, unexpected or mis-shaped tensor and the decoder tied to the word embeddings. Here the
// same cases are built again: the very bytes transformers loaded (same sha256), and our logits
// equal to transformers'.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastGradients } from '../main/ml/train/gradients';
import { expectNoLeakedTensors } from '../main/ml/testing/tensors';
import { sha256, tempDir } from './fixtures';
import { repoRoot } from './paths';
import { buildPretrainCases, pretrainCaseNames, type PretrainCaseOutput } from './pretrainCases';
import { fixturesDir } from './weightsFixtures';

interface Reference {
  versions: Record<string, string>;
  tolerance: number;
  cases: {
    name: string;
    class: string;
    files: Record<string, string>;
    loadingInfo: Record<string, string[]>;
    tiedDecoder: boolean;
    maxPositionEmbeddings: number;
    inputs: PretrainCaseOutput['inputs'];
    mlm: PretrainCaseOutput['mlm'];
    nsp: number[][] | null;
  }[];
}

const reference = JSON.parse(readFileSync(join(fixturesDir, 'pretrain/transformers.json'), 'utf8')) as Reference;
const maxDiff = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
};

let built: Awaited<ReturnType<typeof buildPretrainCases>>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  installFastGradients();
  built = await expectNoLeakedTensors(() => buildPretrainCases(tempDir()));
}, 120_000);

describe(`pretrained models loaded by transformers ${reference.versions.transformers}`, () => {
  it('covers every case', () => {
    expect(reference.cases.map((c) => c.name)).toEqual([...pretrainCaseNames]);
  });

  it.each([...pretrainCaseNames])('%s: the same files, loaded cleanly, with our logits', (name) => {
    const ref = reference.cases.find((c) => c.name === name)!;
    const ours = built.cases.find((c) => c.name === name)!;
    for (const file of ['config.json', 'model.safetensors']) {
      const bytes = ours.inBundle ? readFileSync(join(repoRoot, ours.folder, file)) : built.files.get(name)!.get(file)!;
      expect(sha256(bytes), `${name}/${file}`).toBe(ref.files[file]);
    }
    expect(ours.inputs).toEqual(ref.inputs); // for the default model: our tokenizer's ids, as then
    expect(ref.loadingInfo).toEqual({ missing_keys: [], unexpected_keys: [], mismatched_keys: [], error_msgs: [] });
    expect(ref.tiedDecoder).toBe(true);
    // A folder with a next-sentence head loads as BertForPreTraining, one without as BertForMaskedLM.
    expect(ref.class).toBe(ours.nsp ? 'BertForPreTraining' : 'BertForMaskedLM');
    if (name === 'bert-nsp') expect(ours.nsp).not.toBeNull();
    if (name === 'bert-mlm-extended') expect([ref.maxPositionEmbeddings, ours.inputs.inputIds[0].length]).toEqual([40, 36]); // run past the original 20
    expect(ours.mlm.vocabSlice).toBe(ref.mlm.vocabSlice);
    let diff = 0;
    ours.mlm.logits.forEach((rows, b) => {
      expect(rows.length).toBe(ref.mlm.logits[b].length);
      rows.forEach((row, t) => (diff = Math.max(diff, maxDiff(row, ref.mlm.logits[b][t]))));
      diff = Math.max(diff, maxDiff(ours.mlm.logSumExp[b], ref.mlm.logSumExp[b]));
    });
    if (ours.nsp) diff = Math.max(diff, maxDiff(ours.nsp.flat(), ref.nsp!.flat()));
    else expect(ref.nsp).toBeNull();
    expect(diff).toBeLessThan(reference.tolerance);
    expect(ours.mlm.top5).toEqual(ref.mlm.top5);
  });
});
