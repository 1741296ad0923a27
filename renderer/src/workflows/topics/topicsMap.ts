// The pure parts of the topic map and list: each map point's cluster, the clusters' centres (where
// their label words are drawn) and the label under a click, the points inside a brushed rectangle
// or lasso, the series ECharts draws (one per cluster, so the legend toggles clusters; large mode
// for 100,000 points) and the gold-label shares drawn as a small bar.

/** Cluster of a point the clustering does not know (another corpus's map, or a map without a clustering). */
export const unassigned = -2;
/** HDBSCAN's noise. */
export const noise = -1;

/** Each map point's cluster, by document id (`unassigned` where the clustering has no such document). */
export function clustersOfPoints(mapDocumentIds: Int32Array, assignment: { documentIds: Int32Array; clusters: Int32Array } | null): Int32Array {
  const out = new Int32Array(mapDocumentIds.length).fill(unassigned);
  if (!assignment) return out;
  const byId = new Map<number, number>();
  for (let i = 0; i < assignment.documentIds.length; i++) byId.set(assignment.documentIds[i], assignment.clusters[i]);
  for (let i = 0; i < mapDocumentIds.length; i++) out[i] = byId.get(mapDocumentIds[i]) ?? unassigned;
  return out;
}

export interface Centre {
  cluster: number;
  x: number;
  y: number;
  count: number;
}

/**
 * Where a cluster's label goes: the medoid-like point of its members — the member nearest the
 * coordinate-wise median — so a label sits on the cluster even when the cluster is curved or split
 * (a mean can fall in the empty middle of a crescent). Noise and unassigned points get no label.
 */
export function clusterCentres(coords: Float32Array, clusters: Int32Array): Centre[] {
  const members = new Map<number, number[]>();
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i];
    if (c < 0) continue;
    let list = members.get(c);
    if (!list) members.set(c, (list = []));
    list.push(i);
  }
  const median = (values: number[]) => {
    values.sort((a, b) => a - b);
    const m = values.length >> 1;
    return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
  };
  const out: Centre[] = [];
  for (const [cluster, list] of members) {
    const mx = median(list.map((i) => coords[2 * i]));
    const my = median(list.map((i) => coords[2 * i + 1]));
    let best = list[0];
    let bestD = Infinity;
    for (const i of list) {
      const d = (coords[2 * i] - mx) ** 2 + (coords[2 * i + 1] - my) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    out.push({ cluster, x: coords[2 * best], y: coords[2 * best + 1], count: list.length });
  }
  return out.sort((a, b) => a.cluster - b.cluster);
}

/** A cluster's label as drawn on the map, in pixels from the chart's top left corner. */
export interface LabelBox {
  cluster: number;
  /** The label's first study word, whose KWIC a click on the label opens (null: none, a named topic without words). */
  word: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The box a label is drawn in: centred on its cluster's centre (ECharts draws a markPoint's label
 * 'inside' its symbol, here a 1-pixel one), as wide and high as its text (measured in the label's
 * font) with its padding ([top, right, bottom, left], as ECharts takes it) and its border's width
 * on every side.
 */
export function labelBox(
  label: { cluster: number; word: string | null },
  centre: readonly [number, number],
  text: { width: number; height: number },
  padding: readonly [number, number, number, number],
  border: number,
): LabelBox {
  const width = text.width + padding[1] + padding[3] + 2 * border;
  const height = text.height + padding[0] + padding[2] + 2 * border;
  return { cluster: label.cluster, word: label.word, x: centre[0] - width / 2, y: centre[1] - height / 2, width, height };
}

/**
 * The label under the pixel (x, y), edges included: where labels overlap, the one drawn last (it lies
 * on top); null off every label. The map's labels are silent (hover passes through them to the points
 * beneath), so their clicks are hit-tested here rather than by ECharts.
 */
export function labelAt(boxes: readonly LabelBox[], x: number, y: number): LabelBox | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i];
    if (x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) return b;
  }
  return null;
}

/** A brushed area in data coordinates, as ECharts' brush gives it (coordRange). */
export type BrushArea = { brushType: 'rect'; coordRange: [[number, number], [number, number]] } | { brushType: 'polygon'; coordRange: [number, number][] };

/** Whether (x, y) is inside a polygon (even–odd rule, ray casting). */
export function insidePolygon(x: number, y: number, polygon: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The indexes of the points inside any of the areas, ascending; `visible(cluster)` false leaves a hidden cluster's points out. */
export function pointsInAreas(coords: Float32Array, areas: readonly BrushArea[], clusters?: Int32Array, visible?: (cluster: number) => boolean): number[] {
  const out: number[] = [];
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    if (clusters && visible && !visible(clusters[i])) continue;
    const x = coords[2 * i];
    const y = coords[2 * i + 1];
    for (const a of areas) {
      const hit =
        a.brushType === 'rect'
          ? x >= Math.min(...a.coordRange[0]) && x <= Math.max(...a.coordRange[0]) && y >= Math.min(...a.coordRange[1]) && y <= Math.max(...a.coordRange[1])
          : a.coordRange.length >= 3 && insidePolygon(x, y, a.coordRange);
      if (hit) {
        out.push(i);
        break;
      }
    }
  }
  return out;
}

export interface PointGroup {
  cluster: number;
  /** [x0, y0, x1, y1, …] of the group's points. */
  data: Float32Array;
  /** The map point (index into the map's arrays) of each of the group's points. */
  points: Int32Array;
}

/** Above this many points on the map, every series is drawn in ECharts' large mode. */
export const largeMapPoints = 2_000;

/**
 * The `largeThreshold` of each of a map's series (`large: true`), given the map's n points. ECharts
 * decides large mode per series, by the series' own size: with the default 2,000, a map of 10,000
 * points in 20 clusters would be 20 series of 500 separate symbols, each hit-tested and laid out on
 * its own (at 10,000 points a zoom step took 144 ms this way and 51 ms with every series large).
 * So past `largeMapPoints` on the map, every series is large however small it is (threshold 1);
 * a small map keeps separate symbols, which hover one by one.
 */
export function seriesLargeThreshold(n: number): number {
  return n > largeMapPoints ? 1 : largeMapPoints;
}

/** The points split by cluster, clusters ascending with noise and unassigned last: one series each. */
export function groupPoints(coords: Float32Array, clusters: Int32Array): PointGroup[] {
  const counts = new Map<number, number>();
  for (const c of clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
  const order = [...counts.keys()].sort((a, b) => (a < 0) !== (b < 0) ? (a < 0 ? 1 : -1) : a < 0 ? b - a : a - b);
  const groups = new Map<number, PointGroup & { fill: number }>();
  for (const c of order) groups.set(c, { cluster: c, data: new Float32Array(2 * counts.get(c)!), points: new Int32Array(counts.get(c)!), fill: 0 });
  for (let i = 0; i < clusters.length; i++) {
    const g = groups.get(clusters[i])!;
    g.data[2 * g.fill] = coords[2 * i];
    g.data[2 * g.fill + 1] = coords[2 * i + 1];
    g.points[g.fill++] = i;
  }
  return order.map((c) => {
    const { fill: _fill, ...g } = groups.get(c)!;
    return g;
  });
}

export interface ShareSegment {
  label: string;
  count: number;
  /** 0…1 of the cluster. */
  share: number;
  /** Index into the palette: the label's place among all the corpus's labels, so a label has one colour in every row. */
  colour: number;
}

/** A cluster's gold labels as the segments of a bar, largest first, coloured by the label's place in `allLabels`. */
export function shareSegments(gold: readonly { label: string; count: number }[], allLabels: readonly string[]): ShareSegment[] {
  const total = gold.reduce((s, g) => s + g.count, 0);
  if (total === 0) return [];
  return [...gold]
    .filter((g) => g.count > 0)
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .map((g) => ({ label: g.label, count: g.count, share: g.count / total, colour: Math.max(0, allLabels.indexOf(g.label)) }));
}

/** Every gold label the topics mention, in the order of first mention by the largest clusters: one colour each. */
export function goldLabelsOf(topics: readonly { size: number; gold: readonly { label: string; count: number }[] }[]): string[] {
  const totals = new Map<string, number>();
  for (const t of topics) for (const g of t.gold) totals.set(g.label, (totals.get(g.label) ?? 0) + g.count);
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
}

/** The group of a field's values beyond the top ones shown. */
export const other = -3;

export interface FieldGroups {
  /** [n] each map point's group: 0…values.length − 1 its value, `other`, or `unassigned` (no value). */
  codes: Int32Array;
  /** The values shown, the commonest on the map first (ties in the field's own order). */
  values: string[];
  /** How many distinct values `other` stands for (0: none). */
  otherValues: number;
}

/**
 * Each map point's value of a field (a gold label, the split, a metadata field), by document id, with
 * the `top` commonest values on the map kept and the rest folded into `other`: a legend of 20 entries
 * stays readable where a field such as a date has thousands of values.
 *   field.codes[i] indexes field.values for field.documentIds[i], -1 for none.
 */
export function fieldOfPoints(mapDocumentIds: Int32Array, field: { documentIds: Int32Array; codes: Int32Array; values: readonly string[] }, top = 20): FieldGroups {
  const byId = new Map<number, number>();
  for (let i = 0; i < field.documentIds.length; i++) byId.set(field.documentIds[i], field.codes[i]);
  const raw = Int32Array.from(mapDocumentIds, (id) => byId.get(id) ?? -1);
  const counts = new Map<number, number>();
  for (const c of raw) if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  const order = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
  const kept = order.slice(0, top);
  const place = new Map(kept.map((c, j) => [c, j]));
  const codes = Int32Array.from(raw, (c) => (c < 0 ? unassigned : (place.get(c) ?? other)));
  return { codes, values: kept.map((c) => field.values[c]), otherValues: order.length - kept.length };
}

/** The map points (indexes) whose documents are among `documentIds`, ascending. */
export function pointsOfDocuments(mapDocumentIds: Int32Array, documentIds: ArrayLike<number>): number[] {
  const wanted = new Set<number>();
  for (let i = 0; i < documentIds.length; i++) wanted.add(documentIds[i]);
  const out: number[] = [];
  for (let i = 0; i < mapDocumentIds.length; i++) if (wanted.has(mapDocumentIds[i])) out.push(i);
  return out;
}

/** [x0, y0, …] of the given points. */
export function coordsOf(coords: Float32Array, points: readonly number[]): Float32Array {
  const out = new Float32Array(2 * points.length);
  points.forEach((i, k) => {
    out[2 * k] = coords[2 * i];
    out[2 * k + 1] = coords[2 * i + 1];
  });
  return out;
}

/** The map as CSV rows: document id, x, y, cluster (empty where none; -1 noise), and the colour field's value when one is chosen. */
export function mapCsvRows(
  points: { documentIds: Int32Array; coords: Float32Array },
  clusters: Int32Array,
  field: { documentIds: Int32Array; codes: Int32Array; values: readonly string[] } | null,
): (string | number)[][] {
  const valueOf = new Map<number, string>();
  if (field) for (let i = 0; i < field.documentIds.length; i++) if (field.codes[i] >= 0) valueOf.set(field.documentIds[i], field.values[field.codes[i]]);
  return Array.from(points.documentIds, (id, i) => {
    const row: (string | number)[] = [id, points.coords[2 * i], points.coords[2 * i + 1], clusters[i] === unassigned ? '' : clusters[i]];
    if (field) row.push(valueOf.get(id) ?? '');
    return row;
  });
}
