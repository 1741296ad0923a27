// A plain-loop BERT-family encoder in float64, written from the papers and transformers'
// modeling_bert.py without any tfjs op: the independent reference the tfjs encoder is
// checked against. Slow and simple on purpose. Weights are in torch's layout (Linear [out, in]).

export interface RefConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  layerNormEps: number;
  act: 'gelu' | 'relu';
  padTokenId: number;
  /** RoBERTa-style positions (from pad+1 over non-padding tokens). */
  robertaPositions: boolean;
  hasTokenTypes: boolean;
}

export type RefWeights = Map<string, { shape: number[]; data: Float32Array }>;

// Abramowitz–Stegun 7.1.26 is too coarse for 1e-6 work; use a series/continued-fraction erf.
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (ax < 3) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)).
    let sum = 0;
    let term = ax;
    for (let n = 0; n < 100; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
      term *= (-ax * ax) / (n + 1);
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  // Continued fraction for erfc for large |x|.
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return sign * (1 - erfc);
}

function get(w: RefWeights, name: string): Float32Array {
  const t = w.get(name);
  if (!t) throw new Error(`reference: no weight ${name}`);
  return t.data;
}

/** y[t][o] = Σ_i x[t][i]·W[o][i] + b[o] */
function linear(x: number[][], w: Float32Array, b: Float32Array, out: number): number[][] {
  return x.map((row) => {
    const inDim = row.length;
    const y = new Array<number>(out);
    for (let o = 0; o < out; o++) {
      let s = b[o];
      for (let i = 0; i < inDim; i++) s += row[i] * w[o * inDim + i];
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: number[][], g: Float32Array, b: Float32Array, eps: number): number[][] {
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, v) => a + v, 0) / n;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i] + b[i]);
  });
}

function act(v: number, kind: RefConfig['act']): number {
  return kind === 'gelu' ? 0.5 * v * (1 + erf(v / Math.SQRT2)) : Math.max(0, v);
}

/**
 * Hidden states (embeddings output, then each layer) for one sequence, as [T][H] arrays.
 * `names` maps our parameter roles to this checkpoint's tensor names.
 */
export function referenceEncode(
  c: RefConfig,
  w: RefWeights,
  names: (role: string, layer?: number) => string,
  ids: number[],
  mask: number[],
  types: number[],
): number[][][] {
  const H = c.hiddenSize;
  const T = ids.length;
  const word = get(w, names('word'));
  const pos = get(w, names('position'));
  const type = c.hasTokenTypes ? get(w, names('tokenType')) : null;
  let seen = 0;
  let x: number[][] = ids.map((id, t) => {
    let p = t;
    if (c.robertaPositions) {
      const real = id !== c.padTokenId ? 1 : 0;
      seen += real;
      p = seen * real + c.padTokenId;
    }
    return Array.from({ length: H }, (_, h) => word[id * H + h] + pos[p * H + h] + (type ? type[types[t] * H + h] : 0));
  });
  x = layerNorm(x, get(w, names('embNormW')), get(w, names('embNormB')), c.layerNormEps);
  const states = [x];
  const nh = c.numHeads;
  const hs = H / nh;
  for (let l = 0; l < c.numLayers; l++) {
    const q = linear(x, get(w, names('qW', l)), get(w, names('qB', l)), H);
    const k = linear(x, get(w, names('kW', l)), get(w, names('kB', l)), H);
    const v = linear(x, get(w, names('vW', l)), get(w, names('vB', l)), H);
    const ctx: number[][] = Array.from({ length: T }, () => new Array<number>(H).fill(0));
    for (let h = 0; h < nh; h++) {
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j < T; j++) {
          if (!mask[j]) {
            scores.push(-Infinity);
            continue;
          }
          let s = 0;
          for (let d = 0; d < hs; d++) s += q[i][h * hs + d] * k[j][h * hs + d];
          scores.push(s / Math.sqrt(hs));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => (s === -Infinity ? 0 : Math.exp(s - m)));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < T; j++) for (let d = 0; d < hs; d++) ctx[i][h * hs + d] += (e[j] / z) * v[j][h * hs + d];
      }
    }
    const attn = linear(ctx, get(w, names('oW', l)), get(w, names('oB', l)), H);
    x = layerNorm(attn.map((r, i) => r.map((val, j) => val + x[i][j])), get(w, names('n1W', l)), get(w, names('n1B', l)), c.layerNormEps);
    const inter = linear(x, get(w, names('iW', l)), get(w, names('iB', l)), w.get(names('iB', l))!.shape[0]).map((r) => r.map((val) => act(val, c.act)));
    const out = linear(inter, get(w, names('fW', l)), get(w, names('fB', l)), H);
    x = layerNorm(out.map((r, i) => r.map((val, j) => val + x[i][j])), get(w, names('n2W', l)), get(w, names('n2B', l)), c.layerNormEps);
    states.push(x);
  }
  return states;
}

/** transformers' BERT tensor names (with an optional prefix such as "bert."). */
export function bertNames(prefix: string): (role: string, layer?: number) => string {
  const L = (l?: number) => `${prefix}encoder.layer.${l}`;
  return (role, l) =>
    ({
      word: `${prefix}embeddings.word_embeddings.weight`,
      position: `${prefix}embeddings.position_embeddings.weight`,
      tokenType: `${prefix}embeddings.token_type_embeddings.weight`,
      embNormW: `${prefix}embeddings.LayerNorm.weight`,
      embNormB: `${prefix}embeddings.LayerNorm.bias`,
      qW: `${L(l)}.attention.self.query.weight`,
      qB: `${L(l)}.attention.self.query.bias`,
      kW: `${L(l)}.attention.self.key.weight`,
      kB: `${L(l)}.attention.self.key.bias`,
      vW: `${L(l)}.attention.self.value.weight`,
      vB: `${L(l)}.attention.self.value.bias`,
      oW: `${L(l)}.attention.output.dense.weight`,
      oB: `${L(l)}.attention.output.dense.bias`,
      n1W: `${L(l)}.attention.output.LayerNorm.weight`,
      n1B: `${L(l)}.attention.output.LayerNorm.bias`,
      iW: `${L(l)}.intermediate.dense.weight`,
      iB: `${L(l)}.intermediate.dense.bias`,
      fW: `${L(l)}.output.dense.weight`,
      fB: `${L(l)}.output.dense.bias`,
      n2W: `${L(l)}.output.LayerNorm.weight`,
      n2B: `${L(l)}.output.LayerNorm.bias`,
    })[role]!;
}
