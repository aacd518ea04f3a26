/**
 * Box-constrained minimisation by projected L-BFGS: the quasi-Newton direction is computed on the free
 * variables (those not pinned at a bound by their gradient), and an Armijo backtracking search runs along the
 * projected path. Enough for GP hyperparameters and acquisition functions, which are smooth and low-dimensional.
 */

export interface ValueAndGradient {
  value: number;
  grad: Float64Array;
}

export interface BoxOptions {
  maxIter?: number;
  /** Stop when every free gradient component is below this. */
  gtol?: number;
  /** Stop when an iteration improves f by less than ftol·max(1, |f|). */
  ftol?: number;
  memory?: number;
}

export function minimizeBox(
  f: (x: Float64Array) => ValueAndGradient,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: BoxOptions = {},
): { x: Float64Array; value: number } {
  const { maxIter = 100, gtol = 1e-5, ftol = 1e-9, memory = 8 } = options;
  const n = x0.length;
  const clip = (v: number, i: number) => Math.min(upper[i] as number, Math.max(lower[i] as number, v));
  let x: Float64Array = Float64Array.from(x0, (v, i) => clip(v, i));
  let cur = f(x);
  if (!Number.isFinite(cur.value)) return { x, value: cur.value };
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  for (let iter = 0; iter < maxIter; iter++) {
    const g = cur.grad;
    const free = new Uint8Array(n);
    let gmax = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const pinned =
        (x[i] as number) <= (lower[i] as number) && gi > 0
          ? true
          : (x[i] as number) >= (upper[i] as number) && gi < 0;
      free[i] = pinned ? 0 : 1;
      if (!pinned) gmax = Math.max(gmax, Math.abs(gi));
    }
    if (gmax < gtol) break;
    let d = twoLoop(g, free, ss, ys);
    let slope = dot(d, g);
    if (!(slope < 0)) {
      ss.length = 0;
      ys.length = 0;
      d = Float64Array.from(g, (gi, i) => (free[i] ? -gi : 0));
      slope = dot(d, g);
    }
    // The first step has no curvature information: scale it to a unit move.
    let t = ss.length === 0 ? Math.min(1, 1 / Math.max(1e-12, Math.sqrt(dot(d, d)))) : 1;
    let accepted: { x: Float64Array; val: ValueAndGradient } | undefined;
    for (let k = 0; k < 30; k++) {
      const xt = Float64Array.from(x, (xi, i) => clip(xi + t * (d[i] as number), i));
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += (g[i] as number) * ((xt[i] as number) - (x[i] as number));
      const val = f(xt);
      if (Number.isFinite(val.value) && val.value <= cur.value + 1e-4 * decrease) {
        accepted = { x: xt, val };
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;
    const s = Float64Array.from(accepted.x, (v, i) => v - (x[i] as number));
    const y = Float64Array.from(accepted.val.grad, (v, i) => v - (g[i] as number));
    if (dot(s, y) > 1e-12 * Math.max(1e-300, Math.sqrt(dot(s, s) * dot(y, y)))) {
      ss.push(s);
      ys.push(y);
      if (ss.length > memory) {
        ss.shift();
        ys.shift();
      }
    }
    const improvement = cur.value - accepted.val.value;
    x = accepted.x;
    cur = accepted.val;
    if (improvement < ftol * Math.max(1, Math.abs(cur.value))) break;
  }
  return { x, value: cur.value };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** L-BFGS two-loop recursion on the free variables: returns −H·g with pinned components zero. */
function twoLoop(g: Float64Array, free: Uint8Array, ss: Float64Array[], ys: Float64Array[]): Float64Array {
  const q = Float64Array.from(g, (v, i) => (free[i] ? v : 0));
  const masked = (v: Float64Array) => Float64Array.from(v, (x, i) => (free[i] ? x : 0));
  const sm = ss.map(masked);
  const ym = ys.map(masked);
  const alpha = new Array<number>(sm.length);
  const rho = sm.map((s, k) => 1 / dot(ym[k] as Float64Array, s));
  for (let k = sm.length - 1; k >= 0; k--) {
    if (!Number.isFinite(rho[k] as number) || (rho[k] as number) <= 0) continue;
    const a = (rho[k] as number) * dot(sm[k] as Float64Array, q);
    alpha[k] = a;
    const y = ym[k] as Float64Array;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - a * (y[i] as number);
  }
  const last = sm.length - 1;
  if (last >= 0) {
    const yy = dot(ym[last] as Float64Array, ym[last] as Float64Array);
    const gamma = yy > 0 ? dot(sm[last] as Float64Array, ym[last] as Float64Array) / yy : 1;
    if (gamma > 0 && Number.isFinite(gamma))
      for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma;
  }
  for (let k = 0; k < sm.length; k++) {
    if (alpha[k] === undefined) continue;
    const b = (rho[k] as number) * dot(ym[k] as Float64Array, q);
    const s = sm[k] as Float64Array;
    for (let i = 0; i < q.length; i++)
      q[i] = (q[i] as number) + ((alpha[k] as number) - b) * (s[i] as number);
  }
  return Float64Array.from(q, (v, i) => (free[i] ? -v : 0));
}
