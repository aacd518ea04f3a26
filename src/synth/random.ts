/**
 * Seeded pseudo-random numbers for the synthetic dataset (xoshiro128**, seeded through splitmix32).
 * Every component draws from its own named stream (`fork`), so adding a draw in one component does not
 * shift the numbers of another, and one seed always gives byte-identical files.
 */

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** FNV-1a of a label, used to derive a child stream's seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    let state = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, word] = splitmix32(state);
      state = next;
      words.push(word);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
  }

  /** An independent stream named by `label` (same seed and label → same stream). */
  fork(label: string): Random {
    return new Random(Math.imul(this.seed ^ hashLabel(label), 0x9e3779b1) ^ hashLabel(`${label}#`));
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller; one value per call keeps streams simple to reason about). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  gaussian(mean: number, sd: number): number {
    return mean + sd * this.normal();
  }

  /** Poisson by multiplication of uniforms (small means only). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 through the boost u^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * this.next() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /** A vector of independent N(0, 1/dim) entries (norm ≈ 1). */
  gaussianVector(dim: number): Float64Array {
    const v = new Float64Array(dim);
    const sd = 1 / Math.sqrt(dim);
    for (let i = 0; i < dim; i++) v[i] = sd * this.normal();
    return v;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Stationary AR(1) process with unit marginal variance: x ← ρx + √(1-ρ²)ε. */
export class Ar1 {
  value: number;
  private readonly innovation: number;

  constructor(
    private readonly rng: Random,
    private readonly rho: number,
  ) {
    this.value = rng.normal();
    this.innovation = Math.sqrt(1 - rho * rho);
  }

  step(): number {
    this.value = this.rho * this.value + this.innovation * this.rng.normal();
    return this.value;
  }
}
