#!/usr/bin/env node
// Whole-process wall time of `pipetune eval` against TrackEval on the same inputs, alternating runs,
// medians and their ratio, and the same for their CPU time (user + system, all threads); the warm ratio (pipetune's evaluations after a first one in the same process,
// against TrackEval's whole process and against its evaluate() call alone); the start-up floors
// (`node -e 0`, `python3 -c pass`); and a parity check of our JSON against the mot-oracle's values.
//
//   node bench/eval/run.mjs [--data DIR] [--trackeval DIR] [--runs N] [--python python3]
//
// --data      shared data folder (default ../shared/data next to the repository)
// --trackeval a TrackEval checkout; without it only pipetune is timed (nothing is ever downloaded)
// Build first: npx tsc -p tsconfig.json
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(repo, '../shared/data') },
    trackeval: { type: 'string' },
    runs: { type: 'string', default: '5' },
    python: { type: 'string', default: 'python3' },
  },
});
const runs = Number(args.runs);
const data = resolve(args.data);
const cli = join(repo, 'bin/pipetune.js');
if (!existsSync(join(repo, 'dist/src/cli/commands/eval.js')))
  throw new Error('not built: run npx tsc -p tsconfig.json first');

/** The inputs: MOT17-train with MPNTrack (21 sequences), and the large synthetic oracle case. */
const cases = [
  {
    name: 'MOT17-train MPNTrack (21 seq)',
    gt: join(data, 'mot17/gt'),
    trackers: join(data, 'mot17/trackers'),
    tracker: 'MPNTrack',
    seqmap: join(data, 'mot17/seqmap-train.txt'),
    expected: join(data, 'mot-oracle/real-mot17-mpntrack/expected.json'),
  },
  {
    name: 'large-1500x40 (1 seq)',
    gt: join(data, 'mot-oracle/large-1500x40/gt'),
    trackers: join(data, 'mot-oracle/large-1500x40'),
    tracker: 'trackers',
    expected: join(data, 'mot-oracle/large-1500x40/expected.json'),
  },
].filter((c) => existsSync(c.gt));

const scratch = mkdtempSync(join(tmpdir(), 'pipetune-bench-eval-'));

/** TrackEval's MotChallenge2DBox on the same files, one process, no output files, USE_PARALLEL False. */
function trackevalRunner(c) {
  const seqInfo = c.seqmap
    ? `'SEQMAP_FILE': ${JSON.stringify(c.seqmap)},`
    : `'SEQ_INFO': {s: None for s in os.listdir(${JSON.stringify(c.gt)})},`;
  const script = `import os, sys
import numpy as np
# TrackEval still uses the aliases numpy removed in 1.24; restore their original meaning.
np.float = float; np.int = int
sys.path.insert(0, ${JSON.stringify(resolve(args.trackeval ?? '.'))})
import trackeval
evaluator = trackeval.Evaluator({'USE_PARALLEL': False, 'PRINT_CONFIG': False, 'OUTPUT_SUMMARY': False,
                                 'OUTPUT_DETAILED': False, 'PLOT_CURVES': False, 'LOG_ON_ERROR': None})
dataset = trackeval.datasets.MotChallenge2DBox({
    'GT_FOLDER': ${JSON.stringify(c.gt)}, 'TRACKERS_FOLDER': ${JSON.stringify(c.trackers)},
    'TRACKERS_TO_EVAL': [${JSON.stringify(c.tracker)}], 'TRACKER_SUB_FOLDER': '', 'SKIP_SPLIT_FOL': True,
    'BENCHMARK': 'MOT17', 'DO_PREPROC': True, 'PRINT_CONFIG': False, ${seqInfo}
})
metrics = [trackeval.metrics.HOTA(), trackeval.metrics.CLEAR({'THRESHOLD': 0.5, 'PRINT_CONFIG': False}),
           trackeval.metrics.Identity({'THRESHOLD': 0.5, 'PRINT_CONFIG': False})]
import time
start = time.perf_counter()
evaluator.evaluate([dataset], metrics)
print('EVALUATE_SECONDS', time.perf_counter() - start)
`;
  const file = join(scratch, `trackeval-${cases.indexOf(c)}.py`);
  writeFileSync(file, script);
  return [args.python, [file]];
}

function pipetune(c, json) {
  const argv = [cli, 'eval', '--gt', c.gt, '--tracker', join(c.trackers, c.tracker), '--json', json];
  if (c.seqmap) argv.push('--seqmap', c.seqmap);
  return [process.execPath, argv];
}

/**
 * CPU seconds (user + system, every thread) of the child processes reaped so far: cutime + cstime of
 * /proc/self/stat, in clock ticks of 10 ms. NaN where there is no /proc. On a shared machine the CPU
 * time moves less with the load than the wall time.
 */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Wall and CPU seconds of one process, and what it printed (TrackEval prints its evaluate() time). */
function run([command, argv]) {
  const cpu = childrenCpu();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0)
    throw new Error(`${command} ${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { seconds, cpu: childrenCpu() - cpu, stdout: result.stdout };
}

const timed = (commandLine) => run(commandLine).seconds;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Every expected number within 1e-9 (counts exactly), over sequences, combined and alphas. */
function parity(oursFile, expectedFile) {
  const ours = JSON.parse(readFileSync(oursFile, 'utf8'));
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
  let values = 0;
  const diffs = [];
  const walk = (a, b, path) => {
    if (Array.isArray(b) || (b !== null && typeof b === 'object')) {
      for (const key of Object.keys(b)) walk(a?.[key], b[key], `${path}.${key}`);
    } else if (typeof b === 'number') {
      values++;
      const ok = Number.isInteger(b) && Number.isInteger(a) ? a === b : Math.abs(a - b) <= 1e-9;
      if (!ok) diffs.push(`${path}: ${a} vs ${b}`);
    }
  };
  for (const key of ['alphas', 'sequences', 'combined']) walk(ours[key], expected[key], key);
  return { values, diffs };
}

/**
 * One process evaluating the same input 1 + `warm` times: the first call includes V8's warm-up (code
 * runs unoptimised until TurboFan has compiled each hot loop), the others are the steady-state cost.
 */
function inProcess(c, warm) {
  const options = { gtDir: c.gt, trackerDir: join(c.trackers, c.tracker), seqmapPath: c.seqmap };
  const script = `const { evaluateMot } = await import(${JSON.stringify(join(repo, 'dist/src/eval/index.js'))});
const times = [];
for (let i = 0; i < ${1 + warm}; i++) {
  const start = performance.now();
  evaluateMot(${JSON.stringify(options)});
  times.push((performance.now() - start) / 1000);
}
console.log(JSON.stringify(times));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`in-process run failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The processes' own floor: start-up and exit doing nothing. */
const floors = { node: [], python: [] };
for (let i = 0; i < runs; i++) {
  floors.node.push(timed([process.execPath, ['-e', '0']]));
  floors.python.push(timed([args.python, ['-c', 'pass']]));
}

const rows = [];
for (const c of cases) {
  const json = join(scratch, `ours-${cases.indexOf(c)}.json`);
  const ours = [];
  const oursCpu = [];
  const theirs = [];
  const theirsCpu = [];
  const theirEvaluate = [];
  for (let i = 0; i < runs; i++) {
    const mine = run(pipetune(c, json));
    ours.push(mine.seconds);
    oursCpu.push(mine.cpu);
    if (!args.trackeval) continue;
    const { seconds, cpu, stdout } = run(trackevalRunner(c));
    theirs.push(seconds);
    theirsCpu.push(cpu);
    theirEvaluate.push(Number(/EVALUATE_SECONDS (\S+)/.exec(stdout)?.[1]));
  }
  const check = parity(json, c.expected);
  const [first, ...warm] = inProcess(c, runs);
  rows.push({ c, ours, oursCpu, theirs, theirsCpu, theirEvaluate, check, first, warm: median(warm) });
  const fmt = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
  console.log(
    `${c.name}: pipetune ${fmt(ours)} s (CPU ${fmt(oursCpu)} s), in one process ${fmt([first, ...warm])} s${args.trackeval ? `; TrackEval ${fmt(theirs)} s (CPU ${fmt(theirsCpu)} s), its evaluate() ${fmt(theirEvaluate)} s` : ''}`,
  );
  console.log(
    `  parity with expected.json: ${check.diffs.length} differences over ${check.values} values${check.diffs.length ? `\n  ${check.diffs.slice(0, 5).join('\n  ')}` : ''}`,
  );
}

const nodeFloor = median(floors.node);
const pythonFloor = median(floors.python);
console.log(
  `\nstart-up floor: node -e 0 ${nodeFloor.toFixed(3)} s, ${args.python} -c pass ${pythonFloor.toFixed(3)} s`,
);
console.log(
  '\n| input | pipetune whole process (s) | TrackEval whole process (s) | **whole-process speed-up** | whole-process CPU (s): pipetune / TrackEval, ratio | pipetune in one process: 1st / warm (s) | **warm speed-up** (TrackEval process / warm) | TrackEval evaluate() (s) | warm vs evaluate() | ceiling at node -e 0 | parity |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const ratio = (a, b) => (a === undefined ? '–' : `${(a / b).toFixed(1)}×`);
for (const { c, ours, oursCpu, theirs, theirsCpu, theirEvaluate, check, first, warm } of rows) {
  const te = theirs.length ? median(theirs) : undefined;
  const cpu = theirsCpu.length
    ? `${median(oursCpu).toFixed(2)} / ${median(theirsCpu).toFixed(2)}, ${ratio(median(theirsCpu), median(oursCpu))}`
    : `${median(oursCpu).toFixed(2)} / –`;
  const teEval = theirEvaluate.length ? median(theirEvaluate) : undefined;
  console.log(
    `| ${c.name} | ${median(ours).toFixed(2)} | ${te?.toFixed(2) ?? '–'} | ${ratio(te, median(ours))} | ${cpu} | ${first.toFixed(2)} / ${warm.toFixed(2)} | ${ratio(te, warm)} | ${teEval?.toFixed(2) ?? '–'} | ${ratio(teEval, warm)} | ${ratio(te, nodeFloor)} | ${check.diffs.length === 0 ? `equal (${check.values} values)` : `${check.diffs.length} diffs`} |`,
  );
}
rmSync(scratch, { recursive: true, force: true });
process.exitCode = rows.every((r) => r.check.diffs.length === 0) ? 0 : 1;
