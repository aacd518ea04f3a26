import { describe, expect, it } from 'vitest';
import type { StudyPlan, StudyProgress } from '../../src/study/types.js';
import { StudyControl } from '../../src/workflows/studyControl.js';

const plan: StudyPlan = {
  metric: 'HOTA',
  minimize: false,
  baseline: true,
  optimizers: [{ label: 'tpe', name: 'tpe', maxIteration: 4, redundancy: 1, batchSize: 2 }],
  thresholdZeroScores: 1,
  thresholdAppFails: 1,
  trialTimeoutMs: 1000,
  heartbeatTimeoutMs: 1000,
  reevaluateTop: 0,
  reevaluateRepeats: 0,
  validate: false,
  gpuQueue: 'q',
  stages: 3,
};
const fresh: StudyProgress = {
  nextTrial: 0,
  baselineDone: false,
  reevaluationDone: false,
  validationDone: false,
  baselineScore: null,
  iterations: {},
  appFails: 0,
  zeroScores: 0,
  trialsDone: 0,
  pruned: 0,
  best: null,
  bestPerOptimizer: {},
};
const ticket = (trial: number, optimizer = 'tpe') => ({ trial, optimizer, iteration: trial, repeat: 0 });

function prepared(): StudyControl {
  const control = new StudyControl('s', '/out', false);
  control.prepared(plan, fresh);
  return control;
}

describe('study control state', () => {
  it('is starting until prepared', () => {
    const control = new StudyControl('s', '/out', false);
    expect(control.status(0, 0)).toMatchObject({ state: 'starting', trialsTotal: 0, optimizers: [] });
    control.prepared(plan, fresh);
    expect(control.status(0, 0)).toMatchObject({ state: 'running', trialsTotal: 5, pruned: 0 });
  });

  it('counts an infeasible trial apart and never makes it best, whatever it scored', () => {
    const control = new StudyControl('s', '/out', false);
    control.prepared({ ...plan, constraints: [{ metric: 'fps', min: 30 }] }, fresh);
    control.record(ticket(1), { status: 'ok', score: 0.5, trialMs: 1 });
    control.record(ticket(2), { status: 'ok', score: 0.9, feasible: false, trialMs: 1 });
    expect(control.status(0, 0)).toMatchObject({
      best: { score: 0.5, trial: 1 },
      infeasible: 1,
      optimizers: [{ label: 'tpe', best: 0.5 }],
    });
  });

  it('counts a pruned trial apart and never makes it best, whatever its partial score', () => {
    const control = prepared();
    control.record(ticket(1), { status: 'ok', score: 0.5, trialMs: 1 });
    control.record(ticket(2), { status: 'pruned', score: 0.9, trialMs: 1 });
    expect(control.best).toEqual({ score: 0.5, trial: 1 });
    expect(control.bestPerOptimizer).toEqual({ tpe: 0.5 });
    expect(control.status(0, 0)).toMatchObject({ trialsDone: 2, pruned: 1 });
  });

  it('trips the optimization manager past a threshold, naming it', () => {
    const control = prepared();
    const failed = {
      status: 'failed' as const,
      score: null,
      trialMs: 1,
      error: { message: 'boom', lines: ['ERROR x'], logFile: '/log' },
    };
    control.record(ticket(1), failed);
    expect(control.tripReason(ticket(1), failed)).toBeUndefined();
    control.record(ticket(2), failed);
    expect(control.tripReason(ticket(2), failed)).toMatch(
      /^study stopped: 2 pipeline runs failed, more than optim_manager\.threshold_ds_app_fails = 1\nlast failure \(trial 2\): boom\nERROR x\nfull log: \/log$/,
    );
  });

  it('hands out batches and numbers trials in order', () => {
    const control = prepared();
    expect(control.nextBatch(plan.optimizers[0]!).map((t) => [t.trial, t.iteration])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(control.nextBatch(plan.optimizers[0]!).map((t) => [t.trial, t.iteration])).toEqual([
      [2, 3],
      [3, 4],
    ]);
    expect(control.nextBatch(plan.optimizers[0]!)).toEqual([]);
  });

  it('keeps the ETA still while paused', () => {
    const control = prepared();
    control.trialStarted(0);
    control.record(ticket(0, 'baseline'), { status: 'ok', score: 0.4, trialMs: 1 });
    const eta = control.status(10_000, 0).etaMs; // 10 s for 1 of 5 trials: 40 s left
    expect(eta).toBe(40_000);
    control.pause(10_000, true);
    expect(control.status(70_000, 0).etaMs).toBe(eta);
    control.pause(70_000, false);
    expect(control.status(70_000, 0).etaMs).toBe(eta);
  });

  it('hands out first the iterations an earlier run left unrun, then new ones, within the budget', () => {
    const control = new StudyControl('s', '/out', false);
    const tpe = plan.optimizers[0]!;
    control.prepared(plan, { ...fresh, nextTrial: 5, iterations: { tpe: 3 }, missing: { tpe: [2] } });
    expect(control.status(0, 0).optimizers[0]).toMatchObject({ done: 2 });
    expect(control.nextBatch(tpe).map((t) => [t.trial, t.iteration])).toEqual([
      [5, 2],
      [6, 4],
    ]);
    // maxIteration 4: iterations 1 to 4 all handed out.
    expect(control.nextBatch(tpe)).toEqual([]);
  });
});
