// model_type → architecture. Adding one is a folder with its spec and a line here.
import { ShirabeError } from '../../../common/errors';
import { bert } from './bert/spec';
import { modelTypes, type ModelType } from './config';
import { distilbert } from './distilbert/spec';
import { roberta, xlmRoberta } from './roberta/spec';
import type { Architecture } from './spec';

const registry: Record<ModelType, Architecture> = { bert, roberta, 'xlm-roberta': xlmRoberta, distilbert };

export function architectureFor(modelType: unknown): Architecture {
  if (typeof modelType !== 'string' || !(modelTypes as readonly string[]).includes(modelType)) {
    throw new ShirabeError('modelUnknownArchitecture', { modelType: String(modelType ?? '(none)'), supported: modelTypes.join(', ') });
  }
  return registry[modelType as ModelType];
}
