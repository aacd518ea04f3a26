/**
 * Portfolio of optimizers that share one history and split each batch by AUC-bandit credit (after
 * OpenTuner's AUCBanditMetaTechnique): a member earns credit when a point it proposed was a new best of the
 * study, recent successes weighing more, plus an exploration bonus for rarely used members.
 *
 * Which member proposed a past point is read from the trial label: a label equal to a member's name or alias
 * (`gp`, `scikit`, `rbf`, `pysot`, `tpe`, …, so other optimizers of the same study count too) or ending in
 * `:<member>` (what `suggestTagged` reports for the ensemble's own points). Points without such a label give
 * no credit; with no credit at all the bandit cycles through the members.
 */
import { Rng } from '../space/sampling.js';
import { designPoints } from './design.js';
import { type Problem, withPending } from './problem.js';

export interface Member {
  name: string;
  /** Labels that count as this member's proposals. */
  labels: readonly string[];
  propose(p: Problem, seed: number): number[][];
}

/** OpenTuner's exploration constant and window. */
const EXPLORE = 0.05;
const WINDOW = 500;

export function memberOf(label: string | undefined, members: readonly Member[]): number {
  if (label === undefined) return -1;
  const key = label.includes(':') ? label.slice(label.lastIndexOf(':') + 1) : label;
  return members.findIndex((m) => m.labels.includes(key.toLowerCase()));
}

/** Per member: the credited uses (in time order) and whether each was a new best of the study. */
function usage(p: Problem, members: readonly Member[]): boolean[][] {
  const uses: boolean[][] = members.map(() => []);
  let best = Number.POSITIVE_INFINITY;
  const window = p.obs.slice(-WINDOW);
  const before = p.obs.slice(0, p.obs.length - window.length);
  for (const o of before) if (!o.failed) best = Math.min(best, o.loss);
  for (const o of window) {
    const k = memberOf(o.source, members);
    const newBest = !o.failed && o.loss < best;
    if (!o.failed) best = Math.min(best, o.loss);
    if (k >= 0) (uses[k] as boolean[]).push(newBest);
  }
  return uses;
}

/** AUC credit plus exploration bonus (infinite for an unused member). */
function banditScore(uses: readonly boolean[], total: number): number {
  const n = uses.length;
  if (n === 0) return Number.POSITIVE_INFINITY;
  let auc = 0;
  uses.forEach((win, i) => {
    if (win) auc += i + 1;
  });
  return (2 * auc) / (n * (n + 1)) + EXPLORE * Math.sqrt((2 * Math.log2(Math.max(2, total))) / n);
}

/** Member index for each slot of the batch: best score first; each pick counts as a use without success. */
export function allocate(p: Problem, members: readonly Member[], slots: number, seed: number): number[] {
  const uses = usage(p, members).map((u) => u.slice());
  const rng = new Rng(seed, p.obs.length, 0x62616e);
  const tieBreak = rng.permutation(members.length);
  const out: number[] = [];
  for (let s = 0; s < slots; s++) {
    const total = uses.reduce((sum, u) => sum + u.length, 0);
    let pick = -1;
    let best = Number.NEGATIVE_INFINITY;
    for (const k of tieBreak) {
      const score = banditScore(uses[k] as boolean[], total);
      if (score > best) {
        best = score;
        pick = k;
      }
    }
    out.push(pick);
    (uses[pick] as boolean[]).push(false);
  }
  return out;
}

/** Candidates and the member that made each. Members see the points earlier members chose as pending. */
export function proposeEnsemble(
  p: Problem,
  seed: number,
  members: readonly Member[],
): { x: number[]; member: string }[] {
  const design = designPoints(p, seed).map((x) => ({ x, member: 'design' }));
  if (design.length >= p.n || p.obs.length === 0) return design;
  const slots = allocate(p, members, p.n - design.length, seed);
  const chosen = [...design];
  members.forEach((member, k) => {
    const count = slots.filter((s) => s === k).length;
    if (count === 0) return;
    const sub = {
      ...withPending(
        p,
        chosen.map((c) => c.x),
      ),
      n: count,
    };
    for (const x of member.propose(sub, seed + 104729 * (k + 1)).slice(0, count))
      chosen.push({ x, member: member.name });
  });
  return chosen;
}
