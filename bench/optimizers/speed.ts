/**
 * Suggest latency of every optimizer at d = 30 with 200 finished trials (the ParamSearch activity budget:
 * ≤ 1 s for GP on one core). Mixed space: 20 reals (5 of them log), 6 ints, 4 choices.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/optimizers/speed.js [--trials 200] [--repeats 3]
 */
import { optimizerNames, suggest } from '../../src/optimizers/index.js';
import { decode } from '../../src/space/encoding.js';
import { Rng } from '../../src/space/sampling.js';
import type { Dimension, Space, Trial } from '../../src/space/types.js';

function arg(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const dimensions: Dimension[] = [
  ...Array.from(
    { length: 20 },
    (_, i): Dimension => ({ kind: 'real', name: `r${i}`, low: i < 5 ? 1e-4 : -1, high: 1, log: i < 5 }),
  ),
  ...Array.from(
    { length: 6 },
    (_, i): Dimension => ({ kind: 'int', name: `k${i}`, low: 0, high: 50, log: false }),
  ),
  ...Array.from(
    { length: 4 },
    (_, i): Dimension => ({ kind: 'choice', name: `c${i}`, choices: ['a', 'b', 'c'] }),
  ),
];
const space: Space = { dimensions };
const rng = new Rng(1);
const trials: Trial[] = Array.from({ length: arg('--trials', 200) }, () => {
  const u = dimensions.map(() => rng.uniform());
  const params = decode(space, u);
  return { params, score: -u.reduce((s, v, j) => s + (v - 0.3 - 0.01 * j) ** 2, 0) };
});
const repeats = arg('--repeats', 3);
const names = [...new Set(optimizerNames.filter((n) => !['scikit', 'pysot', 'opentuner'].includes(n)))];
console.log(`d = ${dimensions.length}, ${trials.length} trials, median of ${repeats} calls (CPU seconds)`);
console.log('| optimizer | n = 1 | n = 4 |\n|---|---|---|');
for (const name of names) {
  const time = (n: number) => {
    const t = Array.from({ length: repeats }, (_, seed) => {
      // CPU time of this process (user + system): the one-core figure, unaffected by other load on the machine.
      const t0 = process.cpuUsage();
      suggest(name, { space, trials, pending: [], n, seed, budget: 300 });
      const used = process.cpuUsage(t0);
      return (used.user + used.system) / 1e6;
    }).sort((a, b) => a - b);
    return (t[Math.floor(repeats / 2)] as number).toFixed(3);
  };
  console.log(`| ${name} | ${time(1)} | ${time(4)} |`);
}
