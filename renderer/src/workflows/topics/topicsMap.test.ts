import { describe, expect, it } from 'vitest';
import { clusterCentres, clustersOfPoints, goldLabelsOf, groupPoints, insidePolygon, pointsInAreas, shareSegments, unassigned } from './topicsMap';

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
