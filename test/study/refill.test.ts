/**
 * An optimizer keeps `batch_size` iterations running: when one of its trials ends, it proposes the next
 * at once instead of waiting for the slowest trial of the batch, so no GPU idles behind it. Proposals of
 * trials that end out of order can leave an iteration unrun when the run ends (stop, continue-as-new):
 * the next run runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { duplicates, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers([['--control'], ['--gpu', '0,1', ...ALLOW_NODE, '--allow-program', 'sh']], {
  FAKE_SLEEP_MS: '200',
});

/** One optimizer, batches of 2; the run that takes `slow-once` from the study root sleeps 4 s first. */
const oneSlowTrial = (yaml: string) =>
  yaml
    .replace(
      /command: \[node, fake-pipeline\.mjs, /,
      `command: [sh, -c, 'if mv slow-once slow-once.taken 2>/dev/null; then sleep 4; fi; exec node fake-pipeline.mjs "$@"', slow, `,
    )
    .replace(
      /bbo:[\s\S]*?servers:/,
      'bbo:\n  optimizers:\n    type1: { name: random, max_iteration: 6, batch_size: 2 }\nservers:',
    )
    .replace('baseline: true', 'baseline: false');

it('runs the next iterations beside a slow trial instead of waiting for it', {
  timeout: 180_000,
}, async () => {
  const { config, root, output } = await fixtureRoot(oneSlowTrial, 'refill');
  writeFileSync(path.join(root, 'slow-once'), '');
  const tune = runCli(['tune', config, '--root', root, '--name', 'refill'], rig.env);
  expect((await tune.exit).code, tune.output()).toBe(0);

  const records = await readRecords(output);
  expect(records).toHaveLength(6);
  expect(duplicates(records)).toEqual([]);
  const time = (iso: string) => Date.parse(iso);
  const slow = records.reduce((a, b) => (b.execMs > a.execMs ? b : a));
  expect(slow.execMs).toBeGreaterThan(3_500);
  // Trials proposed after the slow one started, and done before it ended: the other GPU kept working.
  const beside = records.filter(
    (r) => time(r.startedAt) > time(slow.startedAt) + 500 && time(r.finishedAt) < time(slow.finishedAt),
  );
  expect(
    beside.length,
    JSON.stringify(records.map((r) => [r.trial, r.startedAt, r.finishedAt])),
  ).toBeGreaterThanOrEqual(2);
});

it('runs in a continued study the iteration an earlier run proposed but never started', {
  timeout: 180_000,
}, async () => {
  const fourRandom = (yaml: string) =>
    yaml
      .replace(
        /bbo:[\s\S]*?servers:/,
        'bbo:\n  optimizers:\n    type1: { name: random, max_iteration: 4, batch_size: 1 }\nservers:',
      )
      .replace('baseline: true', 'baseline: false');
  const { config, root, output } = await fixtureRoot(fourRandom, 'hole');
  const tune = () => runCli(['tune', config, '--root', root, '--name', 'hole'], rig.env);
  const first = tune();
  expect((await first.exit).code, first.output()).toBe(0);
  // As a run leaves it when a later proposal started and the earlier one did not: iteration 2 has no trial.
  const store = path.join(output, 'trials.jsonl');
  const lines = readFileSync(store, 'utf8').split('\n').filter(Boolean);
  writeFileSync(store, `${lines.filter((l) => JSON.parse(l).iteration !== 2).join('\n')}\n`);

  const again = tune();
  expect((await again.exit).code, again.output()).toBe(0);
  const records = await readRecords(output);
  expect(records.map((r) => r.iteration).sort()).toEqual([1, 2, 3, 4]);
  expect(duplicates(records)).toEqual([]);
});
