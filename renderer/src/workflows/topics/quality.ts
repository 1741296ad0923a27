// The pure part of the comparison of clustering runs: which run is best in each quality column.

/** The indexes holding the best value (the highest, or with `lower` the lowest); none when fewer than two values can be compared. Ties are all best. */
export function bestIndexes(values: readonly (number | null | undefined)[], lower = false): Set<number> {
  const known = values.map((v, i) => [v, i] as const).filter((e): e is readonly [number, number] => typeof e[0] === 'number' && Number.isFinite(e[0]));
  if (known.length < 2) return new Set();
  const best = known.reduce((b, [v]) => (lower ? Math.min(b, v) : Math.max(b, v)), lower ? Infinity : -Infinity);
  return new Set(known.filter(([v]) => v === best).map(([, i]) => i));
}
