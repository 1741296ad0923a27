// Shared by the train and export tasks: a base model made into a classifier.
import type { EncoderModel } from '../../../../ml/models/index';
import { readConfig, readEncoder } from '../../../../modelFolders/modelFolder';

/** A base model for classification with these labels: the checkpoint's own head (and MLM head) are not read; the classifier is new. */
export function classifierBase(dir: string, labels: readonly string[]): EncoderModel {
  const raw = readConfig(dir);
  const labelled = { ...raw, id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])) };
  return readEncoder(dir, labelled, ['classifier', 'mlm', 'nsp']);
}
