// A document's text as the extractor reads it: sentences, and in each the words with their
// [start, end) offsets in the document (UTF-16 units). Sentences end at a line break or after
// sentence-final punctuation (。．！？.!? and a closing quote or bracket after it); words are MeCab
// (IPADIC) morphemes for Japanese text, as the Japanese BERT models cut words, and otherwise runs of
// letters and digits or single punctuation marks, as CoNLL04's tokens are cut.
import type { Morphology } from '../../corpus/morphology';

export interface SegmentedSentence {
  words: string[];
  offsets: [number, number][];
}

const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
/** Titles and company suffixes whose dot neither ends a sentence nor leaves the word. */
const abbreviations = new Set(['Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'St', 'Jr', 'Sr', 'Inc', 'Co', 'Corp', 'Ltd', 'Gen', 'Gov', 'Sen', 'Rep', 'Lt', 'Col', 'Capt', 'Sgt', 'Rev', 'Mt', 'No', 'vs', 'Jan', 'Feb', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec']);
/** A sentence's end: final punctuation with any closing quotes or brackets after it. */
const sentenceEnd = /[。．！？!?]+[」』）)"'”’]*|\.(?=\s|$)[」』）)"'”’]*/g;
/** Whether the dot at `at` ends an abbreviation (a listed one, or single letters: U.S.) rather than a sentence. */
function abbreviationDot(text: string, at: number): boolean {
  const word = /[\p{L}.]+$/u.exec(text.slice(0, at))?.[0] ?? '';
  return abbreviations.has(word) || /^(?:\p{L}\.)*\p{L}$/u.test(word);
}

/** [start, end) of each sentence of text, whitespace-only pieces dropped. */
export function sentenceSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  const push = (a: number, b: number) => {
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b > a) out.push([a, b]);
  };
  let lineStart = 0;
  for (const line of text.split(/(\r\n|\r|\n)/)) {
    if (/^(\r\n|\r|\n)$/.test(line)) {
      lineStart += line.length;
      continue;
    }
    let from = 0;
    for (const m of line.matchAll(sentenceEnd)) {
      if (m[0].startsWith('.') && abbreviationDot(line, m.index!)) continue;
      const end = m.index! + m[0].length;
      push(lineStart + from, lineStart + end);
      from = end;
    }
    push(lineStart + from, lineStart + line.length);
    lineStart += line.length;
  }
  return out;
}

/** Latin-script words: runs of letters, digits and inner apostrophes, hyphens and dots (U.S., don't), or one other mark; a dot after them is tried as part of the word. */
const latinWord = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*\.?|[^\s]/gu;

export function latinWords(text: string, offset = 0): SegmentedSentence {
  const words: string[] = [];
  const offsets: [number, number][] = [];
  for (const m of text.matchAll(latinWord)) {
    let w = m[0];
    // A final dot belongs to the word only for abbreviations of single letters (U.S.); else it is the sentence's.
    if (w.length > 1 && w.endsWith('.') && !/^(?:\p{L}\.)+$/u.test(w) && !abbreviations.has(w.slice(0, -1))) w = w.slice(0, -1);
    words.push(w);
    offsets.push([offset + m.index!, offset + m.index! + w.length]);
    if (w.length < m[0].length) {
      words.push('.');
      offsets.push([offset + m.index! + w.length, offset + m.index! + m[0].length]);
    }
  }
  return { words, offsets };
}

export async function segmentDocument(text: string, morphology: () => Promise<Morphology>): Promise<SegmentedSentence[]> {
  const spans = sentenceSpans(text);
  if (!japanese.test(text)) return spans.map(([a, b]) => latinWords(text.slice(a, b), a)).filter((s) => s.words.length > 0);
  const m = await morphology();
  return spans
    .map(([a, b]): SegmentedSentence => {
      const morphemes = m.analyse(text.slice(a, b)).filter((x) => x.surface.trim() !== '');
      return { words: morphemes.map((x) => x.surface), offsets: morphemes.map((x): [number, number] => [a + x.start, a + x.end]) };
    })
    .filter((s) => s.words.length > 0);
}
