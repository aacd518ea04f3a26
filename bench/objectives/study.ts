/**
 * The benchmark's study loop, independent of who proposes (a pipetune optimizer or an Optuna sampler) and of
 * what is evaluated (an analytic function now, the pipeline later): ask, evaluate, tell, until the budget.
 */
import { hypervolume2d, paretoSet, toLosses } from '../../src/objectives/pareto.js';
import { suggestTagged } from '../../src/optimizers/index.js';
import type { Goal } from '../../src/optimizers/problem.js';
import { deriveSeed } from '../../src/space/sampling.js';
import type { Params, Space, Trial } from '../../src/space/types.js';
import type { OptunaServer } from '../optimizers/optuna.js';
import type { MoObjective } from './functions.js';

export interface Evaluation {
  params: Params;
  values: number[];
  violation?: number;
}

export interface Sampler {
  ask(n: number): Promise<{ id: number; params: Params }[]>;
  tell(results: readonly ({ id: number } & Evaluation)[]): Promise<void>;
}

/** `budget` evaluations of `objective`, proposed `batch` at a time; every evaluation in order. */
export async function runStudy(
  sampler: Sampler,
  objective: Pick<MoObjective, 'evaluate'>,
  budget: number,
  batch = 1,
): Promise<Evaluation[]> {
  const done: Evaluation[] = [];
  while (done.length < budget) {
    const asked = await sampler.ask(Math.min(batch, budget - done.length));
    const results = await Promise.all(
      asked.map(async ({ id, params }) => ({ id, params, ...(await objective.evaluate(params)) })),
    );
    await sampler.tell(results);
    done.push(...results.map(({ id: _, ...e }) => e));
  }
  return done;
}

/**
 * A pipetune optimizer as the study workflow drives it: every finished trial shared, the points in flight
 * pending, a fresh seed per call (the workflow mixes the iteration into the study seed), the score being the
 * first objective (only pruning and single-objective code read it; with one goal it is all there is).
 */
export function pipetuneSampler(
  name: string,
  space: Space,
  goals: Goal[],
  budget: number,
  seed: number,
): Sampler {
  const trials: Trial[] = [];
  const inFlight = new Map<number, Params>();
  let next = 0;
  return {
    async ask(n) {
      const batch = suggestTagged(name, {
        space,
        trials,
        pending: [...inFlight.values()],
        n,
        seed: deriveSeed(seed, trials.length + inFlight.size),
        minimize: goals[0] === 'min',
        budget,
        // As the workflow: a one-objective study (constrained or not) sends no objectives.
        ...(goals.length > 1 ? { objectives: goals } : {}),
      });
      return batch.map(({ params }) => {
        inFlight.set(next, params);
        return { id: next++, params };
      });
    },
    async tell(results) {
      for (const r of results) {
        inFlight.delete(r.id);
        trials.push({
          params: r.params,
          score: r.values[0] as number,
          values: r.values,
          ...(r.violation !== undefined ? { violation: r.violation } : {}),
        });
      }
    },
  };
}

/** An Optuna sampler behind the bench/optimizers bridge (objective values as given, directions from goals). */
export async function optunaSampler(
  server: OptunaServer,
  name: string,
  space: Space,
  goals: Goal[],
  seed: number,
): Promise<Sampler> {
  const directions = goals.map((g) => (g === 'min' ? 'minimize' : 'maximize'));
  await server.request({ op: 'new', sampler: name, seed, space, directions });
  return {
    ask: async (n) =>
      (await server.request<{ trials: { id: number; params: Params }[] }>({ op: 'ask', n })).trials,
    async tell(results) {
      await server.request({ op: 'tell', results: results.map((r) => ({ id: r.id, values: r.values })) });
    },
  };
}

/** Raw values of the feasible non-dominated evaluations. */
export function frontOf(goals: readonly Goal[], evaluations: readonly Evaluation[]): number[][] {
  return paretoSet(goals, evaluations).map((i) => (evaluations[i] as Evaluation).values);
}

/** Hypervolume of raw values `front` against the objective's reference point. */
export function hypervolume(
  objective: Pick<MoObjective, 'goals' | 'reference'>,
  front: readonly number[][],
): number {
  const { goals, reference } = objective;
  return hypervolume2d(
    front.map((v) => toLosses(goals, v)),
    toLosses(goals, reference),
  );
}
