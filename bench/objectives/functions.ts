/**
 * Analytic two-objective test problems for the multi-objective benchmark, each with a fixed reference point
 * in its own units (hypervolumes of all optimizers are measured against it).
 */
import type { Goal } from '../../src/optimizers/problem.js';
import type { Params, Space } from '../../src/space/types.js';

/** A study objective: what the benchmark loop needs, whether analytic or a real pipeline run. */
export interface MoObjective {
  name: string;
  space: Space;
  goals: Goal[];
  /** Worst acceptable value of each objective (raw units): the hypervolume's reference point. */
  reference: number[];
  evaluate(params: Params): Promise<{ values: number[]; violation?: number }>;
}

function cube(d: number): Space {
  return {
    dimensions: Array.from({ length: d }, (_, i) => ({
      kind: 'real' as const,
      name: `x${i}`,
      low: 0,
      high: 1,
      log: false,
    })),
  };
}

/**
 * Zitzler, Deb & Thiele (2000), both minimised: f₁ = x₀, g = 1 + 9·mean(x₁…x_{d−1}), f₂ = g·h(f₁/g) with
 * h(t) = 1 − √t (ZDT1, convex front) or 1 − t² (ZDT2, concave front); the front is g = 1.
 */
function zdt(which: 1 | 2, d: number): MoObjective {
  const h = which === 1 ? (t: number) => 1 - Math.sqrt(t) : (t: number) => 1 - t * t;
  return {
    name: `zdt${which}-${d}d`,
    space: cube(d),
    goals: ['min', 'min'],
    // The usual (1.1, 1.1) would leave most 80-trial runs with an empty volume; f₂ ≤ 2 needs g ≲ 2.
    reference: [1.1, 2],
    evaluate: async (p) => {
      const x = Array.from({ length: d }, (_, i) => p[`x${i}`] as number);
      const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / (d - 1);
      const f1 = x[0] as number;
      return { values: [f1, g * h(f1 / g)] };
    },
  };
}

const MODES = ['fast', 'balanced', 'accurate'];
const MODE_QUALITY = [0, 0.15, 0.25];
const MODE_COST = [0, 0.1, 0.3];

/**
 * A mixed-integer accuracy-vs-speed toy shaped like a detector config: error (minimised) falls with model
 * size k (integer), resolution r and mode (choice), plus a threshold t and a log-scaled rate with one best
 * value each; frames per second (maximised) fall with k·(0.5 + r) and the mode's cost.
 */
const mixed: MoObjective = {
  name: 'mixed-5d',
  space: {
    dimensions: [
      { kind: 'real', name: 'r', low: 0, high: 1, log: false },
      { kind: 'int', name: 'k', low: 1, high: 8, log: false },
      { kind: 'choice', name: 'mode', choices: MODES },
      { kind: 'real', name: 't', low: 0, high: 1, log: false },
      { kind: 'real', name: 'rate', low: 1e-4, high: 1e-1, log: true },
    ],
  },
  goals: ['min', 'max'],
  reference: [1, 10],
  evaluate: async (p) => {
    const r = p.r as number;
    const k = p.k as number;
    const m = MODES.indexOf(p.mode as string);
    const quality = (0.5 * (k - 1)) / 7 + 0.5 * r + (MODE_QUALITY[m] as number);
    const error =
      1 / (1 + 3 * quality) + ((p.t as number) - 0.3) ** 2 + 0.05 * (Math.log10(p.rate as number) + 2.5) ** 2;
    const cost = 0.2 + (k / 8) * (0.5 + r) + (MODE_COST[m] as number);
    return { values: [error, 30 / cost] };
  },
};

export const MO_FUNCTIONS: MoObjective[] = [zdt(1, 3), zdt(1, 6), zdt(2, 3), zdt(2, 6), mixed];

export function moFunction(name: string): MoObjective {
  const f = MO_FUNCTIONS.find((g) => g.name === name);
  if (!f) throw new Error(`unknown function ${name}; known: ${MO_FUNCTIONS.map((g) => g.name).join(', ')}`);
  return f;
}
