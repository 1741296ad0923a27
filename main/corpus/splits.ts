// Seeded, label-stratified train/dev/test assignment.
import { ShirabeError } from '../../common/errors';
import type { SplitName } from '../../common/contract';
import { mulberry32 } from '../../common/random';

export { mulberry32 };

/** Throws splitInvalid unless the ratios are three finite non-negative numbers adding up to 1. */
export function validateSplit(ratios: readonly number[]): asserts ratios is [number, number, number] {
  const ok =
    Array.isArray(ratios) &&
    ratios.length === 3 &&
    ratios.every((r) => typeof r === 'number' && Number.isFinite(r) && r >= 0) &&
    Math.abs(ratios[0] + ratios[1] + ratios[2] - 1) < 1e-6;
  if (!ok) throw new ShirabeError('splitInvalid', { value: Array.isArray(ratios) ? ratios.join(',') : String(ratios) });
}

/** Throws seedInvalid unless the seed is an integer in 0..2^32-1. */
export function validateSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ShirabeError('seedInvalid', { value: String(seed) });
  }
}

/**
 * How many of n go to train, dev and test: n·ratio each, rounded by largest remainder so the three
 * sum to n exactly.
 */
export function splitCounts(
  n: number,
  ratios: readonly [number, number, number],
  random?: () => number,
): [number, number, number] {
  const total = ratios[0] + ratios[1] + ratios[2];
  const quotas = ratios.map((r) => (n * r) / total);
  const counts = quotas.map((q) => Math.floor(q + 1e-9));
  let left = n - counts.reduce((a, b) => a + b, 0);
  while (left < 0) {
    const largest = counts.indexOf(Math.max(...counts));
    counts[largest]--;
    left++;
  }
  // equal remainders (e.g. 7.5 dev / 7.5 test) go in a seeded random order when random is given,
  // so no split is favoured across label groups; otherwise to the earlier split
  const tie = [0, 1, 2].map((i) => (random ? random() : i));
  const order = [0, 1, 2].sort(
    (a, b) => Math.round((quotas[b] - counts[b] - (quotas[a] - counts[a])) * 1e9) || tie[a] - tie[b],
  );
  for (let k = 0; left > 0; k = (k + 1) % 3) {
    // never hand a remainder to a split whose ratio is 0
    if (ratios[order[k]] > 0) {
      counts[order[k]]++;
      left--;
    }
  }
  return counts as [number, number, number];
}

const names: readonly SplitName[] = ['train', 'dev', 'test'];

/**
 * Assigns each item (given by its label; null is a group of its own) to train/dev/test.
 * Within each label group, in order of the group's first appearance, the items are shuffled
 * (Fisher–Yates with one mulberry32 stream seeded by `seed`) and the first counts[0] go to train,
 * the next counts[1] to dev, the rest to test (counts from splitCounts, equal remainders ordered by
 * the same stream). Deterministic for a seed.
 */
export function assignSplits(
  labels: readonly (string | null)[],
  ratios: [number, number, number],
  seed: number,
): SplitName[] {
  validateSplit(ratios);
  const random = mulberry32(seed);
  const groups = new Map<string | null, number[]>();
  labels.forEach((label, i) => {
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(i);
  });
  const out = new Array<SplitName>(labels.length);
  for (const members of groups.values()) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = members[i];
      members[i] = members[j];
      members[j] = t;
    }
    const counts = splitCounts(members.length, ratios, random);
    let k = 0;
    for (let s = 0; s < 3; s++) {
      for (let c = 0; c < counts[s]; c++) out[members[k++]] = names[s];
    }
  }
  return out;
}
