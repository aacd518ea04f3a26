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

/** The small study with the given `Init.Eval` block. */
function withEval(evalBlock: unknown, extra: Record<string, unknown> = {}) {
  const study = smallStudy();
  study.parameter_space.Init.Eval = evalBlock;
  return { ...study, ...extra };
}

const load = (study: unknown) => loadStudyIn(root, study);
const problems = (study: unknown) => configProblems(root, study);

describe('objectives and constraints in Init.Eval', () => {
  it('are absent by default: one metric, no constraint, as PipeTuner', async () => {
    const { config } = await load(withEval({ metric: 'IDF1' }));
    expect(config.metric).toBe('IDF1');
    expect(config.objectives).toBeUndefined();
    expect(config.constraints).toBeUndefined();
    expect((await load(withEval({}))).config.metric).toBe('HOTA');
  });

  it('take two objectives in any case, goal max by default; the first is the study metric', async () => {
    const { config } = await load(
      withEval({ objectives: [{ metric: 'idf1' }, { metric: 'FPS', goal: 'max' }] }),
    );
    expect(config.metric).toBe('IDF1');
    expect(config.objectives).toEqual([
      { metric: 'IDF1', goal: 'max' },
      { metric: 'fps', goal: 'max' },
    ]);
  });

  it('take constraints with min, max or both, in points or frames per second', async () => {
    const { config } = await load(
      withEval({
        constraints: [
          { metric: 'fps', min: 30 },
          { metric: 'MOTA', min: 40, max: 95 },
        ],
      }),
    );
    expect(config.metric).toBe('HOTA');
    expect(config.constraints).toEqual([
      { metric: 'fps', min: 30 },
      { metric: 'MOTA', min: 40, max: 95 },
    ]);
  });

  it('name the key and what was expected', async () => {
    const at = 'parameter_space.Init.Eval';
    expect(await problems(withEval({ objectives: [{ metric: 'HOTA' }] }))).toEqual([
      expect.stringMatching(new RegExp(`^${at}.objectives: 1 entries; two objectives are supported`)),
    ]);
    expect(await problems(withEval({ objectives: [{ metric: 'fps' }, { metric: 'HOTA' }] }))).toEqual([
      expect.stringMatching(
        new RegExp(`^${at}.objectives.0.metric: the first objective is the study's metric.*not fps`),
      ),
    ]);
    expect(await problems(withEval({ objectives: [{ metric: 'speed' }, { metric: 'HOTA' }] }))).toEqual([
      expect.stringMatching(
        /objectives\.0\.metric: unknown metric "speed"; valid: HOTA, DetA, AssA, MOTA, IDF1, fps/,
      ),
    ]);
    expect(
      await problems(withEval({ metric: 'MOTA', objectives: [{ metric: 'HOTA' }, { metric: 'fps' }] })),
    ).toEqual([expect.stringMatching(new RegExp(`^${at}.metric: MOTA, but the first objective is HOTA`))]);
    expect(await problems(withEval({ constraints: [{ metric: 'fps' }] }))).toEqual([
      expect.stringMatching(new RegExp(`^${at}.constraints.0: needs min or max`)),
    ]);
    expect(await problems(withEval({ constraints: [{ metric: 'fps', min: 30, max: 20 }] }))).toEqual([
      expect.stringMatching(/constraints\.0\.max: below min \(30\)/),
    ]);
    expect(await problems(withEval({ constraints: [{ metric: 'fps', min: 30, above: 1 }] }))).toEqual([
      expect.stringMatching(/constraints\.0.*above/),
    ]);
  });

  it('refuse a pruner beside two objectives, and problem_type_is_min beside per-objective goals', async () => {
    const two = { objectives: [{ metric: 'HOTA' }, { metric: 'fps' }] };
    const pruned = withEval(two, { pruning: {} });
    delete pruned.parameter_space.Init.Exec.mtmcPath;
    delete pruned.parameter_space.MTMC;
    expect(await problems(pruned)).toEqual([expect.stringMatching(/^pruning: a pruner judges one score/)]);
    const minimised = withEval(two);
    minimised.bbo.problem_type_is_min = true;
    expect(await problems(minimised)).toEqual([
      expect.stringMatching(/^bbo\.problem_type_is_min: .*goal: min/),
    ]);
  });
});
