import { describe, expect, it } from 'vitest';
import { confidenceOf, decide, probabilitiesOf } from './classify';

describe('classify', () => {
  it('gives softmax probabilities, the argmax and its probability for single-label', () => {
    // softmax([1, 2, 0]) = e^[−1, 0, −2] / (e^−1 + 1 + e^−2) = [0.24472847, 0.66524096, 0.09003057] (by hand, as scipy.special.softmax).
    const p = probabilitiesOf([1, 2, 0], 'single-label');
    [0.24472847, 0.66524096, 0.09003057].forEach((x, i) => expect(p[i]).toBeCloseTo(x, 7));
    expect(decide(p, 'single-label', 0.5)).toEqual([1]);
    expect(confidenceOf(p, 'single-label')).toBeCloseTo(0.66524096, 7);
    // Large logits do not overflow.
    expect(probabilitiesOf([1000, 0], 'single-label')[0]).toBe(1);
  });

  it('gives sigmoids, p > threshold strictly, and the least sure decision for multi-label', () => {
    const p = probabilitiesOf([0, 2, -1], 'multi-label');
    // sigmoid(0) = 0.5 exactly, which is not above 0.5 (as logit > 0).
    expect(p[0]).toBe(0.5);
    expect(p[1]).toBeCloseTo(0.88079708, 7);
    expect(p[2]).toBeCloseTo(0.26894142, 7);
    expect(decide(p, 'multi-label', 0.5)).toEqual([1]);
    expect(decide(p, 'multi-label', 0.2)).toEqual([0, 1, 2]);
    expect(confidenceOf(p, 'multi-label')).toBe(0.5);
  });

  it('measures a multi-label decision at the threshold it was made with', () => {
    // At 0.3 the first label is predicted with p = 0.35: the model gives that decision 0.35 (and the
    // second's, not predicted, 1 − 0.1 = 0.9), where max(p, 1 − p) would say 0.65 for a decision not made.
    const p = [0.35, 0.1, 0.8];
    expect(decide(p, 'multi-label', 0.3)).toEqual([0, 2]);
    expect(confidenceOf(p, 'multi-label', 0.3)).toBeCloseTo(0.35, 12);
    expect(confidenceOf(p, 'multi-label', 0.5)).toBeCloseTo(0.65, 12);
  });
});
