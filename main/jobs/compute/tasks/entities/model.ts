// The base encoder an entity extractor is built on: the model folder's encoder without any head
// it may carry (classifier, masked-LM, next-sentence): the table head is the extractor's own.
import type { EncoderModel } from '../../../../ml/models/index';
import { readConfig, readEncoder, requireModelDir } from '../../../../modelFolders/modelFolder';

export function entityBase(modelPath: string): { dir: string; model: EncoderModel } {
  const dir = requireModelDir(modelPath);
  return { dir, model: readEncoder(dir, readConfig(dir), ['classifier', 'mlm', 'nsp']) };
}
