// The error catalogue: every code has a message in both languages with the same placeholders, a
// code's parameters are typed from its message, and a Japanese message carries no English words
// of its own (names the user gave — paths, columns — arrive as parameters).
import { describe, expect, it } from 'vitest';
import { errorCodes, ShirabeError } from '../errors';
import { errorMessage, errorTemplate, languages } from './index';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('error messages', () => {
  it('has every code in both languages, with the same placeholders', () => {
    for (const code of errorCodes) {
      const en = errorTemplate(code, 'en');
      const ja = errorTemplate(code, 'ja');
      expect(en, code).toBeTruthy();
      expect(ja, code).toBeTruthy();
      expect(new Set(placeholders(ja)), code).toEqual(new Set(placeholders(en)));
    }
  });

  it('types the parameters of each code from its message', () => {
    expect(new ShirabeError('runNotFound', { id: 3 }).params).toEqual({ id: 3 });
    expect(new ShirabeError('cancelled').params).toEqual({});
    // @ts-expect-error runNotFound's message has {id}: it is required.
    void new ShirabeError('runNotFound', {});
    // @ts-expect-error a parameter the message does not show is refused.
    void new ShirabeError('runNotFound', { id: 3, path: '/x' });
    // @ts-expect-error cancelled's message has no parameters.
    void new ShirabeError('cancelled', { detail: 'x' });
  });

  it('rebuilds an error from its plain data (from another process)', () => {
    const err = ShirabeError.from({ code: 'corpusNotFound', params: { id: 7 } });
    expect(err).toBeInstanceOf(ShirabeError);
    expect(err.toInfo()).toEqual({ code: 'corpusNotFound', params: { id: 7 } });
    for (const language of languages) expect(errorMessage(err.toInfo(), language)).toContain('7');
  });

  it('writes Japanese messages in Japanese, apart from product and format names', () => {
    // Words a Japanese researcher reads in English too: formats, products, code-like names.
    const allowed = /\b(Shirabe|CSV|TSV|JSONL|JSON|Excel|xlsx|txt|UTF-8|SQLite|GPU|WebAssembly|MiB|GiB|LoRA|BERT|MeCab|IPADIC|WordPiece|Hugging Face|config\.json|model\.safetensors|safetensors|pytorch_model\.bin|tokenizer\.json|vocab\.txt|index\.json|shirabe serve|NUL|SHA-256|PEFT|NaN|Inf|ID|URL|Hub|SVG|PDF|PNG|UMAP|HDBSCAN|k-means|t-SNE|SNE|PCA|SVD|TF-IDF|LaTeX|PAD|MASK|UNK|CLS|SEP|csv|npy|parquet|tex|text|train|dev|test|SentencePiece|HF_[A-Z_]+)\b/g;
    for (const code of errorCodes) {
      const ja = errorTemplate(code, 'ja').replace(/\{\w+\}/g, '').replace(allowed, '');
      expect(ja.match(/[A-Za-z]{3,}/g) ?? [], `${code}: ${errorTemplate(code, 'ja')}`).toEqual([]);
    }
  });
});

describe('parameters that are words', () => {
  it("shows a run's status and a split in the reader's language", () => {
    expect(errorMessage({ code: 'runNotResumable', params: { id: 4, status: 'done' } }, 'ja')).toContain('状態: 完了');
    expect(errorMessage({ code: 'runNotResumable', params: { id: 4, status: 'done' } }, 'en')).toContain('it is finished');
    expect(errorMessage({ code: 'splitNoText', params: { split: 'test' } }, 'ja')).toContain('テスト用（test）分割');
  });
});
