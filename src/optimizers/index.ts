/**
 * The optimizer registry and the contract the ParamSearch activity calls. Every optimizer is a pure function
 * of (space, trials, pending, n, seed, minimize, budget): equal inputs give equal candidates, so a retried or
 * resumed search continues identically.
 */
import { InputError } from '../errors.js';
import { decode } from '../space/encoding.js';
import { deriveSeed, SOBOL_MAX_DIM } from '../space/sampling.js';
import type { Params, Space, Trial } from '../space/types.js';
import { proposeCmaes } from './cmaes.js';
import { type Proposal, uniqueBatch } from './design.js';
import { type Member, proposeEnsemble } from './ensemble.js';
import { gpLossMean, proposeAuto, proposeGp } from './gpbo.js';
import { proposeNsga2 } from './nsga2.js';
import { buildProblem, encodeInside, type Problem, type SuggestRequest } from './problem.js';
import { proposeRbf, rbfLossMean } from './rbf.js';
import { proposeRandom, proposeSobol } from './spaceFilling.js';
import { HYPEROPT_TPE, proposeTpe } from './tpe.js';

export type { SuggestRequest } from './problem.js';

interface Algorithm {
  /** Candidates in the unit cube, best first (the registry snaps, de-duplicates and decodes them). */
  propose(p: Problem, seed: number): Proposal[];
  /** Posterior mean of the loss at unit-cube points, where the algorithm has a model. */
  lossMean?(p: Problem, points: readonly number[][]): number[] | undefined;
}

/** An algorithm that proposes plain points, each tagged with its own name. */
function plain(
  name: string,
  propose: (p: Problem, seed: number) => number[][],
): (p: Problem, seed: number) => Proposal[] {
  return (p, seed) => propose(p, seed).map((x) => ({ x, by: name }));
}

/** Members of the bandit ensemble, with the study labels that count as their proposals. */
const MEMBERS: Member[] = [
  { name: 'gp', labels: ['gp', 'scikit'], propose: (p, seed) => proposeGp(p, seed) },
  { name: 'rbf', labels: ['rbf', 'pysot'], propose: proposeRbf },
  { name: 'tpe', labels: ['tpe'], propose: (p, seed) => proposeTpe(p, seed) },
];

const ALGORITHMS: Record<string, Algorithm> = {
  random: { propose: plain('random', proposeRandom) },
  sobol: { propose: plain('sobol', proposeSobol) },
  gp: { propose: plain('gp', (p, seed) => proposeGp(p, seed)), lossMean: gpLossMean },
  tpe: { propose: plain('tpe', (p, seed) => proposeTpe(p, seed)) },
  hyper: { propose: plain('hyper', (p, seed) => proposeTpe(p, seed, HYPEROPT_TPE)) },
  rbf: { propose: plain('rbf', proposeRbf), lossMean: rbfLossMean },
  cmaes: { propose: plain('cmaes', proposeCmaes) },
  ensemble: {
    propose: (p, seed) => proposeEnsemble(p, seed, MEMBERS).map((c) => ({ x: c.x, by: c.member })),
    lossMean: gpLossMean,
  },
  auto: { propose: plain('auto', proposeAuto), lossMean: gpLossMean },
  nsga2: { propose: plain('nsga2', proposeNsga2) },
};

/** PipeTuner's names and our aliases, mapped to the algorithm they run. */
const ALIASES: Record<string, string> = {
  scikit: 'gp',
  pysot: 'rbf',
  opentuner: 'ensemble',
  // Optuna's spelling (NSGAIISampler).
  nsgaii: 'nsga2',
};

/** Every accepted optimizer name (canonical names and aliases). */
export const optimizerNames: readonly string[] = Object.freeze(
  [...Object.keys(ALGORITHMS), ...Object.keys(ALIASES)].sort(),
);

/** The canonical algorithm name behind `name`; throws an InputError listing the valid names. */
export function resolveOptimizer(name: string): string {
  const key = name.trim().toLowerCase();
  const canonical = ALIASES[key] ?? key;
  if (!(canonical in ALGORITHMS)) {
    throw new InputError(`unknown optimizer "${name}"; valid names: ${optimizerNames.join(', ')}`);
  }
  return canonical;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function checkSpace(space: Space): void {
  if (space.dimensions.length === 0) throw new InputError('the parameter space has no tunable parameter');
  if (space.dimensions.length > SOBOL_MAX_DIM) {
    throw new InputError(
      `the parameter space has ${space.dimensions.length} parameters; at most ${SOBOL_MAX_DIM} are supported`,
    );
  }
}

/**
 * `n` new, distinct candidates from optimizer `name`, each with what made it (`by`: the algorithm, an ensemble
 * member, `design`, or `random` for a top-up). Record `<label>:<by>` as the trial's optimizer label to let the
 * `ensemble`/`opentuner` bandit credit its members.
 */
export function suggestTagged(name: string, request: SuggestRequest): { params: Params; by: string }[] {
  const canonical = resolveOptimizer(name);
  checkSpace(request.space);
  if (!Number.isInteger(request.n) || request.n < 0)
    throw new InputError(`suggest: n must be a non-negative integer, got ${request.n}`);
  if (request.n === 0) return [];
  if (request.objectives && request.n > 1 && canonical !== 'nsga2') return scalarisedBatch(name, request);
  const seed = deriveSeed(request.seed, hashName(canonical));
  const problem = buildProblem(request);
  const proposals = (ALGORITHMS[canonical] as Algorithm).propose(problem, seed);
  return uniqueBatch(problem, proposals, seed).map((c) => ({ params: decode(request.space, c.x), by: c.by }));
}

/**
 * A two-objective batch of a one-number optimizer, one member at a time: each member gets its own ParEGO
 * weight (its own seed) and sees the members before it as pending, so the batch spreads along the front
 * instead of crowding one direction of it.
 */
function scalarisedBatch(name: string, request: SuggestRequest): { params: Params; by: string }[] {
  const chosen: { params: Params; by: string }[] = [];
  for (let k = 0; k < request.n; k++) {
    const pending = [...request.pending, ...chosen.map((c) => c.params)];
    chosen.push(...suggestTagged(name, { ...request, n: 1, seed: deriveSeed(request.seed, k), pending }));
  }
  return chosen;
}

/**
 * `n` new, distinct candidates from optimizer `name`. `trials` are all finished trials of the study in order
 * (foreign ones included; score null = failed run), `pending` the points being evaluated now.
 */
export function suggest(name: string, request: SuggestRequest): Params[] {
  return suggestTagged(name, request).map((c) => c.params);
}

export interface PredictRequest {
  space: Space;
  trials: readonly Trial[];
  points: readonly Params[];
  seed: number;
  minimize?: boolean;
}

/**
 * The model's posterior mean score at `points` (same units and direction as the scores), or undefined when
 * the optimizer has no model or there are too few successful trials. Points outside the space get NaN.
 */
export function predictMean(name: string, request: PredictRequest): number[] | undefined {
  const algorithm = ALGORITHMS[resolveOptimizer(name)] as Algorithm;
  if (!algorithm.lossMean) return undefined;
  checkSpace(request.space);
  const problem = buildProblem({ ...request, pending: [], n: 0 });
  const encoded = request.points.map((p) => encodeInside(request.space, p));
  const inside = encoded.filter((x): x is number[] => x !== undefined);
  const losses = algorithm.lossMean(problem, inside);
  if (!losses) return undefined;
  const sign = request.minimize ? 1 : -1;
  let k = 0;
  return encoded.map((x) => (x ? sign * (losses[k++] as number) : Number.NaN));
}
