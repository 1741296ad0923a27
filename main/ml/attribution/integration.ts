// Where Integrated Gradients evaluates the gradient along the straight path from the baseline to
// the input, and with what weight: the rules of Captum's approximation_methods.py (Riemann left,
// right and middle, trapezoid, Gauss–Legendre), as points α ∈ [0, 1] with weights summing to 1.
// Gauss–Legendre nodes by Newton's method on P_n (Press et al., Numerical Recipes, gauleg),
// which numpy.polynomial.legendre.leggauss gives to the same digits.

export const integrationRules = ['riemann-left', 'riemann-right', 'riemann-middle', 'trapezoid', 'gauss-legendre'] as const;
export type IntegrationRule = (typeof integrationRules)[number];

export interface IntegrationPoints {
  /** [steps] points along the path, 0 = the baseline, 1 = the input. */
  alphas: Float64Array;
  /** [steps] their weights (Σ = 1): IG = (x − x′) · Σ w_s ∇f(x′ + α_s (x − x′)). */
  weights: Float64Array;
}

export function integrationPoints(rule: IntegrationRule, steps: number): IntegrationPoints {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`integration needs a whole number of steps ≥ 1, not ${steps}`);
  const n = steps;
  const alphas = new Float64Array(n);
  const weights = new Float64Array(n);
  switch (rule) {
    case 'riemann-left':
    case 'riemann-right':
    case 'riemann-middle': {
      const shift = rule === 'riemann-left' ? 0 : rule === 'riemann-right' ? 1 : 0.5;
      for (let i = 0; i < n; i++) {
        alphas[i] = (i + shift) / n;
        weights[i] = 1 / n;
      }
      break;
    }
    case 'trapezoid': {
      // Captum: step sizes [1/(2(n−1)), 1/(n−1), …, 1/(n−1), 1/(2(n−1))] at linspace(0, 1, n).
      if (n < 2) throw new RangeError('the trapezoid rule needs at least 2 steps');
      for (let i = 0; i < n; i++) {
        alphas[i] = i / (n - 1);
        weights[i] = (i === 0 || i === n - 1 ? 0.5 : 1) / (n - 1);
      }
      break;
    }
    case 'gauss-legendre': {
      const { nodes, weights: w } = gaussLegendre(n);
      // From [−1, 1] to [0, 1]: α = (x + 1) / 2, weight w / 2 (Captum's alphas and step sizes).
      for (let i = 0; i < n; i++) {
        alphas[i] = (nodes[i] + 1) / 2;
        weights[i] = w[i] / 2;
      }
      break;
    }
  }
  return { alphas, weights };
}

/** Nodes (ascending) and weights of n-point Gauss–Legendre quadrature on [−1, 1]. */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const half = Math.floor((n + 1) / 2);
  for (let i = 0; i < half; i++) {
    // Tricomi's approximation of the i-th largest root, then Newton on P_n.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      // P_n(x) by the three-term recurrence, and P_n'(x) from P_n and P_{n−1}.
      let previous = 1; // P_0
      let current = x; // P_1
      for (let k = 2; k <= n; k++) {
        const next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
        previous = current;
        current = next;
      }
      derivative = (n * (x * current - previous)) / (x * x - 1);
      const step = current / derivative;
      x -= step;
      if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(x))) break;
    }
    const w = 2 / ((1 - x * x) * derivative * derivative);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}
