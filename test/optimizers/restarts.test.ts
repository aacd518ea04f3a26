import { describe, expect, it } from 'vitest';
import { dycorsStepRule } from '../../src/optimizers/candidates.js';
import { proposeAuto, proposeGp } from '../../src/optimizers/gpbo.js';
import { buildProblem, type Problem } from '../../src/optimizers/problem.js';
import { replaySteps } from '../../src/optimizers/stepSize.js';
import type { Trial } from '../../src/space/types.js';
import { BRANIN } from './helpers.js';

/**
 * A Branin-space study of `count` distinct points where nothing after the first point improves: every
 * evaluation after the initial design is a DYCORS failure, so the radius halves every failTol evaluations.
 */
function stalled(count: number, budget: number): Problem {
  const trials: Trial[] = Array.from({ length: count }, (_, i) => ({
    params: { x1: -5 + 15 * ((0.5 + i * 0.618034) % 1), x2: 15 * ((0.25 + i * 0.414214) % 1) },
    score: i === 0 ? 0 : 1 + 0.01 * ((i * 7) % 5),
  }));
  return buildProblem({ space: BRANIN, trials, pending: [], n: 1, seed: 3, minimize: true, budget });
}

describe('auto: restart after a DYCORS collapse', () => {
  // d = 2, budget 60: design of 6, failTol 4, so seven halvings (0.2 → 0.2·2⁻⁷ < R_MIN) end at evaluation 34.
  const budget = 60;

  it('replays the collapse and pauses the local search for the given evaluations', () => {
    const rule = dycorsStepRule(stalled(40, budget), 4);
    expect(replaySteps(stalled(33, budget), rule)).toEqual({ size: 0.2 * 0.5 ** 6, resumeAt: 0 });
    expect(replaySteps(stalled(34, budget), rule)).toEqual({ size: 0.2, resumeAt: 38 });
    // The paused evaluations are not judged: the radius is still whole when DYCORS resumes.
    expect(replaySteps(stalled(38, budget), rule)).toEqual({ size: 0.2, resumeAt: 38 });
  });

  it('goes back to global log-EI right after the collapse, then resumes DYCORS', () => {
    // Past 40 % of the budget, so without the restart rule auto would be in its DYCORS phase.
    const justCollapsed = stalled(35, budget);
    expect(proposeAuto(justCollapsed, 11)).toEqual(proposeGp(justCollapsed, 11, 'global'));
    expect(proposeAuto(justCollapsed, 11)).not.toEqual(proposeGp(justCollapsed, 11, 'dycors'));
    const resumed = stalled(39, budget);
    expect(proposeAuto(resumed, 11)).toEqual(proposeGp(resumed, 11, 'dycors', dycorsStepRule(resumed, 4)));
  });
});
