/**
 * Which output scale the loss GP is fitted on, chosen per study from its data: the half-rank warp (tames heavy
 * bad tails such as Rosenbrock's) or plain standardised losses (keeps a flat plateau flat, as on Hartmann-6,
 * where the warp stretches meaningless differences among bad points). A GP is fitted on each, and the one
 * whose leave-one-out predictions order the better half of the evaluated points better wins. Rank correlation
 * is the yardstick because both scales are monotone in the loss, so it compares the two fits on the same
 * footing without the warp's Jacobian (which the rank-based warp does not have). Re-chosen at every proposal
 * (a deterministic function of the history). Measured in docs/benchmarks-speed.md.
 */
import { looPredictions } from './gp/loo.js';
import type { GpModel } from './gp/model.js';
import { standardize, warpLosses } from './warp.js';

export type OutputScale = 'warped' | 'plain';

export interface ScaledFit {
  scale: OutputScale;
  y: number[];
  model: GpModel;
  /** LOO Spearman correlation of each candidate scale (for tests and diagnostics). */
  scores: Record<OutputScale, number>;
}

/** Mid-ranks (ties share the mean of their ranks), 0-based. */
export function midRanks(v: readonly number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number));
  const ranks = new Array<number>(v.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && v[order[e + 1] as number] === v[order[s] as number]) e++;
    for (let k = s; k <= e; k++) ranks[order[k] as number] = (s + e) / 2;
    s = e + 1;
  }
  return ranks;
}

/** Spearman rank correlation; 0 when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = midRanks(a);
  const rb = midRanks(b);
  const n = a.length;
  const ma = ra.reduce((s, v) => s + v, 0) / n;
  const mb = rb.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (ra[i] as number) - ma;
    const db = (rb[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * How well a fitted GP's leave-one-out means order the better half of the losses it was fitted on (those at or
 * below the median): log-EI searches among and around these, so resolving them is what counts, and a fit that
 * only gets the gross good-versus-bad trend right (a plain fit on a heavy tail) does not score well.
 */
export function looRankScore(model: GpModel, y: readonly number[], losses: readonly number[]): number {
  const { mean } = looPredictions(model, y);
  const sorted = [...losses].sort((a, b) => a - b);
  const median = sorted[Math.floor((losses.length - 1) / 2)] as number;
  const good = losses.flatMap((v, i) => (v <= median ? [i] : []));
  return spearman(
    good.map((i) => mean[i] as number),
    good.map((i) => losses[i] as number),
  );
}

/** The rule: plain only when it predicts the order strictly better; the warp (the long-standing default) on ties. */
export function preferredScale(scores: Record<OutputScale, number>): OutputScale {
  return scores.plain > scores.warped ? 'plain' : 'warped';
}

/** Fit `fitModel` on both scales of `losses` and keep the better one by LOO rank correlation. */
export function fitBestScale(losses: readonly number[], fitModel: (y: number[]) => GpModel): ScaledFit {
  const candidates = {
    warped: warpLosses(losses),
    plain: standardize(losses),
  } satisfies Record<OutputScale, number[]>;
  const models = {
    warped: fitModel(candidates.warped),
    plain: fitModel(candidates.plain),
  } satisfies Record<OutputScale, GpModel>;
  const scores = {
    warped: looRankScore(models.warped, candidates.warped, losses),
    plain: looRankScore(models.plain, candidates.plain, losses),
  };
  const scale = preferredScale(scores);
  return { scale, y: candidates[scale], model: models[scale], scores };
}
