// A WordPiece vocabulary learned from texts, with its tokenizer files.
import type { WordSplitter } from '../../../../../common/contract';
import { newTokenizerFiles } from '../../../../ml/pretrain/newTokenizer';
import { learnVocabulary, tokenizerOptions } from './maskedLm';
import { defineTask } from '../../task';

export interface VocabInput {
  texts: string[];
  vocabSize: number;
  wordSplitter: WordSplitter;
  lowercase: boolean;
  maxLength: number;
}

export interface VocabOutput {
  vocab: string[];
  /** Distinct words counted, and characters in the alphabet. */
  words: number;
  files: [string, Uint8Array | string][];
}

export const vocab = defineTask<VocabInput, never, VocabOutput>({
  async run(input, ctx) {
    // Frees the model embedding keeps, as the other masked-LM tasks do.
    ctx.models.release();
    const o = await tokenizerOptions(input.wordSplitter, input.lowercase, input.maxLength, ctx);
    const { vocab, words } = await learnVocabulary(input.texts, input.vocabSize, o, ctx, ctx.progress);
    return { vocab, words, files: [...newTokenizerFiles(vocab, o)] };
  },
});
