/**
 * Pareto dominance, non-dominated sorting, crowding distance and 2-D hypervolume on loss vectors (every
 * objective minimised). Pure functions shared by NSGA-II, the results views and the benchmark.
 */
/** Whether an objective is maximised or minimised. */
export type Goal = 'max' | 'min';

/** A loss vector with its constraint violation (0 or absent: feasible). */
export interface Scored {
  values: readonly number[];
  violation?: number;
}

/** a is no worse than b in every objective and better in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) > (b[i] as number)) return false;
    if ((a[i] as number) < (b[i] as number)) better = true;
  }
  return better;
}

/**
 * Deb's constrained domination: a feasible point beats an infeasible one, of two infeasible points the one
 * with the smaller violation wins, and two feasible points compare by Pareto dominance.
 */
export function constrainedDominates(a: Scored, b: Scored): boolean {
  const va = Math.max(0, a.violation ?? 0);
  const vb = Math.max(0, b.violation ?? 0);
  if (va === 0 && vb === 0) return dominates(a.values, b.values);
  return va < vb;
}

/**
 * Fast non-dominated sorting (Deb et al. 2002): fronts of indices, the first holding the points no other
 * point dominates, each next one those dominated only by earlier fronts. Within a front, input order.
 */
export function nonDominatedSort<T>(items: readonly T[], beats: (a: T, b: T) => boolean): number[][] {
  const dominatedBy = items.map(() => 0);
  const dominating: number[][] = items.map(() => []);
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (beats(items[i] as T, items[j] as T)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (beats(items[j] as T, items[i] as T)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current = items.flatMap((_, i) => (dominatedBy[i] === 0 ? [i] : []));
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Crowding distance of each point of one front: the sum over objectives of the normalised gap between its
 * two neighbours along that objective; the extremes of every objective get +∞ so the front's ends survive.
 * Equal values are ordered by index, so duplicates get finite distances (one of them may still be an end).
 */
export function crowdingDistance(front: readonly (readonly number[])[]): number[] {
  const n = front.length;
  const distance = new Array<number>(n).fill(0);
  if (n === 0) return distance;
  const k = (front[0] as readonly number[]).length;
  for (let m = 0; m < k; m++) {
    const order = front.map((_, i) => i).sort((a, b) => front[a]![m]! - front[b]![m]! || a - b);
    const low = front[order[0]!]![m]!;
    const high = front[order[n - 1]!]![m]!;
    distance[order[0]!] = Number.POSITIVE_INFINITY;
    distance[order[n - 1]!] = Number.POSITIVE_INFINITY;
    if (high <= low) continue;
    for (let r = 1; r < n - 1; r++) {
      const gap = front[order[r + 1]!]![m]! - front[order[r - 1]!]![m]!;
      distance[order[r]!]! += gap / (high - low);
    }
  }
  return distance;
}

/** Indices of the points no other point dominates (duplicates of a non-dominated point are all kept). */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  return points.flatMap((p, i) => (points.some((q) => dominates(q, p)) ? [] : [i]));
}

/**
 * Area dominated by the points and bounded by `reference` (two objectives, minimised). A point that does not
 * strictly dominate the reference adds nothing. Sweep by f₁ ascending: each point lowering the best f₂ so
 * far adds the strip (r₁ − f₁)·(best f₂ − f₂).
 */
export function hypervolume2d(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const [r1, r2] = reference as [number, number];
  const inside = points
    .filter((p) => (p[0] as number) < r1 && (p[1] as number) < r2)
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let volume = 0;
  let bestF2 = r2;
  for (const p of inside) {
    if (p[1]! < bestF2) {
      volume += (r1 - p[0]!) * (bestF2 - p[1]!);
      bestF2 = p[1]!;
    }
  }
  return volume;
}

/** Each point's exclusive hypervolume contribution: what the set loses without it (0 for a duplicate). */
export function hypervolumeContributions2d(
  points: readonly (readonly number[])[],
  reference: readonly number[],
): number[] {
  const total = hypervolume2d(points, reference);
  return points.map(
    (_, i) => total - hypervolume2d([...points.slice(0, i), ...points.slice(i + 1)], reference),
  );
}

/** Loss vector of raw objective values: maximised objectives are negated. */
export function toLosses(goals: readonly Goal[], values: readonly number[]): number[] {
  return goals.map((goal, i) => (goal === 'max' ? -(values[i] as number) : (values[i] as number)));
}

/**
 * Indices of the feasible entries (violation 0 or absent, every value finite) that no other feasible entry
 * dominates, for objectives with the given goals and raw (not negated) values. Empty when none is feasible.
 */
export function paretoSet(goals: readonly Goal[], entries: readonly Scored[]): number[] {
  const feasible = entries.flatMap((e, i) =>
    (e.violation ?? 0) <= 0 && e.values.length === goals.length && e.values.every(Number.isFinite)
      ? [{ i, losses: toLosses(goals, e.values) }]
      : [],
  );
  return paretoFront(feasible.map((f) => f.losses)).map((k) => feasible[k]!.i);
}

/**
 * A Pareto set after one more point: the point joins unless a member dominates it or equals it, and the
 * members it dominates leave. Kept by the workflow as trials finish (pure, no Node imports).
 */
export function withPoint<T extends { values: readonly number[] }>(
  set: readonly T[],
  point: T,
  objectives: readonly { goal: Goal }[],
): T[] {
  const goals = objectives.map((o) => o.goal);
  const losses = toLosses(goals, point.values);
  const covered = set.some((m) => {
    const member = toLosses(goals, m.values);
    return dominates(member, losses) || member.every((v, i) => v === losses[i]);
  });
  if (covered) return [...set];
  return [...set.filter((m) => !dominates(losses, toLosses(goals, m.values))), point];
}
