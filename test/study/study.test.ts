/**
 * Tuning studies against a real Temporal dev server, with the CLI and the workers as separate processes,
 * exactly as users run them (TEMPORAL_ADDRESS set: nothing embedded).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootMessage } from '../../src/study/failures.js';
import { CONTROL_QUEUE, studyWorkflowId, WORKFLOW_TYPE } from '../../src/study/types.js';
import { csvRows, duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers(
  [
    ['--control'],
    // Both allow the missing program: the test is that it cannot run, wherever its trial lands.
    ['--gpu', '0', ...ALLOW_NODE, '--allow-program', 'no-such-pipeline-program'],
    ['--gpu', '1', ...ALLOW_NODE, '--allow-program', 'no-such-pipeline-program'],
  ],
  {
    PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
  },
);

describe('a full study', () => {
  it('runs the baseline and 2 optimizers × 5 iterations in batches of 2, recording each trial once', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(undefined, 'full');
    const tune = runCli(['tune', config, '--root', root, '--name', 'full'], rig.env);
    const { code } = await tune.exit;
    expect(code, tune.output()).toBe(0);
    expect(tune.output()).toMatch(/progress: 100% \(11\/11\) .*\| best HOTA \d{1,3}\.\d{3} \(trial \d+\)/);
    // It ends with the summary `pipetune results` prints, scores in points.
    expect(tune.output()).toMatch(
      /study full: 11 trials, 11 succeeded, 0 failed\nbest HOTA \d{1,3}\.\d{3} at trial \d+ .*\nbaseline HOTA \d{1,3}\.\d{3}, improvement [+-]\d+\.\d{3} points/,
    );

    const records = await readRecords(output);
    expect(records).toHaveLength(11);
    expect(duplicates(records)).toEqual([]);
    expect(records.filter((r) => r.optimizer === 'baseline')).toHaveLength(1);
    expect(
      records
        .filter((r) => r.optimizer === 'random')
        .map((r) => r.iteration)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(records.filter((r) => r.optimizer === 'tpe')).toHaveLength(5);
    // Each proposal says which part of its optimizer made it (an ensemble credits its members by it).
    expect(
      records.filter((r) => r.optimizer !== 'baseline').every((r) => typeof r.proposer === 'string'),
    ).toBe(true);
    expect(records.every((r) => r.status === 'ok' && r.score! > 0 && r.score! <= 1)).toBe(true);
    // Scores come from real runs: different params, different HOTA.
    expect(new Set(records.map((r) => r.score)).size).toBeGreaterThan(5);
    expect(await csvRows(output)).toHaveLength(11);
    const best = Math.max(...records.map((r) => r.score!));
    const baseline = records.find((r) => r.optimizer === 'baseline')!.score!;
    expect(best).toBeGreaterThanOrEqual(baseline);
  });
});

describe('the optimization manager', () => {
  it('stops after threshold_ds_app_fails failed runs, showing the log error lines and the log path', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(
      (y) =>
        y
          .replace('dropRate: [0.0, 0.5, linear, real]', 'dropRate: [0.0, 0.5, linear, real]\n      fail: 1')
          .replace('threshold_ds_app_fails: 3', 'threshold_ds_app_fails: 2'),
      'failing',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'failing'], rig.env);
    const { code } = await tune.exit;
    expect(code).toBe(1);
    expect(tune.output()).toMatch(
      /pipeline runs failed, more than optim_manager\.threshold_ds_app_fails = 2/,
    );
    expect(tune.output()).toMatch(/ERROR: failed to build the TensorRT engine \(fake\)/);
    expect(tune.output()).toMatch(/full log: .*checkpoints\/trial-\d{4}-\w+\/log\.txt/);
    expect(tune.output()).toMatch(/study failing: \d+ trials, \d+ succeeded, \d+ failed\n/);
    const records = await readRecords(output);
    expect(records.filter((r) => r.status === 'failed').length).toBeGreaterThanOrEqual(3);
    expect(records.length).toBeLessThan(11);
    expect(duplicates(records)).toEqual([]);
  });

  it('stops after threshold_zero_scores zero scores', { timeout: 180_000 }, async () => {
    const { config, root, output } = await fixtureRoot(
      (y) =>
        y
          .replace('dropRate: [0.0, 0.5, linear, real]', 'dropRate: [0.0, 0.5, linear, real]\n      empty: 1')
          .replace('threshold_zero_scores: 20', 'threshold_zero_scores: 2'),
      'zeros',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'zeros'], rig.env);
    const { code } = await tune.exit;
    expect(code).toBe(1);
    expect(tune.output()).toMatch(/trials scored 0, more than optim_manager\.threshold_zero_scores = 2/);
    const records = await readRecords(output);
    expect(records.filter((r) => r.score === 0).length).toBeGreaterThanOrEqual(3);
    expect(records.length).toBeLessThan(11);
  });
});

describe('stop, pause and resume', () => {
  it('pauses (no new trials), resumes, then stops gracefully with results written', {
    timeout: 300_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(
      // A budget the study cannot finish before the stop arrives, even when the stop's CLI starts slowly.
      (y) => y.replace(/max_iteration: 5/g, 'max_iteration: 200'),
      'pausing',
    );
    const slow = { ...rig.env, FAKE_SLEEP_MS: '700' };
    const tune = runCli(['tune', config, '--root', root, '--name', 'pausing'], slow);
    await eventually(async () => (await readRecords(output)).length >= 3, 60_000, '3 trials');

    const pause = runCli(['pause', 'pausing'], rig.env);
    expect((await pause.exit).code, pause.output()).toBe(0);
    expect(pause.output()).toMatch(/study pausing: paused/);
    // Running trials finish; then nothing new starts.
    await new Promise((r) => setTimeout(r, 3_000));
    const whilePaused = (await readRecords(output)).length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await readRecords(output)).length).toBe(whilePaused);

    const resume = runCli(['resume', 'pausing'], rig.env);
    // `resume` follows the study; it is enough that it un-paused it.
    await eventually(
      async () => (await readRecords(output)).length > whilePaused,
      30_000,
      'a trial after resume',
    );

    const stop = runCli(['stop', 'pausing'], rig.env);
    expect((await stop.exit).code, stop.output()).toBe(0);
    const { code } = await tune.exit;
    expect(code, tune.output()).toBe(0);
    await resume.exit;
    const records = await readRecords(output);
    expect(records.length).toBeLessThan(401);
    expect(duplicates(records)).toEqual([]);
    expect(await csvRows(output)).toHaveLength(records.length);
    const status = runCli(['status', 'pausing', '--json'], rig.env);
    await status.exit;
    expect(JSON.parse(status.output()).state).toBe('stopped');
  });
});

describe('Ctrl+C', () => {
  it('stops gracefully: running trials finish, results are written, the study ends stopped', {
    timeout: 240_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(
      (y) => y.replace(/max_iteration: 5/g, 'max_iteration: 200'),
      'interrupted',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'interrupted'], {
      ...rig.env,
      FAKE_SLEEP_MS: '700',
    });
    await eventually(async () => (await readRecords(output)).length >= 3, 60_000, '3 trials');
    tune.child.kill('SIGINT');
    await tune.waitFor(/stopping after the running trials/);
    const { code } = await tune.exit;
    expect(code, tune.output()).toBe(0);
    expect(tune.output()).toMatch(/\[stopped\]/);
    const records = await readRecords(output);
    expect(records.length).toBeLessThan(401);
    expect(duplicates(records)).toEqual([]);
    expect(await csvRows(output)).toHaveLength(records.length);
    const status = runCli(['status', 'interrupted', '--json'], rig.env);
    await status.exit;
    expect(JSON.parse(status.output()).state).toBe('stopped');
  });
});

describe('study names', () => {
  it('gives each named study of one config its own folder, and refuses a folder of another study', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(undefined, 'name-a');
    const tune = (name: string, ...more: string[]) =>
      runCli(['tune', config, '--root', root, '--name', name, '--max-iterations', '1', ...more], rig.env);
    for (const name of ['name-a', 'name-b']) {
      const run = tune(name);
      expect((await run.exit).code, run.output()).toBe(0);
      expect(run.output()).toMatch(/progress: 100% \(3\/3\)/);
    }
    expect(await readRecords(output)).toHaveLength(3);
    expect(await readRecords(output.replace('name-a_output', 'name-b_output'))).toHaveLength(3);

    const intruder = tune('name-c', '--output', output);
    expect((await intruder.exit).code).toBe(2);
    expect(intruder.output()).toBe(
      `pipetune: --output ${output} holds study "name-a", not "name-c"; choose another output folder (or continue it with --name name-a)\n`,
    );
    expect(await readRecords(output)).toHaveLength(3);
  });
});

describe('held-out validation', () => {
  it('re-scores the baseline and the best config on validationSeqmapPath, each on those sequences only', {
    timeout: 180_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(
      (y) =>
        y
          .replace('seqmapPath: data/utils/seqmap.txt', 'seqmapPath: data/utils/tune.txt')
          .replace('seed: 1', 'seed: 1\n      validationSeqmapPath: data/utils/holdout.txt'),
      'heldout',
    );
    await writeFile(path.join(root, 'data', 'utils', 'tune.txt'), 'name\nCam01\n');
    await writeFile(path.join(root, 'data', 'utils', 'holdout.txt'), 'name\nCam02\n');
    const tune = runCli(
      ['tune', config, '--root', root, '--name', 'heldout', '--max-iterations', '3'],
      rig.env,
    );
    expect((await tune.exit).code, tune.output()).toBe(0);
    expect(tune.output()).toMatch(/progress: 100% \(9\/9 incl\. 2 held-out\)/);
    expect(tune.output()).toMatch(
      /held-out HOTA: best config \d+\.\d{3} \(trial \d+; tuning \d+\.\d{3}\), baseline \d+\.\d{3} \(tuning \d+\.\d{3}\)/,
    );

    const records = await readRecords(output);
    const tuning = records.filter((r) => r.optimizer !== 'validation');
    const held = records.filter((r) => r.optimizer === 'validation');
    const best = tuning.reduce((a, b) => (b.score! > a.score! ? b : a));
    expect(held.map((r) => r.validationOf).sort()).toEqual([0, best.trial].sort());
    for (const r of held) {
      const of = tuning.find((t) => t.trial === r.validationOf)!;
      expect(r.params).toEqual(of.params);
      // The held-out run saw only the held-out sequence, and its score is TrackEval's on it.
      const out = path.join(output, r.checkpoint, 'output');
      expect((await readdir(out)).sort()).toEqual(['Cam02.txt', 'perf.json']);
      const json = path.join(root, `eval-${r.trial}.json`);
      const evaluation = runCli([
        'eval',
        '--gt',
        path.join(root, 'data', 'videos'),
        '--tracker',
        out,
        '--seqmap',
        path.join(root, 'data', 'utils', 'holdout.txt'),
        '--json',
        json,
      ]);
      expect((await evaluation.exit).code, evaluation.output()).toBe(0);
      const report = JSON.parse(await readFile(json, 'utf8'));
      expect(r.score).toBeCloseTo(report.combined.summary.HOTA, 12);
    }
    // The search's best is not replaced by a held-out score.
    const status = runCli(['status', 'heldout', '--json'], rig.env);
    await status.exit;
    expect(JSON.parse(status.output()).best.trial).toBe(best.trial);
  });
});

describe('a study that cannot run', () => {
  it('names a missing seqmap before starting (tune) and in the failure of a study started otherwise', {
    timeout: 120_000,
  }, async () => {
    const { config, root } = await fixtureRoot(
      (y) => y.replace('seqmapPath: data/utils/seqmap.txt', 'seqmapPath: data/utils/missing.txt'),
      'noseqmap',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'noseqmap'], rig.env);
    expect((await tune.exit).code).toBe(2);
    expect(tune.output()).toMatch(/seqmapPath.*missing\.txt/);
    expect(tune.output()).not.toMatch(/\n\s+at /);

    // Started by another system (no CLI check first): the study fails in its prepare step, saying why.
    const study = { name: 'noseqmap', configPath: config, rootDir: root, outputDir: path.join(root, 'out') };
    const failure = await rig.server.client.workflow
      .execute(WORKFLOW_TYPE, {
        taskQueue: CONTROL_QUEUE,
        workflowId: studyWorkflowId('noseqmap'),
        args: [{ study }],
      })
      .catch((err: unknown) => err);
    expect(rootMessage(failure)).toMatch(/seqmapPath.*missing\.txt/);
  });

  it('fails at once, naming it, when its output folder cannot be made', { timeout: 60_000 }, async () => {
    const { config, root } = await fixtureRoot(undefined, 'procout');
    const tune = runCli(
      ['tune', config, '--root', root, '--name', 'procout', '--output', '/proc/pipetune-x'],
      rig.env,
    );
    expect((await tune.exit).code).toBe(1);
    expect(tune.output()).toMatch(
      /\/proc\/pipetune-x: cannot create the study output folder: \/proc does not accept new folders/,
    );
  });

  it('stops at the first trial when the pipeline program does not exist, naming it', {
    timeout: 120_000,
  }, async () => {
    const { config, root, output } = await fixtureRoot(
      (y) =>
        y.replace(
          'command: [node, fake-pipeline.mjs',
          'command: [no-such-pipeline-program, fake-pipeline.mjs',
        ),
      'noprogram',
    );
    const tune = runCli(['tune', config, '--root', root, '--name', 'noprogram'], rig.env);
    expect((await tune.exit).code).toBe(1);
    expect(tune.output()).toMatch(
      /study stopped: the pipeline cannot run \(trial 0\): cannot run "no-such-pipeline-program": .*not found/,
    );
    expect(tune.output()).not.toMatch(/taskToken|"error":\{\}/);
    expect((await readRecords(output)).map((r) => r.status)).toEqual(['failed']);
  });
});
