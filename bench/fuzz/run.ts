/**
 * Fuzz benchmark: `--count` generated inputs through check, eval, render and the built-in pipeline
 * (bench/fuzz/fuzz.ts), plus `--cli` of them through real `pipetune check` / `pipetune eval` processes.
 *   npm run build && node dist/bench/fuzz/run.js [--count 10000] [--seed 1] [--cli 50]
 * Prints the outcome table and the first failures; exits 1 on any crash, hang or bad message.
 */
import { numberFlag, parseCommandArgs } from '../../src/cli/args.js';
import { outcomeTable, runFuzz } from './fuzz.js';

const { values } = parseCommandArgs(
  'bench/fuzz',
  process.argv.slice(2),
  { count: { type: 'string' }, seed: { type: 'string' }, cli: { type: 'string' } },
  false,
);
const count = numberFlag('count', values.count, 10_000, { integer: true, min: 0 });
const seed = numberFlag('seed', values.seed, 1, { integer: true, min: 0 });
const cliRuns = numberFlag('cli', values.cli, 50, { integer: true, min: 0 });

const started = Date.now();
const { results, cli } = await runFuzz({ count, seed, cliRuns });
const seconds = (Date.now() - started) / 1000;
process.stdout.write(
  `fuzz: ${count} cases, seed ${seed}, ${seconds.toFixed(1)} s\n\n${outcomeTable(results)}\n\n`,
);
process.stdout.write(`CLI processes: ${cli.runs} run, ${cli.failures.length} failed\n`);
const failures = results.filter(
  (r) => r.outcome === 'crash' || r.outcome === 'hang' || r.outcome === 'bad message',
);
for (const failure of [...failures.slice(0, 10)])
  process.stdout.write(`\n${failure.target} ${failure.outcome} (${failure.ms} ms): ${failure.message}\n`);
for (const failure of cli.failures.slice(0, 5)) process.stdout.write(`\nCLI: ${failure}\n`);
process.exitCode = failures.length + cli.failures.length > 0 ? 1 : 0;
