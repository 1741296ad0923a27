import { describe, expect, it } from 'vitest';
import { gaussLegendre, integrationPoints, integrationRules } from './integration';

describe('gaussLegendre', () => {
  it("gives numpy.polynomial.legendre.leggauss(7)'s nodes and weights", () => {
    // numpy 1.24.2, printed with repr.
    const nodes = [-0.9491079123427585, -0.7415311855993945, -0.4058451513773972, 0.0, 0.4058451513773972, 0.7415311855993945, 0.9491079123427585];
    const weights = [0.12948496616887065, 0.2797053914892766, 0.3818300505051183, 0.41795918367346896, 0.3818300505051183, 0.2797053914892766, 0.12948496616887065];
    const g = gaussLegendre(7);
    nodes.forEach((x, i) => expect(g.nodes[i]).toBeCloseTo(x, 14));
    weights.forEach((w, i) => expect(g.weights[i]).toBeCloseTo(w, 14));
  });

  it('integrates every polynomial of degree ≤ 2n − 1 exactly', () => {
    for (const n of [1, 2, 5, 50]) {
      const g = gaussLegendre(n);
      for (let degree = 0; degree <= 2 * n - 1; degree += n > 5 ? 7 : 1) {
        const exact = degree % 2 === 1 ? 0 : 2 / (degree + 1);
        const sum = g.nodes.reduce((s, x, i) => s + g.weights[i] * x ** degree, 0);
        expect(sum, `n ${n}, x^${degree}`).toBeCloseTo(exact, 12);
      }
    }
  });
});

describe('integrationPoints', () => {
  it("places Captum's points: Riemann left, right, middle and trapezoid worked by hand for 4 steps", () => {
    expect([...integrationPoints('riemann-left', 4).alphas]).toEqual([0, 0.25, 0.5, 0.75]);
    expect([...integrationPoints('riemann-right', 4).alphas]).toEqual([0.25, 0.5, 0.75, 1]);
    expect([...integrationPoints('riemann-middle', 4).alphas]).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect([...integrationPoints('riemann-middle', 4).weights]).toEqual([0.25, 0.25, 0.25, 0.25]);
    const trapezoid = integrationPoints('trapezoid', 4);
    expect([...trapezoid.alphas]).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect([...trapezoid.weights]).toEqual([1 / 6, 1 / 3, 1 / 3, 1 / 6]);
    expect(() => integrationPoints('trapezoid', 1)).toThrow(RangeError);
  });

  it('has weights summing to 1 and integrates x² over [0, 1] to 1/3 (exactly for the trapezoid limit, Gauss–Legendre and the midpoint error h²/12)', () => {
    for (const rule of integrationRules) {
      const { alphas, weights } = integrationPoints(rule, 50);
      expect(weights.reduce((a, b) => a + b, 0), rule).toBeCloseTo(1, 12);
      const integral = alphas.reduce((s, a, i) => s + weights[i] * a * a, 0);
      expect(Math.abs(integral - 1 / 3), rule).toBeLessThan(rule === 'gauss-legendre' ? 1e-14 : rule.startsWith('riemann-m') ? 1 / 12 / 2500 + 1e-15 : 0.011);
    }
  });
});
