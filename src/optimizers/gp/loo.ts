/**
 * Leave-one-out predictions of a fitted GP in closed form (Rasmussen & Williams 2006, §5.4.2): with
 * A = (K + noise·I)⁻¹ and α = A(y − m), point i predicted from the others has mean yᵢ − αᵢ/Aᵢᵢ and variance
 * 1/Aᵢᵢ. The hyperparameters and the constant mean stay those fitted on all points (a cheap, standard
 * approximation), so one inverse gives all n predictions.
 */
import { cholInverse } from '../linalg.js';
import type { GpModel } from './model.js';

export function looPredictions(model: GpModel, y: readonly number[]): { mean: number[]; variance: number[] } {
  const n = model.X.length;
  const inv = cholInverse(model.L, n);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let i = 0; i < n; i++) {
    const aii = inv[i * n + i] as number;
    mean.push((y[i] as number) - (model.alpha[i] as number) / aii);
    variance.push(1 / aii);
  }
  return { mean, variance };
}
