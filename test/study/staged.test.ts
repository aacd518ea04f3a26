/**
 * A staged, pruned study against a real Temporal dev server, CLI and workers as separate processes: the
 * trials run their sequences in stages, the pruner stops some, and pruned trials never become best nor
 * enter held-out validation.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { addSequence } from '../../bench/chaos/chaos.js';
import { readStageRecords } from '../../src/study/stageStore.js';
import { csvRows, duplicates, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, runCli, serverWithWorkers } from '../helpers/temporal.js';

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE], ['--gpu', '1', ...ALLOW_NODE]], {
  PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
});

it('runs trials in stages, prunes some, and keeps pruned trials out of best and validation', {
  timeout: 240_000,
}, async () => {
  const pruning =
    'pruning:\n  pruner: asha\n  stages: 2\n  reduction_factor: 2\n  min_scores: 2\n  order: seqmap\n';
  const { config, root, output } = await fixtureRoot(
    (y) =>
      y
        .replace('seqmapPath: data/utils/seqmap.txt', 'seqmapPath: data/utils/tune.txt')
        .replace('seed: 1', 'seed: 1\n      validationSeqmapPath: data/utils/holdout.txt')
        .replace('reevaluateTop: 0', 'reevaluateTop: 2') + pruning,
    'staged',
  );
  await addSequence(root, 'Cam03');
  await writeFile(path.join(root, 'data', 'utils', 'tune.txt'), 'name\nCam01\nCam03\n');
  await writeFile(path.join(root, 'data', 'utils', 'holdout.txt'), 'name\nCam02\n');

  const check = runCli(['check', config, '--root', root], rig.env);
  expect((await check.exit).code, check.output()).toBe(0);
  expect(check.output()).toContain('stage 1: 1 sequence(s), 40 frames (50 %): Cam01');
  expect(check.output()).toContain('pruner asha: after stages 1..1');

  const tune = runCli(['tune', config, '--root', root, '--name', 'staged'], rig.env);
  expect((await tune.exit).code, tune.output()).toBe(0);
  expect(tune.output()).toMatch(/\| pruned \d+ \|/);
  expect(tune.output()).toMatch(/study staged: 15 trials, \d+ complete, \d+ pruned, 0 failed/);
  expect(tune.output()).toMatch(
    /pipeline time \d+\.\d s for 15 trials \(\d[\d,]* frames\); pruning saved ~\d+\.\d s/,
  );

  const records = await readRecords(output);
  expect(duplicates(records)).toEqual([]);
  const search = records.filter((r) => r.optimizer !== 'validation' && r.optimizer !== 'reeval');
  const pruned = search.filter((r) => r.status === 'pruned');
  const complete = search.filter((r) => r.status === 'ok');
  expect(pruned.length).toBeGreaterThan(0);
  expect(complete.length).toBeGreaterThan(1);
  // Pruned trials ran stage 1 only, on Cam01 only; complete ones ran both stages and both sequences.
  for (const r of pruned) {
    expect(r.stages).toEqual({ reached: 1, of: 2 });
    expect(Object.keys(r.perSequence!)).toEqual(['Cam01']);
    expect(r.frames).toBe(40);
    expect(r.savedMs).toBeGreaterThanOrEqual(0);
    expect(r.pruneReason).toMatch(/below the top 1\/2 cutoff/);
  }
  for (const r of complete) {
    expect(r.stages).toEqual({ reached: 2, of: 2 });
    expect(Object.keys(r.perSequence!).sort()).toEqual(['Cam01', 'Cam03']);
    expect(r.frames).toBe(80);
    const files = await readdir(path.join(output, r.checkpoint, 'output'));
    // Both stages' tracks, and the throughput of each stage and of the whole trial (docs/throughput.md).
    expect(files.sort()).toEqual([
      'Cam01.txt',
      'Cam03.txt',
      'perf-stage-1.json',
      'perf-stage-2.json',
      'perf.json',
    ]);
  }
  // The baseline always runs every stage.
  expect(records.find((r) => r.optimizer === 'baseline')?.status).toBe('ok');

  // Every stage scored exactly once.
  const stages = await readStageRecords(output);
  expect(new Set(stages.map((s) => s.key)).size).toBe(stages.length);
  expect(stages).toHaveLength(pruned.length + 2 * complete.length);

  // Re-evaluation and held-out validation run whole configs, and never a pruned one.
  const prunedTrials = new Set(pruned.map((r) => r.trial));
  const prunedParams = new Set(pruned.map((r) => JSON.stringify(r.params)));
  const reeval = records.filter((r) => r.optimizer === 'reeval');
  expect(reeval.length).toBeGreaterThan(0);
  for (const r of reeval) {
    expect(r.stages).toBeUndefined();
    expect(prunedParams.has(JSON.stringify(r.params))).toBe(false);
  }
  const validation = records.filter((r) => r.optimizer === 'validation');
  expect(validation.length).toBeGreaterThan(0);
  for (const r of validation) {
    expect(prunedTrials.has(r.validationOf!)).toBe(false);
    expect(Object.keys(r.perSequence!)).toEqual(['Cam02']);
  }
  // The best is a complete trial, even where a pruned trial's partial score is higher.
  const best = /best HOTA \d+\.\d{3} at trial (\d+)/.exec(tune.output());
  expect(complete.some((r) => r.trial === Number(best![1]))).toBe(true);

  const rows = await csvRows(output);
  expect(rows.filter((row) => row.includes(',pruned,'))).toHaveLength(pruned.length);
  const header = (
    await readFile(
      path.join(
        output,
        'results',
        (await readdir(path.join(output, 'results'))).find((f) => f.endsWith('.csv'))!,
      ),
      'utf8',
    )
  ).split('\n')[0]!;
  expect(header).toMatch(/,frames,stage_reached,stages,saved_s,prune_reason,fps$/);
  expect(existsSync(path.join(output, 'stages', 'plan.json'))).toBe(true);

  // The Temporal UI tells the story: a summary and details of the study, its current state in Markdown,
  // and a one-line summary on every activity.
  const handle = rig.server.client.workflow.getHandle('pipetune-staged');
  const description = await handle.describe();
  expect(await description.staticSummary()).toBe('pipetune study staged · HOTA · command');
  expect(await description.staticDetails()).toContain('**search space** (2 parameters)');
  const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(
    /^\*\*completed\*\* · (\d+)\/\1 trials · 0 running · best HOTA \d+\.\d{3} \(trial \d+\).* · \d+ pruned/,
  );
  const summaries = (await handle.fetchHistory()).events!.flatMap((e) => {
    const data = e.activityTaskScheduledEventAttributes ? e.userMetadata?.summary?.data : undefined;
    return data ? [JSON.parse(Buffer.from(data).toString('utf8')) as string] : [];
  });
  expect(summaries).toContain('search random it 1');
  expect(summaries.some((s) => /^run trial \d+ · tpe it \d+ · stage 2\/2$/.test(s))).toBe(true);
  expect(summaries.some((s) => /^score trial \d+ · random it \d+ · stage 1\/2$/.test(s))).toBe(true);
});
