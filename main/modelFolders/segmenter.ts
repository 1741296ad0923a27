// MeCab-IPADIC words for BertJapaneseTokenizer, from kuromoji (the morphology of the corpus layer).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Morphology } from '../corpus/morphology';
import { needsWordSegmenter } from '../ml/tokenizers/load';
import type { WordSegmenter } from '../ml/tokenizers/types';

export function kuromojiSegmenter(morphology: Morphology): WordSegmenter {
  return {
    segment: (text) =>
      morphology
        .analyse(text)
        .filter((m) => m.surface.trim() !== '')
        .map((m) => ({ surface: m.surface, start: m.start, end: m.end })),
  };
}

/** The segmenter a model folder's tokenizer needs, if any: kuromoji's dictionary takes a second to load, so only then. */
export async function segmenterFor(dir: string, morphology: () => Promise<Morphology>): Promise<WordSegmenter | undefined> {
  const file = join(dir, 'tokenizer_config.json');
  const config = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return needsWordSegmenter({ 'tokenizer_config.json': config }) ? kuromojiSegmenter(await morphology()) : undefined;
}
