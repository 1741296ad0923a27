// Sentences and words of running text, for annotated text (brat) and for a corpus an extractor reads:
// sentence ranges (a line break ends one; 。．！？ end one with any closing bracket or quote after
// them; . ! ? do before the line's end or a space and a word that is not lower case, except after a
// title or abbreviation — "Mr. Smith", "the U.S. Army" — and never inside an annotated entity), and
// words for non-Japanese text as CoNLL04's tokens are cut (letter and digit runs with inner ' - . ,
// abbreviations keeping their dot, single other marks). Japanese words are MeCab morphemes, cut by the caller.

/** Kana, kanji or half-width katakana: the text is Japanese and its words come from MeCab. */
export const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

/** Titles, company suffixes and months whose dot neither ends a sentence nor leaves the word. */
const abbreviations = new Set(['Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'St', 'Jr', 'Sr', 'Inc', 'Co', 'Corp', 'Ltd', 'Gen', 'Gov', 'Sen', 'Rep', 'Lt', 'Col', 'Capt', 'Sgt', 'Rev', 'Mt', 'No', 'vs', 'Jan', 'Feb', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec']);

/** Whether the word ending just before `at` is an abbreviation (a listed one, or single letters with dots: U.S). */
function abbreviationBefore(text: string, at: number): boolean {
  const word = /[\p{L}.]+$/u.exec(text.slice(0, at))?.[0] ?? '';
  return abbreviations.has(word) || /^(?:\p{L}\.)*\p{L}$/u.test(word);
}

/** Sentence [start, end) ranges of a text, trimmed, never cutting an entity at punctuation. */
export function sentenceRanges(text: string, entities: readonly { start: number; end: number }[] = []): [number, number][] {
  const inside = (at: number) => entities.some((e) => e.start < at && at < e.end);
  const cuts = new Set<number>();
  const final = /([。．！？]+[」』）)"'”’]*)|([.!?]+[)"'”’]*(?=\s*$|\s+[^\p{Ll}\s]))/gmu;
  for (const m of text.matchAll(final)) {
    const at = (m.index ?? 0) + m[0].length;
    if (m[0].startsWith('.') && abbreviationBefore(text, m.index ?? 0)) continue;
    if (!inside(at)) cuts.add(at);
  }
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') cuts.add(i + 1);
  const points = [0, ...[...cuts].sort((a, b) => a - b), text.length];
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    let [s, e] = [points[k], points[k + 1]];
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) out.push([s, e]);
  }
  return out;
}

/** Words of a non-Japanese sentence as [start, end) ranges in it. */
export function latinWords(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}]+(?:['’\-.][\p{L}\p{N}\p{M}]+)*\.?|\S/gu)) {
    const start = m.index ?? 0;
    let end = start + m[0].length;
    // A final dot stays with single letters (U.S.) and listed abbreviations (Mr.); else it is its own word.
    const w = m[0];
    if (w.length > 1 && w.endsWith('.') && !/^(?:\p{L}\.)+$/u.test(w) && !abbreviations.has(w.slice(0, -1))) {
      end--;
      out.push({ start, end });
      out.push({ start: end, end: end + 1 });
      continue;
    }
    out.push({ start, end });
  }
  return out;
}

/** Without a segmenter, Japanese falls back to runs of one script (kanji, hiragana, katakana, other). */
export function scriptRuns(text: string): { start: number; end: number }[] {
  const script = (c: string) => (/\s/.test(c) ? 's' : /[\u3040-\u309f]/.test(c) ? 'h' : /[\u30a0-\u30ff\uff66-\uff9f]/.test(c) ? 'k' : /[\u3400-\u9fff\uf900-\ufaff]/.test(c) ? 'c' : /[\p{L}\p{N}]/u.test(c) ? 'l' : 'p');
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < text.length; ) {
    const s = script(text[i]);
    let j = i + 1;
    if (s !== 'p') while (j < text.length && script(text[j]) === s) j++;
    if (s !== 's') out.push({ start: i, end: j });
    i = j;
  }
  return out;
}
