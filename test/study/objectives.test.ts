/**
 * A constrained two-objective study (HOTA × fps, fps ≥ 30) against a real Temporal dev server, CLI and
 * workers as separate processes, killed and resumed: throughput comes from the command pipeline's
 * perf.json, infeasible trials never become best, and the results hold the Pareto set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { paretoSet } from '../../src/objectives/pareto.js';
import { csvRows, duplicates, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE]], {
  PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
  FAKE_SLEEP_MS: '300',
});

const OBJECTIVES = `    Eval:
      objectives:
        - {metric: HOTA, goal: max}
        - {metric: fps, goal: max}
      constraints:
        - {metric: fps, min: 30}
`;

it('keeps the Pareto set of feasible trials through a kill and a resume, and deploys a pick', {
  timeout: 240_000,
}, async () => {
  const { config, root, output } = await fixtureRoot(
    (y) =>
      y
        .replace('    Eval:\n      metric: HOTA\n', OBJECTIVES)
        .replace(/name: random\n(\s+)max_iteration: 5/, 'name: random\n$1max_iteration: 6')
        .replace(/name: tpe\n(\s+)max_iteration: 5/, 'name: auto\n$1max_iteration: 6'),
    'pareto',
  );
  const check = runCli(['check', config, '--root', root], rig.env);
  expect((await check.exit).code, check.output()).toBe(0);
  expect(check.output()).toContain('objectives      HOTA (max) × fps (max)');
  expect(check.output()).toContain('constraints     fps ≥ 30');

  const first = runCli(['tune', config, '--root', root, '--name', 'pareto'], rig.env);
  await first.waitFor(/progress: .*\((?:[4-9]|1[0-2])\/13\)/, 120_000);
  first.child.kill('SIGKILL');
  await first.exit;
  const resumed = runCli(['resume', 'pareto', '--root', root], rig.env);
  expect((await resumed.exit).code, resumed.output()).toBe(0);
  expect(resumed.output()).toMatch(/\| infeasible \d+ \| Pareto set \d+ \|/);
  expect(resumed.output()).toMatch(/Pareto set of HOTA \(max\) × fps \(max\): \d+ configs?, hypervolume/);
  expect(resumed.output()).toMatch(/constraints fps ≥ 30: \d+ of 13 complete trials feasible/);

  const records = await readRecords(output);
  expect(duplicates(records)).toEqual([]);
  expect(records).toHaveLength(13);
  // fps from perf.json (20 + 80·dropRate); violation relative to the bound.
  for (const r of records) {
    expect(r.fps).toBeCloseTo(20 + 80 * Number(r.params['Tracker.Fake.dropRate']), 9);
    expect(r.violation).toBeCloseTo(Math.max(0, (30 - r.fps!) / 30), 9);
  }
  const infeasible = records.filter((r) => r.violation! > 0);
  expect(infeasible.length).toBeGreaterThan(0);

  // The front on disk is the feasible non-dominated set of the records.
  const front = paretoSet(
    ['max', 'max'],
    records.map((r) => ({ values: [r.metrics.HOTA! * 100, r.fps!], violation: r.violation! })),
  ).map((i) => records[i]!.trial);
  const best = path.join(output, 'results', 'best');
  const folders = (await readdir(path.join(best, 'pareto'))).sort();
  expect(folders).toEqual(front.map((t) => `trial-${String(t).padStart(4, '0')}`).sort());
  const bestParams = JSON.parse(readFileSync(path.join(best, 'params.json'), 'utf8'));
  const bestRecord = records.find((r) => JSON.stringify(r.params) === JSON.stringify(bestParams))!;
  expect(bestRecord.violation).toBe(0);
  expect(existsSync(path.join(best, 'pareto', folders[0]!, 'configs', 'tracker.yml'))).toBe(true);
  expect((await csvRows(output)).length).toBe(13);

  // A pick rule the front can meet puts that config in best/.
  const fastest = Math.max(...records.filter((r) => front.includes(r.trial)).map((r) => r.fps!));
  const picked = runCli(['results', output, '--pick', `fps>=${fastest}`], rig.env);
  expect((await picked.exit).code, picked.output()).toBe(0);
  const pickedParams = JSON.parse(readFileSync(path.join(best, 'params.json'), 'utf8'));
  expect(records.find((r) => JSON.stringify(r.params) === JSON.stringify(pickedParams))!.fps).toBe(fastest);
});
