// Shared by the train, export and attribution tasks: a base model made into a classifier, and a
// finished run's classifier rebuilt from its base and kept values.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../../../../../common/contract';
import type { EncoderModel } from '../../../../ml/models/index';
import { headInitializer } from '../../../../ml/train/fineTune';
import { attachLora, trainableValue } from '../../../../ml/train/lora';
import { readConfig, readEncoder, requireModelDir } from '../../../../modelFolders/modelFolder';

/** A base model for classification with these labels: the checkpoint's own head (and MLM head) are not read; the classifier is new. */
export function classifierBase(dir: string, labels: readonly string[]): EncoderModel {
  const raw = readConfig(dir);
  const labelled = { ...raw, id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])) };
  return readEncoder(dir, labelled, ['classifier', 'mlm', 'nsp']);
}

/** A finished fine-tuning run's classifier: its base with the run's kept trainable values (LoRA adapters attached, not merged). */
export function runClassifier(run: { modelPath: string; config: TrainConfig; labels: readonly string[]; values: ReadonlyMap<string, Float32Array> }): { model: EncoderModel; basePooler: boolean } {
  const model = classifierBase(requireModelDir(run.modelPath), run.labels);
  try {
    const basePooler = model.heads.pooler;
    // A new pooler is trained and kept by full fine-tuning only: a LoRA run's is drawn again as its
    // training drew it (zeros here made its logits differ from the run's own). The classifier and
    // adapters are created only to be overwritten by the run's values.
    if (model.classifierStyle === 'pooler' && !basePooler) model.initHead('pooler', headInitializer(run.config.seed));
    model.initHead('classifier', () => 0);
    if (run.config.method === 'lora') attachLora(model, run.config.lora, () => 0.5);
    for (const [key, data] of run.values) {
      const v = trainableValue(model, key);
      if (!v || v.size !== data.length) throw new Error(`the run's tensor ${key} does not fit the base model`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
    }
    return { model, basePooler };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
