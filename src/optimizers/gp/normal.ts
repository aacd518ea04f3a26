/**
 * Standard normal functions with the accuracy log-EI needs far in the tail, where EI underflows: the Mills
 * ratio by Laplace's continued fraction for |z| > 3 and a positive-term erf series otherwise.
 */

const SQRT2PI = Math.sqrt(2 * Math.PI);
const TAIL = 3;

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT2PI;
}

/** erf(x) for |x| ≤ ~2.2 by the series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!, whose terms are all positive. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x * x) / (2 * k + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** Continued fraction 1/(t + (k0+1)/(t + (k0+2)/(t + …))) evaluated bottom-up (t ≥ 3 converges quickly). */
function fraction(t: number, k0: number): number {
  let acc = t;
  for (let k = k0 + 80; k > k0; k--) acc = t + k / acc;
  return 1 / acc;
}

/** Mills ratio Φ(−t)/φ(t) = 1/(t + 1/(t + 2/(t + …))) for t ≥ 3. */
function millsRatio(t: number): number {
  return 1 / (t + fraction(t, 1));
}

export function normalCdf(z: number): number {
  if (z < -TAIL) return normalPdf(z) * millsRatio(-z);
  if (z > TAIL) return 1 - normalPdf(z) * millsRatio(z);
  return 0.5 * (1 + erfSeries(z / Math.SQRT2));
}

/**
 * log h(z) with h(z) = z·Φ(z) + φ(z) (EI = σ·h((f0 − μ)/σ)), and h'(z)/h(z) = Φ(z)/h(z). In the lower tail
 * h(−t) = φ(t)·R(t)·c(t) where R is the Mills ratio and c = 1/R − t, so nothing cancels.
 */
export function logH(z: number): { value: number; slope: number } {
  if (z >= -TAIL) {
    const cdf = normalCdf(z);
    const h = z * cdf + normalPdf(z);
    return { value: Math.log(h), slope: cdf / h };
  }
  const t = -z;
  const c = fraction(t, 1);
  const r = 1 / (t + c);
  return { value: -0.5 * t * t - Math.log(SQRT2PI) + Math.log(r) + Math.log(c), slope: 1 / c };
}

/** Inverse normal CDF by Newton steps on normalCdf (only used on a handful of ranks per fit). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  // Start from a logistic approximation, then refine.
  let z = Math.log(p / (1 - p)) / 1.702;
  for (let i = 0; i < 50; i++) {
    const step = (normalCdf(z) - p) / Math.max(1e-300, normalPdf(z));
    z -= Math.max(-2, Math.min(2, step));
    if (Math.abs(step) < 1e-12) break;
  }
  return z;
}
