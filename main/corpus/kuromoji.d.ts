// kuromoji ships no types: the part of its API that morphology.ts uses.
declare module 'kuromoji' {
  export interface IpadicFeatures {
    surface_form: string;
    word_position: number;
    word_type: string;
    pos?: string;
    pos_detail_1?: string;
    pos_detail_2?: string;
    pos_detail_3?: string;
    conjugated_type?: string;
    conjugated_form?: string;
    basic_form?: string;
    reading?: string;
    pronunciation?: string;
  }
  export interface Tokenizer {
    tokenize(text: string): IpadicFeatures[];
  }
  export interface TokenizerBuilder {
    build(callback: (err: Error | null, tokenizer: Tokenizer) => void): void;
  }
  export function builder(option: { dicPath: string }): TokenizerBuilder;
  const kuromoji: { builder: typeof builder };
  export default kuromoji;
}
