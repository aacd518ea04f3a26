import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configProblems, loadStudyIn, sampleRoot, smallStudy } from './helpers.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A single-camera study (no MTMC section: stages split cameras) with the given pruning block. */
function withPruning(pruning: unknown) {
  const study = smallStudy();
  delete study.parameter_space.Init.Exec.mtmcPath;
  delete study.parameter_space.MTMC;
  return { ...study, pruning };
}

const load = (study: unknown) => loadStudyIn(root, study);
const problems = (study: unknown) => configProblems(root, study);

describe('the pruning block', () => {
  it('is absent by default: trials run unstaged, as PipeTuner runs them', async () => {
    expect((await load(withPruning(undefined))).config.pruning).toBeUndefined();
  });

  it('fills in the median pruner (chosen by bench/fidelity), 3 stages at 1/9, 1/3, 1 and a shuffled order', async () => {
    expect((await load(withPruning({}))).config.pruning).toEqual({
      pruner: { name: 'median', percentile: 50, startupTrials: 5, warmupStages: 0 },
      shares: [1 / 9, 1 / 3, 1],
      order: 'shuffled',
    });
  });

  it('takes each pruner’s options, and median is the percentile pruner at 50', async () => {
    const { config } = await load(withPruning({ pruner: 'median', startup_trials: 2, stages: [0.5, 1] }));
    expect(config.pruning).toMatchObject({
      pruner: { name: 'median', percentile: 50, startupTrials: 2, warmupStages: 0 },
      shares: [0.5, 1],
    });
    const wilcoxon = await load(withPruning({ pruner: 'wilcoxon', p_threshold: 0.05 }));
    expect(wilcoxon.config.pruning?.pruner).toEqual({ name: 'wilcoxon', pThreshold: 0.05, startupSteps: 2 });
  });

  it('names the key and what was expected', async () => {
    expect(await problems(withPruning({ pruner: 'hyperband' }))).toEqual([
      expect.stringMatching(/^pruning\.pruner: .*none.*median.*percentile.*asha.*wilcoxon/),
    ]);
    expect(await problems(withPruning({ pruner: 'asha', p_threshold: 0.1 }))).toEqual([
      expect.stringMatching(/^pruning\.p_threshold: only for pruner: wilcoxon, not asha/),
    ]);
    expect(await problems(withPruning({ stages: [0.5, 0.3, 1] }))).toEqual([
      expect.stringMatching(/^pruning\.stages: .*increasing shares of the frames ending at 1/),
    ]);
    expect(await problems(withPruning({ stages: 1 }))).toEqual([expect.stringMatching(/^pruning\.stages/)]);
    expect(await problems(withPruning({ pruner: 'percentile' }))).toEqual([
      expect.stringMatching(/^pruning\.percentile: missing/),
    ]);
  });

  it('refuses stages in an MTMC study, which clusters across every camera at once', async () => {
    expect(await problems({ ...smallStudy(), pruning: {} })).toEqual([
      expect.stringMatching(/^pruning: stages split the cameras/),
    ]);
  });
});
