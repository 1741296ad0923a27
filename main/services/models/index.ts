// Model folders (check, add, remove), tokenization and the compute worker's status, as the contract's handlers.
import type { Handlers, ModelInfo } from '../../../common/contract';
import type { Morphology } from '../../corpus/morphology';
import type { Tokenizer } from '../../ml/tokenizers/types';
import { inspectModel, readTokenizer, requireModelDir } from '../../modelFolders/modelFolder';
import { segmenterFor } from '../../modelFolders/segmenter';
import type { ServiceContext } from '../context';
import type { WorkflowService } from '../workflow';

type ModelHandlers = Pick<Handlers, 'models.inspect' | 'models.add' | 'models.remove' | 'models.tokenize' | 'compute.status'>;

/** The check report of a model folder (kuromoji loaded only when its tokenizer needs it). */
export async function inspectModelFolder(path: string, morphology: () => Promise<Morphology>): Promise<ModelInfo> {
  const dir = requireModelDir(path);
  return inspectModel(dir, await segmenterFor(dir, morphology));
}

export function modelsService(deps: ServiceContext): WorkflowService<ModelHandlers> {
  const tokenizers = new Map<string, Tokenizer>();
  const inspect = deps.inspect;
  const handlers: ModelHandlers = {
    'models.inspect': ({ path }) => inspect(path),
    'models.add': async ({ path }) => {
      const info = await inspect(path);
      deps.settings.setModel(info.path, true);
      return info;
    },
    'models.remove': async ({ path }) => deps.settings.setModel(path, false),
    'models.tokenize': async ({ path, text, maxLength }) => {
      const dir = requireModelDir(path);
      let tokenizer = tokenizers.get(dir);
      if (!tokenizer) {
        tokenizer = readTokenizer(dir, await segmenterFor(dir, deps.morphology)).tokenizer;
        tokenizers.set(dir, tokenizer);
      }
      const e = tokenizer.encode(text, { maxLength, truncation: 'head' });
      return { tokens: e.tokens.map((t) => ({ id: t.id, token: t.text, start: t.start, end: t.end, special: t.special })), truncated: e.truncated };
    },
    'compute.status': () => deps.compute.status(),
  };
  return { handlers, runs: {} };
}
