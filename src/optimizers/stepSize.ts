/**
 * Success/failure step-size control shared by DYCORS (perturbation radius) and the GP trust region (box side),
 * replayed from the history so it needs no stored state: after the initial design every evaluated point is a
 * success when it beats the best so far by 1e-3·|best|, a failure otherwise; `succTol` successes in a row
 * double the size (up to `max`), `failTol` failures in a row halve it, and a size below `min` restarts at
 * `initial` (a restart around the incumbent).
 */
import type { Problem } from './problem.js';

export interface StepRule {
  initial: number;
  min: number;
  max: number;
  succTol: number;
  failTol: number;
}

export function replayStepSize(p: Problem, rule: StepRule): number {
  let size = rule.initial;
  let best = Number.POSITIVE_INFINITY;
  let successes = 0;
  let failures = 0;
  p.obs.forEach((o, i) => {
    if (i >= p.designSize && Number.isFinite(best)) {
      if (!o.failed && o.loss < best - 1e-3 * Math.abs(best)) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      if (successes >= rule.succTol) {
        size = Math.min(2 * size, rule.max);
        successes = 0;
      }
      if (failures >= rule.failTol) {
        size /= 2;
        failures = 0;
      }
      if (size < rule.min) size = rule.initial;
    }
    if (!o.failed) best = Math.min(best, o.loss);
  });
  return size;
}
