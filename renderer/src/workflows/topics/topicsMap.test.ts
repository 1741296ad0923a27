import { describe, expect, it } from 'vitest';
import {
  clusterCentres,
  clustersOfPoints,
  coordsOf,
  fieldOfPoints,
  goldLabelsOf,
  groupPoints,
  insidePolygon,
  labelAt,
  labelBox,
  mapCsvRows,
  other,
  pointsInAreas,
  pointsOfDocuments,
  seriesLargeThreshold,
  shareSegments,
  unassigned,
} from './topicsMap';

describe('clustersOfPoints', () => {
  it('gives each map point its cluster by document id, unassigned where the clustering lacks it', () => {
    const out = clustersOfPoints(Int32Array.from([5, 7, 9]), { documentIds: Int32Array.from([9, 5]), clusters: Int32Array.from([2, -1]) });
    expect([...out]).toEqual([-1, unassigned, 2]);
    expect([...clustersOfPoints(Int32Array.from([1]), null)]).toEqual([unassigned]);
  });
});

describe('clusterCentres', () => {
  it('puts the label on the member nearest the median, not in the empty middle of a crescent', () => {
    // A crescent: points on the upper half of a unit circle; its mean (0, ~0.6) lies off the points.
    const pts: number[] = [];
    for (let a = 0; a <= 8; a++) pts.push(Math.cos((a * Math.PI) / 8), Math.sin((a * Math.PI) / 8));
    // A second, tight cluster and a noise point.
    pts.push(10, 10, 10, 11, 50, 50);
    const clusters = Int32Array.from([...new Array(9).fill(0), 1, 1, -1]);
    const centres = clusterCentres(Float32Array.from(pts), clusters);
    expect(centres.map((c) => [c.cluster, c.count])).toEqual([
      [0, 9],
      [1, 2],
    ]);
    // The top of the arc: (cos 90°, sin 90°).
    expect(centres[0].x).toBeCloseTo(0, 5);
    expect(centres[0].y).toBeCloseTo(1, 5);
    expect([centres[1].x, centres[1].y]).toEqual([10, 10]);
  });
});

describe('label hit-testing', () => {
  // Two labels as the map draws them: padding [2, 4] and a 1-pixel border around 12-pixel text.
  const a = labelBox({ cluster: 0, word: '映画' }, [100, 50], { width: 36, height: 12 }, [2, 4, 2, 4], 1);
  const b = labelBox({ cluster: 1, word: '野球' }, [130, 56], { width: 48, height: 12 }, [2, 4, 2, 4], 1);

  it("boxes a label's text, padding and border, centred on its cluster's centre", () => {
    // 36 + 4 + 4 + 2 wide, 12 + 2 + 2 + 2 high.
    expect(a).toEqual({ cluster: 0, word: '映画', x: 77, y: 41, width: 46, height: 18 });
    expect(labelBox({ cluster: 3, word: 'w' }, [0, 0], { width: 10, height: 10 }, [1, 2, 3, 4], 0)).toMatchObject({ x: -8, y: -7, width: 16, height: 14 });
  });

  it('finds the label under a click, edges included, and none beside it', () => {
    expect(labelAt([a, b], 100, 50)).toBe(a);
    expect(labelAt([a, b], 77, 41)).toBe(a);
    expect(labelAt([a, b], 76.9, 50)).toBeNull();
    expect(labelAt([a, b], 100, 59.1)).toBeNull();
    expect(labelAt([a, b], 150, 60)).toBe(b);
    expect(labelAt([], 100, 50)).toBeNull();
  });

  it('gives the label drawn last where two overlap, as it lies on top', () => {
    // (110, 55) lies in both boxes: a spans x 77–123, y 41–59; b spans x 101–159, y 47–65.
    expect(labelAt([a, b], 110, 55)).toBe(b);
    expect(labelAt([b, a], 110, 55)).toBe(a);
  });
});

describe('brush selection', () => {
  const coords = Float32Array.from([0, 0, 1, 1, 2, 2, 2.5, 0, 0.5, 2]);
  it('finds the points in a rectangle, whichever way it was drawn', () => {
    expect(pointsInAreas(coords, [{ brushType: 'rect', coordRange: [[2.2, 0.5], [2.5, -1]] }])).toEqual([1, 2, 4]);
  });
  it('finds the points in a lasso and in either of two areas, once each', () => {
    const triangle: [number, number][] = [[-1, -1], [4, -1], [-1, 4]];
    expect(insidePolygon(0, 0, triangle)).toBe(true);
    expect(insidePolygon(3, 3, triangle)).toBe(false);
    expect(pointsInAreas(coords, [{ brushType: 'polygon', coordRange: triangle }, { brushType: 'rect', coordRange: [[-1, 1], [-1, 1]] }])).toEqual([0, 1, 3, 4]);
  });
  it('leaves out the clusters the legend hides', () => {
    const clusters = Int32Array.from([0, 1, 0, 1, 0]);
    expect(pointsInAreas(coords, [{ brushType: 'rect', coordRange: [[-9, 9], [-9, 9]] }], clusters, (c) => c === 1)).toEqual([1, 3]);
  });
});

describe('groupPoints', () => {
  it('splits points by cluster, clusters ascending, noise then unassigned last', () => {
    const groups = groupPoints(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), Int32Array.from([1, -1, 0, 1]));
    expect(groups.map((g) => g.cluster)).toEqual([0, 1, -1]);
    expect([...groups[1].data]).toEqual([0, 1, 6, 7]);
    expect([...groups[1].points]).toEqual([0, 3]);
    expect(groupPoints(Float32Array.from([0, 0, 1, 1]), Int32Array.from([unassigned, -1])).map((g) => g.cluster)).toEqual([-1, unassigned]);
  });
});

describe('seriesLargeThreshold', () => {
  // ECharts' own rule (preparePipelineContext): a series with large: true is drawn large when its count reaches largeThreshold.
  const large = (seriesPoints: number, mapPoints: number) => seriesPoints >= seriesLargeThreshold(mapPoints);
  it('puts every series of a map past 2,000 points in large mode, however few points it has', () => {
    expect(large(1, 2_001)).toBe(true);
    expect(large(500, 10_000)).toBe(true);
    expect(large(5_000, 100_000)).toBe(true);
  });
  it('keeps separate symbols on a small map', () => {
    expect(large(1_999, 2_000)).toBe(false);
    expect(large(120, 120)).toBe(false);
    expect(large(2_000, 2_000)).toBe(true);
  });
});

describe('gold shares', () => {
  it('gives segments largest first, each label one colour across rows', () => {
    const all = goldLabelsOf([
      { size: 10, gold: [{ label: 'b', count: 7 }, { label: 'a', count: 3 }] },
      { size: 5, gold: [{ label: 'a', count: 5 }] },
    ]);
    expect(all).toEqual(['a', 'b']);
    const segs = shareSegments([{ label: 'a', count: 3 }, { label: 'b', count: 7 }, { label: 'c', count: 0 }], all);
    expect(segs).toEqual([
      { label: 'b', count: 7, share: 0.7, colour: 1 },
      { label: 'a', count: 3, share: 0.3, colour: 0 },
    ]);
    expect(shareSegments([], all)).toEqual([]);
  });
});

describe('fieldOfPoints', () => {
  // A field over five documents: values a, b, c; document 14 has none.
  const field = { documentIds: Int32Array.from([10, 11, 12, 13, 14]), codes: Int32Array.from([0, 1, 1, 2, -1]), values: ['a', 'b', 'c'] };

  it("gives each map point its value's group by document id, commonest on the map first, no value as unassigned", () => {
    // The map holds documents 14, 12, 11, 10, 99 (99 unknown to the field): b twice, a once.
    const g = fieldOfPoints(Int32Array.from([14, 12, 11, 10, 99]), field);
    expect(g.values).toEqual(['b', 'a']);
    expect([...g.codes]).toEqual([unassigned, 0, 0, 1, unassigned]);
    expect(g.otherValues).toBe(0);
  });

  it('keeps the top N values and folds the rest into other', () => {
    // 30 distinct values, value k on k + 1 points: the top 20 are values 29 … 10.
    const ids: number[] = [];
    const codes: number[] = [];
    for (let k = 0; k < 30; k++) for (let j = 0; j <= k; j++) (ids.push(ids.length), codes.push(k));
    const many = { documentIds: Int32Array.from(ids), codes: Int32Array.from(codes), values: Array.from({ length: 30 }, (_, k) => `v${k}`) };
    const g = fieldOfPoints(Int32Array.from(ids), many, 20);
    expect(g.values).toEqual(Array.from({ length: 20 }, (_, j) => `v${29 - j}`));
    expect(g.otherValues).toBe(10);
    ids.forEach((_, i) => expect(g.codes[i]).toBe(codes[i] >= 10 ? 29 - codes[i] : other));
    // Ties keep the field's order (its commonest-first order from the backend).
    expect(fieldOfPoints(Int32Array.from([10, 13]), field, 1)).toEqual({ codes: Int32Array.from([0, other]), values: ['a'], otherValues: 1 });
  });

  it('gives groups that groupPoints splits into one series each, other and unassigned last', () => {
    const g = fieldOfPoints(Int32Array.from([13, 11, 10, 12, 14]), field, 2);
    const coords = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const groups = groupPoints(coords, g.codes);
    expect(groups.map((x) => x.cluster)).toEqual([0, 1, unassigned, other]);
    expect([...groups[0].points]).toEqual([1, 3]);
    // Brushing the whole map with the "other" group hidden leaves its point out.
    const all = pointsInAreas(coords, [{ brushType: 'rect', coordRange: [[-1, 5], [-1, 5]] }], g.codes, (c) => c !== other);
    expect(all).toEqual([1, 2, 3, 4]);
  });
});

describe('pointsOfDocuments and coordsOf', () => {
  it('finds the map points of a set of documents (search matches) and their coordinates', () => {
    const ids = Int32Array.from([7, 3, 9, 4]);
    const pts = pointsOfDocuments(ids, Int32Array.from([4, 7, 100]));
    expect(pts).toEqual([0, 3]);
    expect([...coordsOf(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), pts)]).toEqual([1, 2, 7, 8]);
  });
});

describe('mapCsvRows', () => {
  it('writes id, x, y, cluster and the colour field value, empty where there is none', () => {
    const points = { documentIds: Int32Array.from([5, 6]), coords: Float32Array.from([0.5, 1, -2, 3]) };
    const field = { documentIds: Int32Array.from([6, 5]), codes: Int32Array.from([0, -1]), values: ['news'] };
    expect(mapCsvRows(points, Int32Array.from([2, unassigned]), field)).toEqual([
      [5, 0.5, 1, 2, ''],
      [6, -2, 3, '', 'news'],
    ]);
    expect(mapCsvRows(points, Int32Array.from([-1, 0]), null)).toEqual([
      [5, 0.5, 1, -1],
      [6, -2, 3, 0],
    ]);
  });
});
