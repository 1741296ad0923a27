// The word counts and word contributions of the implicit-weighting analysis, where the dictionary
// and tokenizers are: a corpus's texts cut into MeCab morphemes (surface forms) or a model's subword
// tokens and counted; each attributed document's token scores gathered into the same units
// (main/ml/attribution/words.ts). The correlations are computed in main from what this returns.
import type { AttributedDocumentRecord } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { spanScores, type Combine } from '../../../../ml/attribution/words';
import type { Tokenizer, TokenSpan } from '../../../../ml/tokenizers/types';
import { readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { defineTask } from '../../task';

export interface InformationDocument extends Pick<AttributedDocumentRecord, 'tokens' | 'scores'> {
  text: string;
}

export interface InformationInput {
  frequencyTexts: string[];
  unit: 'morpheme' | 'subword';
  withoutSymbols: boolean;
  /** The runs' model folder, whose tokenizer cuts the corpus into subwords ('subword' only). */
  modelPath: string | null;
  runs: { runId: number; signed: boolean; documents: InformationDocument[] }[];
}

export interface InformationOutput {
  /** Each counted word and its count in the frequency corpus. */
  frequencies: [string, number][];
  total: number;
  /** Per run, each word occurrence (in document order) and its contribution. */
  occurrences: { runId: number; words: string[]; contributions: Float32Array }[];
}

/** IPADIC's symbols and punctuation. */
const symbolPos = '記号';
/** A subword with no letter or digit: punctuation, symbols. */
const symbolic = (text: string) => !/[\p{L}\p{N}]/u.test(text.replace(/^##|^[▁Ġ]/, ''));
/** Documents analysed between two looks at cancel. */
const BATCH = 100;

export const information = defineTask<InformationInput, never, InformationOutput>({
  async run(input, ctx) {
    let tokenizer: Tokenizer | null = null;
    if (input.unit === 'subword') {
      if (!input.modelPath) throw new ShirabeError('internal', { detail: 'subword frequencies need the model’s tokenizer' });
      const dir = requireModelDir(input.modelPath);
      tokenizer = readTokenizer(dir, await segmenterFor(dir, ctx.morphology)).tokenizer;
    }
    const morphology = input.unit === 'morpheme' ? await ctx.morphology() : null;
    const totalWork = input.frequencyTexts.length + input.runs.reduce((s, r) => s + r.documents.length, 0);
    let done = 0;
    const step = async () => {
      if (++done % BATCH === 0) {
        ctx.progress(done, totalWork);
        await ctx.checkCancel();
      }
    };
    const unitsOf = (text: string): string[] => {
      if (morphology) return morphology.analyse(text).filter((m) => !(input.withoutSymbols && m.pos === symbolPos)).map((m) => m.surface);
      return tokenizer!
        .encode(text, { addSpecialTokens: false })
        .tokens.map((t) => t.text)
        .filter((t) => !(input.withoutSymbols && symbolic(t)));
    };

    const counts = new Map<string, number>();
    let total = 0;
    for (const text of input.frequencyTexts) {
      for (const w of unitsOf(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
      await step();
    }
    for (const n of counts.values()) total += n;

    const occurrences = [];
    for (const run of input.runs) {
      const how: Combine = run.signed ? 'sum' : 'l2';
      const words: string[] = [];
      const contributions: number[] = [];
      for (const doc of run.documents) {
        if (morphology) {
          // The attributed part of the text: a truncated document's tail has no scores.
          const end = Math.max(0, ...doc.tokens.map((t) => t.end));
          const morphemes = morphology.analyse(doc.text.slice(0, end));
          const spans: TokenSpan[] = doc.tokens.map((t) => ({ id: 0, ...t }));
          spanScores(spans, doc.scores, morphemes, how).forEach((s, i) => {
            if (input.withoutSymbols && morphemes[i].pos === symbolPos) return;
            words.push(morphemes[i].surface);
            contributions.push(s.score);
          });
        } else {
          doc.tokens.forEach((t, i) => {
            if (t.special || (input.withoutSymbols && symbolic(t.text))) return;
            words.push(t.text);
            contributions.push(doc.scores[i]);
          });
        }
        await step();
      }
      occurrences.push({ runId: run.runId, words, contributions: Float32Array.from(contributions) });
    }
    ctx.progress(totalWork, totalWork);
    return { frequencies: [...counts], total, occurrences };
  },
});

