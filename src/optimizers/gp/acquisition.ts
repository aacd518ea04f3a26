/**
 * Log expected improvement (Ament et al. 2023 form, numerically safe in the far tail) for minimisation, and
 * its maximisation over a mixed space: a scored pool of Sobol and local candidates, then from the best starts
 * alternate L-BFGS over the numeric coordinates with exhaustive or neighbour sweeps over discrete ones.
 */
import { cardinality, decodeValue, encodeValue, snap } from '../../space/encoding.js';
import type { Dimension, Space } from '../../space/types.js';
import { minimizeBox } from '../lbfgs.js';
import { type GpModel, predict, predictWithGradient } from './model.js';
import { logH } from './normal.js';

/** log EI at x for threshold f0 (improvement = f0 − f). */
export function logEi(model: GpModel, f0: number, x: readonly number[]): number {
  const { mean, variance } = predict(model, x);
  const sd = Math.sqrt(variance);
  return Math.log(sd) + logH((f0 - mean) / sd).value;
}

export function logEiWithGradient(
  model: GpModel,
  f0: number,
  x: readonly number[],
): { value: number; grad: Float64Array } {
  const p = predictWithGradient(model, x);
  const sd = Math.sqrt(p.variance);
  const z = (f0 - p.mean) / sd;
  const h = logH(z);
  const grad = new Float64Array(x.length);
  for (let c = 0; c < x.length; c++) {
    const dsd = (p.dVariance[c] as number) / (2 * sd);
    const dz = (-(p.dMean[c] as number) - z * dsd) / sd;
    grad[c] = dsd / sd + h.slope * dz;
  }
  return { value: Math.log(sd) + h.value, grad };
}

export interface AcquisitionProblem {
  space: Space;
  /** Box to search in (unit coordinates); the whole cube when absent. */
  lower?: readonly number[];
  upper?: readonly number[];
  value: (x: readonly number[]) => number;
  valueAndGradient: (x: readonly number[]) => { value: number; grad: Float64Array };
}

/** Discrete coordinates with few values are swept exhaustively; larger integer ranges by growing steps. */
const EXHAUSTIVE_LIMIT = 16;

/**
 * Maximise an acquisition over the space, starting from the best `starts` points of `pool` (already snapped).
 * Returns the best point found and its value.
 */
export function maximizeAcquisition(
  acq: AcquisitionProblem,
  pool: readonly number[][],
  starts: number,
): { x: number[]; value: number } {
  const dims = acq.space.dimensions;
  const scoredPool = pool.map((x) => ({ x, value: acq.value(x) }));
  scoredPool.sort((a, b) => b.value - a.value);
  let best = scoredPool[0] ?? { x: snap(acq.space, []), value: Number.NEGATIVE_INFINITY };
  for (const start of scoredPool.slice(0, starts)) {
    const local = refine(acq, dims, start.x, start.value);
    if (local.value > best.value) best = local;
  }
  return best;
}

/** Coordinate-block ascent from x: L-BFGS on the numeric coordinates, then discrete sweeps, until stable. */
function refine(
  acq: AcquisitionProblem,
  dims: readonly Dimension[],
  x0: number[],
  v0: number,
): { x: number[]; value: number } {
  const continuous = dims.flatMap((dim, j) =>
    dim.kind === 'real' || (dim.kind === 'int' && cardinality(dim) > EXHAUSTIVE_LIMIT) ? [j] : [],
  );
  const discrete = dims.flatMap((dim, j) => (dim.kind !== 'real' ? [j] : []));
  let x = x0.slice();
  let value = v0;
  for (let round = 0; round < 3; round++) {
    let changed = false;
    if (continuous.length > 0) {
      const sub = (z: ArrayLike<number>) => {
        const full = x.slice();
        continuous.forEach((j, k) => {
          full[j] = z[k] as number;
        });
        return full;
      };
      const res = minimizeBox(
        (z) => {
          const r = acq.valueAndGradient(sub(z));
          return { value: -r.value, grad: Float64Array.from(continuous, (j) => -(r.grad[j] as number)) };
        },
        continuous.map((j) => x[j] as number),
        continuous.map((j) => acq.lower?.[j] ?? 0),
        continuous.map((j) => acq.upper?.[j] ?? 1),
        { maxIter: 50, gtol: 1e-6, ftol: 1e-9 },
      );
      const cand = snap(acq.space, sub(res.x));
      const v = acq.value(cand);
      if (v > value + 1e-12) {
        x = cand;
        value = v;
        changed = true;
      }
    }
    for (const j of discrete) {
      const lo = acq.lower?.[j] ?? 0;
      const hi = acq.upper?.[j] ?? 1;
      for (const u of discreteMoves(dims[j] as Dimension, x[j] as number).filter((v) => v >= lo && v <= hi)) {
        const cand = x.slice();
        cand[j] = u;
        const v = acq.value(cand);
        if (v > value + 1e-12) {
          x = cand;
          value = v;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { x, value };
}

/** Unit coordinates (grid representatives) to try for a discrete dimension currently at u. */
function discreteMoves(dim: Dimension, u: number): number[] {
  if (dim.kind === 'choice')
    return dim.choices.map((c) => encodeValue(dim, c)).filter((v) => Math.abs(v - u) > 1e-12);
  if (dim.kind === 'real') return [];
  const current = decodeValue(dim, u) as number;
  const values =
    cardinality(dim) <= EXHAUSTIVE_LIMIT
      ? Array.from({ length: cardinality(dim) }, (_, i) => dim.low + i)
      : [1, 2, 4, 8, 16].flatMap((step) => [current - step, current + step]);
  return values.filter((k) => k !== current && k >= dim.low && k <= dim.high).map((k) => encodeValue(dim, k));
}
