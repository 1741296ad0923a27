// A clustering's topic list as a table to keep or publish: CSV (one record per topic, for a
// spreadsheet or pandas) and a LaTeX booktabs table (for a paper), each with the cluster, its size,
// the label words of both methods and example titles. Pure: the CLI writes the text to a file, the
// renderer offers it as a download.
import type { TopicInfo } from './contract/topics';
import { toCsv } from './csv';

export interface TopicsTableOptions {
  /** Label words per method (default 10, as `shirabe topics --top`). */
  words?: number;
  /** Example titles per topic, from its representative documents (default 3). */
  examples?: number;
  /** The researcher's name for a topic, or null while it is known by its words (default: the topic's own name). */
  nameOf?: (topic: TopicInfo) => string | null;
  /** What HDBSCAN's noise cluster (-1) is called where it has no name (default "noise"). */
  noise?: string;
}

export interface TopicsLatexHeadings {
  cluster: string;
  name: string;
  size: string;
  study: string;
  ctfidf: string;
  examples: string;
}

export interface TopicsLatexOptions extends TopicsTableOptions {
  /** The header row, e.g. in the reader's language (default English). */
  headings?: Partial<TopicsLatexHeadings>;
  /** A \caption for the table (none when absent). */
  caption?: string;
}

const defaultHeadings: TopicsLatexHeadings = {
  cluster: 'Cluster',
  name: 'Name',
  size: 'Size',
  study: 'Study words',
  ctfidf: 'c-TF-IDF words',
  examples: 'Example titles',
};

function settings(options: TopicsTableOptions) {
  return { words: options.words ?? 10, examples: options.examples ?? 3, noise: options.noise ?? 'noise', nameOf: options.nameOf ?? ((t: TopicInfo) => t.name ?? null) };
}

/** The study's label words with the researcher's pinned words first, as the topic list shows them. */
export function studyWords(t: TopicInfo, n: number): string[] {
  const pinned = t.pinned ?? [];
  return [...pinned, ...t.study.map((w) => w.word).filter((w) => !pinned.includes(w))].slice(0, Math.max(n, pinned.length));
}

/** A representative's title; an untitled one by the start of its text, as `shirabe topics` shows it. */
function exampleOf(d: TopicInfo['representatives'][number]): string {
  if (d.title !== null && d.title.trim() !== '') return d.title;
  const s = d.snippet.replace(/\s+/g, ' ').trim();
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}

/** The first `n` representatives' titles, leaving out any with neither title nor text. */
function examplesOf(t: TopicInfo, n: number): string[] {
  return t.representatives.slice(0, n).map(exampleOf).filter((e) => e !== '');
}

function nameOf(t: TopicInfo, s: ReturnType<typeof settings>): string | null {
  const name = s.nameOf(t);
  if (name !== null && name.trim() !== '') return name;
  return t.cluster === -1 ? s.noise : null;
}

/**
 * CSV: cluster,name,size,study_words,ctfidf_words,example_1,…,example_N. The cluster keeps its number
 * (-1 for noise, so the column stays numeric) and the name column says "noise"; the words of each
 * method are separated by spaces (a label word is one morpheme, never containing a space).
 */
export function topicsCsv(topics: readonly TopicInfo[], options: TopicsTableOptions = {}): string {
  const s = settings(options);
  const header = ['cluster', 'name', 'size', 'study_words', 'ctfidf_words', ...Array.from({ length: s.examples }, (_, i) => `example_${i + 1}`)];
  const rows = topics.map((t) => {
    const examples = examplesOf(t, s.examples);
    return [
      t.cluster,
      nameOf(t, s),
      t.size,
      studyWords(t, s.words).join(' '),
      t.ctfidf.slice(0, s.words).map((w) => w.word).join(' '),
      ...Array.from({ length: s.examples }, (_, i) => examples[i] ?? null),
    ];
  });
  return toCsv(header, rows);
}

const latexSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // Not special, but printed as ¡ ¿ — by pdfLaTeX's default OT1 encoding.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  // A cell starting with [ right after \\ would be read as \\'s optional argument.
  '[': '{[}',
  ']': '{]}',
};

/** Text as LaTeX that prints it: every special character escaped, line breaks and tabs as spaces. */
export function latexEscape(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[\\&%$#_{}~^<>|[\]]/g, (c) => latexSpecials[c]);
}

/**
 * A booktabs table: cluster (or "noise"), the name column when any topic has a name, size, the
 * words of both methods (comma-separated) and example titles (semicolon-separated).
 */
export function topicsLatex(topics: readonly TopicInfo[], options: TopicsLatexOptions = {}): string {
  const s = settings(options);
  const h = { ...defaultHeadings, ...options.headings };
  const named = topics.some((t) => {
    const name = s.nameOf(t);
    return name !== null && name.trim() !== '';
  });
  const cell = (x: string) => latexEscape(x);
  const head = [h.cluster, ...(named ? [h.name] : []), h.size, h.study, h.ctfidf, h.examples].map(cell);
  const body = topics.map((t) => {
    const name = s.nameOf(t);
    const cluster = t.cluster === -1 ? s.noise : String(t.cluster);
    const cells = [
      cluster,
      ...(named ? [name ?? ''] : []),
      String(t.size),
      studyWords(t, s.words).join(', '),
      t.ctfidf.slice(0, s.words).map((w) => w.word).join(', '),
      examplesOf(t, s.examples).join('; '),
    ];
    return `${cells.map(cell).join(' & ')} \\\\`;
  });
  const columns = named ? 'rlrp{0.2\\linewidth}p{0.2\\linewidth}p{0.25\\linewidth}' : 'rrp{0.22\\linewidth}p{0.22\\linewidth}p{0.3\\linewidth}';
  return [
    '% Topics exported by Shirabe. Needs \\usepackage{booktabs}.',
    '% Japanese text needs XeLaTeX with \\usepackage{xeCJK} or LuaLaTeX with \\usepackage{luatexja}.',
    '\\begin{table}[htbp]',
    '\\centering',
    '\\small',
    `\\begin{tabular}{${columns}}`,
    '\\toprule',
    `${head.join(' & ')} \\\\`,
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    ...(options.caption ? [`\\caption{${cell(options.caption)}}`] : []),
    '\\end{table}',
    '',
  ].join('\n');
}
