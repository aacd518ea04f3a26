import { describe, expect, it } from 'vitest';
import { createPruner, describePruning, type PruneContext } from '../../src/pruners/index.js';
import { percentile } from '../../src/pruners/percentile.js';
import { minimumPairsToPrune } from '../../src/pruners/wilcoxon.js';

/** Complete trials with the given scores after stage 1 (and final scores), per-sequence scores s1..s4. */
function complete(stage1: number[]) {
  return stage1.map((score, i) => ({
    trial: i + 1,
    score: score + 0.05,
    stageScores: [score, score + 0.02, score + 0.05],
    perSequence: { s1: score, s2: score, s3: score, s4: score },
  }));
}

function context(over: Partial<PruneContext> & { score: number }): PruneContext {
  const { score, ...rest } = over;
  return {
    stage: 1,
    stages: 3,
    current: { trial: 99, stage: 1, score, perSequence: {} },
    complete: [],
    atStage: [],
    minimize: false,
    ...rest,
  };
}

describe('percentile', () => {
  it('interpolates as numpy does', () => {
    expect(percentile([0, 1, 2, 3, 4], 75)).toBe(3);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5], 10)).toBe(5);
  });
});

describe('median pruner', () => {
  const median = createPruner({ name: 'median', percentile: 50, startupTrials: 5, warmupStages: 0 });
  const five = complete([0.1, 0.2, 0.3, 0.4, 0.5]); // median at stage 1: 0.3

  it('keeps during warm-up (fewer complete trials than startupTrials)', () => {
    expect(median(context({ score: 0.0, complete: five.slice(0, 4) }))).toMatchObject({ prune: false });
  });
  it('prunes below the median of complete trials at the same stage, keeps at or above it', () => {
    expect(median(context({ score: 0.29, complete: five })).prune).toBe(true);
    expect(median(context({ score: 0.3, complete: five })).prune).toBe(false);
  });
  it('compares at the stage reached: stage 2 scores are stage-1 scores + 0.02 here', () => {
    expect(median(context({ stage: 2, score: 0.31, complete: five })).prune).toBe(true);
    expect(median(context({ stage: 2, score: 0.32, complete: five })).prune).toBe(false);
  });
  it('never prunes at the last stage', () => {
    expect(median(context({ stage: 3, score: 0, complete: five })).prune).toBe(false);
  });
  it('mirrors when minimising: a high loss is pruned', () => {
    expect(median(context({ score: 0.31, complete: five, minimize: true })).prune).toBe(true);
    expect(median(context({ score: 0.29, complete: five, minimize: true })).prune).toBe(false);
  });
  it('percentile 25 keeps the best quarter: cutoff at the 75th percentile (0.4)', () => {
    const quarter = createPruner({ name: 'percentile', percentile: 25, startupTrials: 5, warmupStages: 0 });
    expect(quarter(context({ score: 0.39, complete: five })).prune).toBe(true);
    expect(quarter(context({ score: 0.4, complete: five })).prune).toBe(false);
  });
  it('respects warm-up stages', () => {
    const late = createPruner({ name: 'median', percentile: 50, startupTrials: 0, warmupStages: 1 });
    expect(late(context({ score: 0, complete: five })).prune).toBe(false);
    expect(late(context({ stage: 2, score: 0, complete: five })).prune).toBe(true);
  });
});

describe('asha pruner', () => {
  const asha = createPruner({ name: 'asha', reductionFactor: 3, graceStages: 1, minScores: 3 });

  it('keeps the top third of the scores recorded at the stage, its own included', () => {
    // rung [0.1, 0.2, 0.3, 0.4, 0.5] with the trial's 0.5: the 66.7th percentile is 0.3667
    expect(asha(context({ score: 0.5, atStage: [0.1, 0.2, 0.3, 0.4] })).prune).toBe(false);
    expect(asha(context({ score: 0.35, atStage: [0.1, 0.2, 0.3, 0.4, 0.5] })).prune).toBe(true);
    expect(asha(context({ score: 0.4, atStage: [0.1, 0.2, 0.3, 0.4, 0.5] })).prune).toBe(false);
  });
  it('keeps while fewer than minScores are recorded, and before the grace stage', () => {
    expect(asha(context({ score: 0, atStage: [0.5] })).prune).toBe(false);
    const grace = createPruner({ name: 'asha', reductionFactor: 3, graceStages: 2, minScores: 1 });
    expect(grace(context({ score: 0, atStage: [0.5, 0.6, 0.7] })).prune).toBe(false);
    expect(grace(context({ stage: 2, score: 0, atStage: [0.5, 0.6, 0.7] })).prune).toBe(true);
  });
  it('needs no complete trial (asynchronous: judged on what has arrived)', () => {
    expect(asha(context({ score: 0.1, atStage: [0.5, 0.6, 0.7], complete: [] })).prune).toBe(true);
  });
});

describe('wilcoxon pruner', () => {
  const wilcoxon = createPruner({ name: 'wilcoxon', pThreshold: 0.1, startupSteps: 2 });
  const best = [
    { trial: 1, score: 0.5, stageScores: [0.5], perSequence: { a: 0.5, b: 0.5, c: 0.5, d: 0.5, e: 0.5 } },
  ];
  const seqs = (values: number[]) =>
    Object.fromEntries(values.map((v, i) => [String.fromCharCode(97 + i), v]));

  it('cannot prune with 3 sequences worse everywhere: p = 1/8 is not below 0.1', () => {
    const verdict = wilcoxon(
      context({
        score: 0.4,
        complete: best,
        current: { trial: 9, stage: 1, score: 0.4, perSequence: seqs([0.4, 0.41, 0.42]) },
      }),
    );
    expect(verdict.prune).toBe(false);
    expect(verdict.reason).toContain('p = 0.125');
  });
  it('prunes with 4 sequences worse everywhere: p = 1/16', () => {
    const verdict = wilcoxon(
      context({
        score: 0.4,
        complete: best,
        current: { trial: 9, stage: 1, score: 0.4, perSequence: seqs([0.4, 0.41, 0.42, 0.43]) },
      }),
    );
    expect(verdict).toMatchObject({ prune: true });
  });
  it('keeps a trial better on the mean even if p is small the other way', () => {
    const verdict = wilcoxon(
      context({
        score: 0.6,
        complete: best,
        current: { trial: 9, stage: 1, score: 0.6, perSequence: seqs([0.6, 0.61, 0.62, 0.63]) },
      }),
    );
    expect(verdict.prune).toBe(false);
  });
  it('keeps without a complete trial, and with fewer pairs than startupSteps', () => {
    expect(
      wilcoxon(
        context({ score: 0, current: { trial: 9, stage: 1, score: 0, perSequence: seqs([0, 0, 0, 0]) } }),
      ).prune,
    ).toBe(false);
    expect(
      wilcoxon(
        context({
          score: 0,
          complete: best,
          current: { trial: 9, stage: 1, score: 0, perSequence: seqs([0]) },
        }),
      ).prune,
    ).toBe(false);
  });
  it('needs 4 paired sequences at p_threshold 0.1, 5 at 0.05', () => {
    expect(minimumPairsToPrune({ pThreshold: 0.1, startupSteps: 2 })).toBe(4);
    expect(minimumPairsToPrune({ pThreshold: 0.05, startupSteps: 2 })).toBe(5);
  });
});

describe('describePruning', () => {
  it('says when wilcoxon can never prune a study', () => {
    const lines = describePruning({ name: 'wilcoxon', pThreshold: 0.1, startupSteps: 2 }, [1, 2, 4]);
    expect(lines.join('\n')).toContain('can never prune');
  });
  it('says from which stage wilcoxon can prune', () => {
    const lines = describePruning({ name: 'wilcoxon', pThreshold: 0.1, startupSteps: 2 }, [2, 4, 8]);
    expect(lines.join('\n')).toContain('from stage 2 on (4 sequences)');
  });
});
