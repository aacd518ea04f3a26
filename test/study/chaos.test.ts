/**
 * CI's short form of the chaos benchmark (bench/chaos/run.ts runs 20 × 18 kills): one study whose
 * server, workers and CLI are killed with SIGKILL at random moments and restarted. It must complete
 * with every trial once, contiguous iterations, the CSV equal to the trial store, the best equal to the
 * top score, replayable histories, and nothing left running.
 */
import { expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos/chaos.js';

it('survives SIGKILL of each component at random moments', { timeout: 600_000 }, async () => {
  const seed = Number(process.env.PIPETUNE_CHAOS_SEED ?? Date.now() % 100_000);
  const report = await runChaos({
    kills: 8,
    iterations: 10,
    gapMs: [1_000, 3_000],
    stuckAfterMs: 240_000,
    seed,
  });
  // PIPETUNE_CHAOS_SEED=<seed> repeats the kill schedule.
  expect(report.problems, `seed ${seed}, study root ${report.root}`).toEqual([]);
  expect(report.completed).toBe(true);
  expect(report.trialsRecorded).toBe(report.trialsExpected);
  expect(Object.values(report.kills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});

it('survives SIGKILL of each component while trials run in stages and are pruned', {
  timeout: 600_000,
}, async () => {
  const seed = Number(process.env.PIPETUNE_CHAOS_SEED ?? Date.now() % 100_000);
  const report = await runChaos({
    kills: 6,
    iterations: 8,
    gapMs: [1_000, 3_000],
    stuckAfterMs: 240_000,
    seed,
    staged: true,
  });
  // Besides the checks above: every stage of every trial scored exactly once, pruned trials end on a prune verdict.
  expect(report.problems, `seed ${seed}, study root ${report.root}`).toEqual([]);
  expect(report.completed).toBe(true);
  expect(report.trialsRecorded).toBe(report.trialsExpected);
});
