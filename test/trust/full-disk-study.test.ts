/**
 * A study whose output folder fills up (under pipetune's own writes, or under its pipeline program) or
 * turns read-only, against a real Temporal server and worker processes: the study holds (paused, saying
 * why) instead of failing or losing a trial, and goes on once space is back or the folder is writable.
 * Needs root for a small tmpfs under the output folder, like test/trust/storage.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, expect, it } from 'vitest';
import { workflowBundle } from '../../src/worker/bundle.js';
import { duplicates, eventually, fixtureRoot, readRecords } from '../helpers/study.js';
import { ALLOW_NODE, type CliRun, REPO, runCli, serverWithWorkers } from '../helpers/temporal.js';

/** A copy of the fixture study whose output folder is a tmpfs of `size`, when this runs as root. */
async function onTmpfs(name: string, size: string, edit?: (yaml: string) => string) {
  if (process.getuid?.() !== 0) return undefined;
  const study = await fixtureRoot(edit, name);
  return tryMount(path.join(study.root, 'output'), size) ? study : undefined;
}

function tryMount(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The pipeline program, while `fill-now` exists in the study root, fills the disk, then runs `afterFill`
 * and fails saying so, as a program does on a full disk. Every attempt does, so a retried attempt (a
 * slow worker's heartbeat timeout under load) fails alike.
 */
const failsOnFullDisk = (afterFill: string) =>
  shellFirst(
    `if [ -e fill-now ]; then cat /dev/zero > "$4/big" 2>/dev/null; ${afterFill}; echo "write: No space left on device" >&2; exit 1; fi`,
  );

/** The study's pipeline program, run by `sh` after `script`. */
function shellFirst(script: string) {
  return (yaml: string) =>
    yaml.replace(
      /command: \[node, fake-pipeline\.mjs, /,
      `command: [sh, -c, '${script}; exec node fake-pipeline.mjs "$@"', pipeline, `,
    );
}
/** A few KB left free, so the worker's small writes still pass. */
const leavesItFull = failsOnFullDisk('truncate -s -8K "$4/big"');
/** The partial file removed before the program exits: the disk is not full by then. */
const cleansUp = failsOnFullDisk('rm -f "$4/big"');

const root = await onTmpfs('fulldisk', '2m');
const programRoot = await onTmpfs('programfull', '2m', leavesItFull);
/**
 * Each run waits 2 s before it starts, so the study cannot end before the read-only remount goes through
 * (refused while a file is open for writing): with trials of a few ms it once did.
 */
const slowRuns = shellFirst('sleep 2');
const readonlyRoot = await onTmpfs('readonly', '8m', slowRuns);
const finalRoot = await onTmpfs('finalro', '8m', (y) => y.replace(/max_iteration: 5/g, 'max_iteration: 50'));
const cleanedRoot = await onTmpfs('cleaned', '2m', cleansUp);

afterAll(() => {
  for (const study of [root, programRoot, readonlyRoot, finalRoot, cleanedRoot])
    if (study) execFileSync('umount', ['-l', path.join(study.root, 'output')]);
});

/** Fills the file system under `dir` until it refuses more; returns the filler file. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const chunk = Buffer.alloc(16 * 1024, 'x');
  for (let i = 0; i < 1000; i++) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' });
    } catch {
      return filler;
    }
  }
  throw new Error('the tmpfs did not fill up');
}

const rig = serverWithWorkers([['--control'], ['--gpu', '0', ...ALLOW_NODE, '--allow-program', 'sh']], {
  PIPETUNE_HEARTBEAT_TIMEOUT_MS: '5000',
  FAKE_SLEEP_MS: '300',
});

/** Starts `tune` of a study on its tmpfs and waits until two trials are recorded. */
async function tuneUntilTwoTrials(study: { config: string; root: string; output: string }, name: string) {
  const tune = runCli(['tune', study.config, '--root', study.root, '--name', name], rig.env);
  await eventually(async () => (await readRecords(study.output)).length >= 2, 120_000, 'two recorded trials');
  return tune;
}

/** Resumes the held study; it must end with all 11 trials recorded once, each `ok`. */
async function resumeToTheEnd(tune: CliRun, name: string, dir: string, output: string) {
  const resume = runCli(['resume', name, '--root', dir], rig.env);
  expect((await tune.exit).code, tune.output()).toBe(0);
  await resume.exit;
  const records = await readRecords(output);
  expect(duplicates(records)).toEqual([]);
  expect(records).toHaveLength(11);
  expect(records.filter((r) => r.status !== 'ok')).toEqual([]);
}

it.skipIf(!root)(
  'holds the study, saying why, while its disk is full, and goes on once space is back',
  {
    timeout: 240_000,
  },
  async () => {
    const { output } = root!;
    const tune = await tuneUntilTwoTrials(root!, 'fulldisk');
    const filler = fill(path.join(root!.root, 'output'));

    await tune.waitFor(/\[paused: held: .*cannot write: no space left on its device \(ENOSPC\)/, 120_000);
    const status = runCli(['status', 'fulldisk', '--root', root!.root], rig.env);
    expect((await status.exit).code).toBe(0);
    expect(status.output()).toMatch(/study fulldisk: paused/);

    rmSync(filler);
    const resume = runCli(['resume', 'fulldisk', '--root', root!.root], rig.env);
    expect((await tune.exit).code, tune.output()).toBe(0);
    await resume.exit;
    const records = await readRecords(output);
    expect(duplicates(records)).toEqual([]);
    expect(records).toHaveLength(11);
    expect(tune.output()).toMatch(/\[completed\]/);

    // The held study's history: a failed activity, a timer, the same activity again.
    await replaysAndIsKept('pipetune-fulldisk', 'replay-held');
  },
);

/**
 * A held study's history must replay; with `PIPETUNE_RECORD_HISTORIES=1` it is written for the replay
 * test to keep replaying.
 */
async function replaysAndIsKept(workflowId: string, name: string): Promise<void> {
  const history = await rig.server.client.workflow.getHandle(workflowId).fetchHistory();
  const source = [{ workflowId: name, history }] as unknown as Parameters<
    typeof Worker.runReplayHistories
  >[1];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, source))
    expect(result.error?.message).toBeUndefined();
  if (process.env.PIPETUNE_RECORD_HISTORIES)
    await writeFile(
      path.join(REPO, 'test', 'fixtures', 'histories', `${name}.binpb`),
      temporal.api.history.v1.History.encode(history).finish(),
    );
}

it.skipIf(!programRoot)(
  'holds the study when a pipeline program fails on a full disk, instead of recording a failed run',
  { timeout: 240_000 },
  async () => {
    const { output, root: dir } = programRoot!;
    const tune = await tuneUntilTwoTrials(programRoot!, 'programfull');
    writeFileSync(path.join(dir, 'fill-now'), '');

    await tune.waitFor(/\[paused: held: .*cannot write: no space left on its device \(ENOSPC\)/, 120_000);
    const filled = findFiles(path.join(dir, 'output'), 'big');
    expect(filled.length).toBeGreaterThan(0);
    // The operator frees the space the program filled, and resumes.
    rmSync(path.join(dir, 'fill-now'));
    for (const big of filled) rmSync(big);
    await resumeToTheEnd(tune, 'programfull', dir, output);
  },
);

it.skipIf(!cleanedRoot)(
  'holds the study when a pipeline program that removed its partial output says its disk was full',
  { timeout: 240_000 },
  async () => {
    const { output, root: dir } = cleanedRoot!;
    const tune = await tuneUntilTwoTrials(cleanedRoot!, 'cleaned');
    writeFileSync(path.join(dir, 'fill-now'), '');

    await tune.waitFor(
      /\[paused: held: .*cannot write: no space left on its device \(ENOSPC\); the pipeline printed "write: No space left on device"/,
      120_000,
    );
    rmSync(path.join(dir, 'fill-now'));
    await resumeToTheEnd(tune, 'cleaned', dir, output);
  },
);

it.skipIf(!readonlyRoot)(
  'holds the study, saying so, while its output folder is read-only, and goes on once it is writable',
  { timeout: 240_000 },
  async () => {
    const { output, root: dir } = readonlyRoot!;
    const disk = path.join(dir, 'output');
    const tune = await tuneUntilTwoTrials(readonlyRoot!, 'readonly');
    // Refused (EBUSY) while a file is open for writing on it: between two writes it goes through.
    await eventually(() => remount(disk, 'ro'), 60_000, 'a read-only remount');

    await tune.waitFor(/\[paused: held: .*cannot write: it is read-only \(EROFS\)/, 120_000);
    const status = runCli(['status', 'readonly', '--root', dir], rig.env);
    expect((await status.exit).code).toBe(0);
    expect(status.output()).toMatch(/study readonly: paused/);

    expect(remount(disk, 'rw')).toBe(true);
    await resumeToTheEnd(tune, 'readonly', dir, output);
    expect(tune.output()).toMatch(/\[completed\]/);
  },
);

it.skipIf(!finalRoot)(
  'holds the final results of a stopped study while its output folder is read-only, and writes them once it is writable',
  { timeout: 240_000 },
  async () => {
    const { output, root: dir } = finalRoot!;
    const disk = path.join(dir, 'output');
    const tune = await tuneUntilTwoTrials(finalRoot!, 'finalro');
    // Paused with nothing running, the folder turns read-only, then the study is stopped: only the
    // final results remain to be written.
    expect((await runCli(['pause', 'finalro', '--root', dir], rig.env).exit).code).toBe(0);
    await eventually(async () => (await studyStatus(dir)).running === 0, 60_000, 'no running trial');
    const recorded = (await readRecords(output)).length;
    await eventually(() => remount(disk, 'ro'), 60_000, 'a read-only remount');
    expect((await runCli(['stop', 'finalro', '--root', dir], rig.env).exit).code).toBe(0);

    await tune.waitFor(/\[paused: held: .*cannot write: it is read-only \(EROFS\)/, 120_000);
    expect((await studyStatus(dir)).state).toBe('paused');

    expect(remount(disk, 'rw')).toBe(true);
    const resume = runCli(['resume', 'finalro', '--root', dir], rig.env);
    expect((await tune.exit).code, tune.output()).toBe(0);
    await resume.exit;
    expect(tune.output()).toMatch(/\[stopped\]/);
    expect(await readRecords(output)).toHaveLength(recorded);
    expect(existsSync(path.join(output, 'results', 'best', 'README.txt'))).toBe(true);
    expect((await studyStatus(dir)).state).toBe('stopped');
    // Its history: pause, stop, the final results refused, a resume, the final results again.
    await replaysAndIsKept('pipetune-finalro', 'replay-final-held');
  },
);

async function studyStatus(dir: string): Promise<{ state: string; running: number }> {
  const status = runCli(['status', 'finalro', '--root', dir, '--json'], rig.env);
  await status.exit;
  return JSON.parse(status.output());
}

function remount(dir: string, mode: 'ro' | 'rw'): boolean {
  try {
    execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Files named `name` anywhere under `dir`. */
function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name === name)
    .map((entry) => path.join(entry.parentPath, entry.name));
}
