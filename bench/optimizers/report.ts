/** Tables of median simple regret [IQR] per optimizer, and our/Optuna median-regret ratios. */

export interface RunRecord {
  optimizer: string;
  fn: string;
  budget: number;
  batch: number;
  seed: number;
  /** Best value found − global optimum. */
  regret: number;
  seconds: number;
  /** Longest single suggest/ask call of the run. */
  slowestSuggest: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

/** Ratios are taken on regrets floored at this value, so two exact hits compare as equal. */
const FLOOR = 1e-6;

/** The pairs whose ratio the issue's target is about: ours ÷ Optuna's. */
const RATIOS: [string, string][] = [
  ['auto', 'optuna-tpe'],
  ['auto', 'optuna-gp'],
  ['auto', 'optuna-tpe-mv'],
];

/** `compact` prints medians only (wide tables); otherwise median [Q1, Q3] (runs). */
export function formatReport(
  records: readonly RunRecord[],
  optimizers: readonly string[],
  compact = false,
): string {
  const out: string[] = [];
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.batch}|${r.budget}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [ba, ua] = a.split('|').map(Number) as [number, number];
    const [bb, ub] = b.split('|').map(Number) as [number, number];
    return ba - bb || ua - ub;
  });
  for (const key of keys) {
    const [batch, budget] = key.split('|').map(Number) as [number, number];
    const rs = groups.get(key) as RunRecord[];
    const present = optimizers.filter((o) => rs.some((r) => r.optimizer === o));
    const fns = [...new Set(rs.map((r) => r.fn))];
    const ratios = RATIOS.filter(([a, b]) => present.includes(a) && present.includes(b));
    out.push(`\n### ${budget} evaluations, ${batch === 1 ? 'sequential' : `batches of ${batch}`}\n`);
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    out.push(row(['function', ...present, ...ratios.map(([a, b]) => `${a}/${b}`)]));
    out.push(row(['---', ...present.map(() => '---'), ...ratios.map(() => '---')]));
    const logRatios: number[][] = ratios.map(() => []);
    for (const fn of fns) {
      const median = new Map<string, number>();
      const cells = present.map((o) => {
        const v = rs
          .filter((r) => r.fn === fn && r.optimizer === o)
          .map((r) => r.regret)
          .sort((a, b) => a - b);
        if (v.length === 0) return '–';
        median.set(o, quantile(v, 0.5));
        return compact
          ? fmt(quantile(v, 0.5))
          : `${fmt(quantile(v, 0.5))} [${fmt(quantile(v, 0.25))}, ${fmt(quantile(v, 0.75))}] (${v.length})`;
      });
      const ratioCells = ratios.map(([a, b], i) => {
        const ma = median.get(a);
        const mb = median.get(b);
        if (ma === undefined || mb === undefined) return '–';
        const ratio = Math.max(ma, FLOOR) / Math.max(mb, FLOOR);
        (logRatios[i] as number[]).push(Math.log(ratio));
        return ratio.toFixed(2);
      });
      out.push(row([fn, ...cells, ...ratioCells]));
    }
    const geo = logRatios.map((l) =>
      l.length ? Math.exp(l.reduce((s, v) => s + v, 0) / l.length).toFixed(2) : '–',
    );
    if (ratios.length > 0)
      out.push(
        row(['**geometric mean of ratios**', ...present.map(() => ''), ...geo.map((g) => `**${g}**`)]),
      );
  }
  return out.join('\n');
}
