/**
 * Success/failure step-size control shared by DYCORS (perturbation radius) and the GP trust region (box side),
 * replayed from the history so it needs no stored state: after the initial design every evaluated point is a
 * success when it beats the best so far by 1e-3·|best|, a failure otherwise; `succTol` successes in a row
 * double the size (up to `max`), `failTol` failures in a row halve it, and a size below `min` restarts at
 * `initial` (a restart around the incumbent, or after `pause` evaluations spent elsewhere).
 */
import type { Problem } from './problem.js';

export interface StepRule {
  initial: number;
  min: number;
  max: number;
  succTol: number;
  failTol: number;
  /**
   * Evaluations after a collapse that the caller spends away from the incumbent (`auto`: global log-EI). The
   * replay does not judge them, so the local search resumes at `initial` instead of shrinking on points it
   * did not choose. Default 0.
   */
  pause?: number;
}

export interface StepState {
  size: number;
  /** Evaluations (in `p.obs` order) before which the local search is paused after its latest collapse; 0 if none. */
  resumeAt: number;
}

export function replaySteps(p: Problem, rule: StepRule): StepState {
  let size = rule.initial;
  let resumeAt = 0;
  let best = Number.POSITIVE_INFINITY;
  let successes = 0;
  let failures = 0;
  p.obs.forEach((o, i) => {
    if (i >= p.designSize && i >= resumeAt && Number.isFinite(best)) {
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
      if (size < rule.min) {
        size = rule.initial;
        resumeAt = i + 1 + (rule.pause ?? 0);
      }
    }
    if (!o.failed) best = Math.min(best, o.loss);
  });
  return { size, resumeAt };
}

export function replayStepSize(p: Problem, rule: StepRule): number {
  return replaySteps(p, rule).size;
}
