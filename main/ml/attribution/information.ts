// The implicit-weighting study's analysis: does a model weight each word by its information
// content −log P(w)? P(w) from a corpus's word frequencies with add-one (Laplace) smoothing,
// P(w) = (c(w) + 1) / (N + V), and the correlation of each word occurrence's contribution with
// −log P(w) and with P(w): Pearson's r (scipy.stats.pearsonr) and Spearman's ρ (scipy.stats.spearmanr,
// average ranks for ties), each with a 95% confidence interval by Fisher's z (ρ with the
// Fieller–Hartley–Pearson variance 1.06 / (n − 3)) and by a seeded percentile bootstrap.
import { mulberry32 } from '../../../common/random';

export interface WordFrequencies {
  counts: ReadonlyMap<string, number>;
  /** N: every word occurrence counted. */
  total: number;
}

/** Counts each word of each document. */
export function countWords(documents: Iterable<readonly string[]>): WordFrequencies {
  const counts = new Map<string, number>();
  let total = 0;
  for (const words of documents) {
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    total += words.length;
  }
  return { counts, total };
}

/** P(w) with add-one smoothing over the corpus's vocabulary and one unseen type: (c(w) + 1) / (N + V + 1). */
export function smoothedProbability(f: WordFrequencies): (word: string) => number {
  // V + 1: the corpus's word types and one for every word it never saw, so an unseen word has 1 / (N + V + 1).
  const denominator = f.total + f.counts.size + 1;
  return (word) => ((f.counts.get(word) ?? 0) + 1) / denominator;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length || n < 2) throw new RangeError(`pearson: ${x.length} and ${y.length} values`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Ranks 1…n, ties given their average rank (scipy.stats.rankdata's 'average'). */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = rank;
    i = j + 1;
  }
  return out;
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

export interface Correlation {
  value: number;
  /** 95% by Fisher's z transform. */
  fisher: [number, number];
  /** 95% percentile bootstrap over the pairs. */
  bootstrap: [number, number];
  n: number;
}

/** Fisher's 95% interval for a correlation r of n pairs; Spearman's ρ with the 1.06 / (n − 3) variance. */
export function fisherInterval(r: number, n: number, kind: 'pearson' | 'spearman'): [number, number] {
  if (n <= 3 || !Number.isFinite(r)) return [NaN, NaN];
  const z = Math.atanh(Math.max(-0.9999999999, Math.min(0.9999999999, r)));
  const se = Math.sqrt((kind === 'spearman' ? 1.06 : 1) / (n - 3));
  return [Math.tanh(z - 1.959963984540054 * se), Math.tanh(z + 1.959963984540054 * se)];
}

/** The 2.5th and 97.5th percentiles (linear interpolation, numpy's default) of `samples` correlations of resampled pairs. */
export function bootstrapInterval(x: ArrayLike<number>, y: ArrayLike<number>, statistic: (x: Float64Array, y: Float64Array) => number, samples: number, seed: number): [number, number] {
  const n = x.length;
  const rand = mulberry32(seed);
  const values: number[] = [];
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  for (let b = 0; b < samples; b++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      bx[i] = x[k];
      by[i] = y[k];
    }
    const v = statistic(bx, by);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return [percentile(values, 2.5), percentile(values, 97.5)];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function correlate(x: ArrayLike<number>, y: ArrayLike<number>, kind: 'pearson' | 'spearman', options: { samples?: number; seed?: number } = {}): Correlation {
  const f = kind === 'pearson' ? pearson : spearman;
  const value = f(x, y);
  return { value, fisher: fisherInterval(value, x.length, kind), bootstrap: bootstrapInterval(x, y, f, options.samples ?? 1000, options.seed ?? 42), n: x.length };
}

export interface InformationPoint {
  word: string;
  contribution: number;
  /** −log P(w) (natural log). */
  information: number;
  probability: number;
}

export interface InformationAnalysis {
  points: InformationPoint[];
  /** Contribution against −log P(w), and against P(w). */
  information: { pearson: Correlation; spearman: Correlation };
  probability: { pearson: Correlation; spearman: Correlation };
  /** Least squares contribution = slope · (−log P(w)) + intercept, for the scatter plot's line. */
  fit: { slope: number; intercept: number };
}

/** Every word occurrence's contribution beside its −log P(w) and P(w), and their correlations. */
export function analyseInformation(occurrences: readonly { word: string; contribution: number }[], probability: (word: string) => number, options: { samples?: number; seed?: number } = {}): InformationAnalysis {
  const points = occurrences.map((o) => {
    const p = probability(o.word);
    return { word: o.word, contribution: o.contribution, information: -Math.log(p), probability: p };
  });
  const c = Float64Array.from(points, (p) => p.contribution);
  const info = Float64Array.from(points, (p) => p.information);
  const prob = Float64Array.from(points, (p) => p.probability);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < c.length; i++) {
    mx += info[i];
    my += c[i];
  }
  mx /= Math.max(1, c.length);
  my /= Math.max(1, c.length);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < c.length; i++) {
    sxy += (info[i] - mx) * (c[i] - my);
    sxx += (info[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return {
    points,
    information: { pearson: correlate(c, info, 'pearson', options), spearman: correlate(c, info, 'spearman', options) },
    probability: { pearson: correlate(c, prob, 'pearson', options), spearman: correlate(c, prob, 'spearman', options) },
    fit: { slope, intercept: my - slope * mx },
  };
}
