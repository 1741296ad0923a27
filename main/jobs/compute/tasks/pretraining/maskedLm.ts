// Shared by the masked-LM tasks (pretrain, mlmLoss, vocab): tokenizing a corpus for them, the
// ids a masked token may be replaced with, and learning a WordPiece vocabulary.
import { ShirabeError } from '../../../../../common/errors';
import { wordNumbers, type TokenizedDocument } from '../../../../ml/pretrain/masking';
import { wordSplitter, type NewTokenizerOptions } from '../../../../ml/pretrain/newTokenizer';
import { splitSentences } from '../../../../ml/pretrain/nsp';
import { learnWordPiece, WordCounter } from '../../../../ml/pretrain/vocab';
import type { Tokenizer } from '../../../../ml/tokenizers/types';
import { kuromojiSegmenter } from '../../../../modelFolders/segmenter';
import type { TaskContext } from '../../task';

type Ctx = TaskContext<unknown>;

/** Texts tokenized without specials, each token with its word number. */
export async function tokenizeDocuments(tokenizer: Tokenizer, texts: readonly string[], ctx: Ctx): Promise<TokenizedDocument[]> {
  const out: TokenizedDocument[] = [];
  for (let i = 0; i < texts.length; i++) {
    const e = tokenizer.encode(texts[i], { addSpecialTokens: false });
    out.push({ ids: e.ids, words: wordNumbers(e.tokens) });
    if (i % 64 === 63) await ctx.checkCancel();
  }
  return out;
}

/** Texts as lists of tokenized sentences (for next-sentence pairs); word numbers run on across a text's sentences. */
export async function tokenizeSentences(tokenizer: Tokenizer, texts: readonly string[], ctx: Ctx): Promise<TokenizedDocument[][]> {
  const out: TokenizedDocument[][] = [];
  for (let i = 0; i < texts.length; i++) {
    let base = 0;
    out.push(
      splitSentences(texts[i]).map((sentence) => {
        const e = tokenizer.encode(sentence, { addSpecialTokens: false });
        const words = wordNumbers(e.tokens).map((w) => w + base);
        base = Math.max(base, ...words.map((w) => w + 1));
        return { ids: e.ids, words };
      }),
    );
    if (i % 64 === 63) await ctx.checkCancel();
  }
  return out;
}

/** Ids a random replacement may take: the vocabulary without special and bracketed control tokens ([unused0], <s>…). */
export function replacementIds(tokenizer: Tokenizer): number[] {
  const specials = new Set(Object.values(tokenizer.special).filter((v): v is number => v !== null));
  const out: number[] = [];
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const t = tokenizer.idToToken(id);
    if (t === undefined || specials.has(id) || /^\[[^\]]*\]$|^<[^>]*>$/.test(t)) continue;
    out.push(id);
  }
  return out;
}

export function requireMask(tokenizer: Tokenizer, name: string): number {
  if (tokenizer.special.mask === null) throw new ShirabeError('tokenizerNoMask', { name });
  return tokenizer.special.mask;
}

/** Word counts over texts and the WordPiece vocabulary learned from them. */
export async function learnVocabulary(texts: readonly string[], vocabSize: number, o: NewTokenizerOptions, ctx: Ctx, progress: (done: number, total: number) => void): Promise<{ vocab: string[]; words: number }> {
  const splitter = wordSplitter(o);
  const counter = new WordCounter();
  for (let i = 0; i < texts.length; i++) {
    counter.add(splitter.wordsOf(texts[i]));
    if (i % 64 === 63) {
      progress((i + 1) / texts.length / 2, 1);
      await ctx.checkCancel();
    }
  }
  const vocab = learnWordPiece(counter.counts, { vocabSize, onProgress: (done, total) => progress(0.5 + Math.min(1, done / total) / 2, 1), shouldStop: () => ctx.cancelled() });
  return { vocab, words: counter.size };
}

export async function tokenizerOptions(splitter: NewTokenizerOptions['wordSplitter'], lowercase: boolean, maxLength: number, ctx: Ctx): Promise<NewTokenizerOptions> {
  return { wordSplitter: splitter, lowercase, maxLength, segmenter: splitter === 'mecab' ? kuromojiSegmenter(await ctx.morphology()) : undefined };
}
