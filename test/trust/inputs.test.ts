/**
 * Issue 19's fuzz findings, one test each: inputs are regular files inside the study root, read with a
 * size cap; errors never quote a file the study may not read; prototype-named keys are unknown keys;
 * numeric budgets are bounded; long or control-character values are not echoed raw.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStudyData, loadStudyConfig, StudyConfigError } from '../../src/config/index.js';
import { evaluateMot } from '../../src/eval/index.js';
import { motStudy, writeDataset } from '../config/dataFixture.js';
import { PGIE, sampleRoot, smallStudy, writeStudy } from '../config/helpers.js';
import { inputErrorOf, pipetuneSmallHeap } from '../helpers/cli.js';

let root: string;
beforeEach(async () => {
  root = await sampleRoot();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const EXEC = 'parameter_space.Init.Exec';
/** The first line of /etc/passwd, which no message may quote. */
const PASSWD = 'root:x:0:0';

async function rejection(study: unknown): Promise<StudyConfigError> {
  const file = await writeStudy(root, study);
  const error = await loadStudyConfig(file, { root }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(StudyConfigError);
  return error as StudyConfigError;
}

describe('prototype-named keys are ordinary unknown keys', () => {
  for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
    it(`${key} in Exec, at the top level, in bbo.optimizers.type1 and as a module section`, async () => {
      const study = smallStudy();
      const text = JSON.stringify(study)
        .replace('"Exec":{', `"Exec":{"${key}":1,`)
        .replace('"bbo":{', `"${key}":{"a":1},"bbo":{`)
        .replace('"type1":{', `"type1":{"${key}":2,`)
        .replace('"PGIE":{', `"${key}":{"x":1},"PGIE":{`);
      // JSON is YAML; the key reaches the loader as an own property of the parsed mapping.
      const { warnings } = await loadStudyConfig(await writeStudy(root, text), { root });
      expect(warnings).toContain(`${EXEC}.${key}: unknown key, ignored`);
      expect(warnings).toContain(`${key}: unknown key, ignored`);
      expect(warnings).toContain(`bbo.optimizers.type1.${key}: unknown key, ignored`);
      expect(warnings.some((w) => w.startsWith(`parameter_space.${key}: not a module section`))).toBe(true);
    });
  }
});

describe('config paths stay inside the study root', () => {
  it('refuses pgiePath: /etc/passwd naming the key, without quoting the file', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Exec.pgiePath = '/etc/passwd';
    const { problems, message } = await rejection(study);
    expect(problems).toContain(
      `${EXEC}.pgiePath: /etc/passwd resolves outside the study root ${root} (after following symlinks); refused`,
    );
    expect(message).not.toContain(PASSWD);
  });

  it('refuses ../ and symlinks that leave the root, also for MTMC paths no section uses', async () => {
    const study = smallStudy();
    delete study.parameter_space.MTMC;
    symlinkSync('/proc/self/environ', join(root, 'environ'));
    study.parameter_space.Init.Exec.seqmapPath = 'environ';
    study.parameter_space.Init.Exec.trackerPath = '../../etc/passwd';
    study.parameter_space.Init.Exec.mtmcCalibrationPath = '/etc/hostname';
    const { problems } = await rejection(study);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${EXEC}\\.seqmapPath: environ resolves outside the study root`)),
        expect.stringMatching(
          new RegExp(`^${EXEC}\\.trackerPath: .*etc/passwd resolves outside the study root`),
        ),
        expect.stringMatching(new RegExp(`^${EXEC}\\.mtmcCalibrationPath: /etc/hostname resolves outside`)),
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/PATH=|HOME=/);
  });

  it('refuses /dev/zero at once instead of reading hundreds of MB', async () => {
    const study = smallStudy();
    mkdirSync(join(root, 'dev'));
    symlinkSync('/dev/zero', join(root, 'dev', 'zero.txt'));
    study.parameter_space.Init.Exec.pgiePath = 'dev/zero.txt';
    const started = Date.now();
    const { problems } = await rejection(study);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problems).toContain(
      `${EXEC}.pgiePath: dev/zero.txt resolves outside the study root ${root} (after following symlinks); refused`,
    );
  });

  it('refuses a FIFO inside the root without waiting for a writer', async () => {
    const study = smallStudy();
    execFileSync('mkfifo', [join(root, 'pipe.txt')]);
    study.parameter_space.Init.Exec.pgiePath = 'pipe.txt';
    const started = Date.now();
    const { problems } = await rejection(study);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(problems).toContain(
      `${EXEC}.pgiePath: cannot read pipe.txt: it is a named pipe, not a regular file`,
    );
  });
});

describe('data files stay inside the study root', () => {
  it('a gt.txt symlinked to /etc/passwd is refused by the data checks without quoting it', async () => {
    await writeDataset(root, { S: {} });
    await rm(join(root, 'data/videos/S/gt/gt.txt'));
    symlinkSync('/etc/passwd', join(root, 'data/videos/S/gt/gt.txt'));
    writeFileSync(join(root, 'pipeline.mjs'), '');
    const { config } = await loadStudyConfig(await writeStudy(root, motStudy()), { root });
    const { problems } = await checkStudyData(config);
    expect(problems.join('\n')).toContain(
      'gt.txt: cannot read ground-truth file: it resolves outside the study root',
    );
    expect(problems.join('\n')).not.toContain(PASSWD);
  });
});

describe('eval reads regular files inside the folders it is given', () => {
  function layout() {
    const gtDir = join(root, 'gt');
    mkdirSync(join(gtDir, 'S', 'gt'), { recursive: true });
    mkdirSync(join(root, 'trk'));
    writeFileSync(join(gtDir, 'S', 'seqinfo.ini'), '[Sequence]\nseqLength=3\n');
    writeFileSync(join(root, 'trk', 'S.txt'), '1,1,0,0,10,10,1,-1,-1,-1\n');
    return { gtDir, trackerDir: join(root, 'trk'), gt: join(gtDir, 'S', 'gt', 'gt.txt') };
  }

  it('gt.txt symlinked to /dev/zero: refused at once, no hang', () => {
    const { gtDir, trackerDir, gt } = layout();
    symlinkSync('/dev/zero', gt);
    const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir]);
    expect(run.ms).toBeLessThan(5000);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `pipetune: ${gt}: cannot read ground-truth file: it resolves outside the ground-truth folder ${gtDir} (after following symlinks); refused\n`,
    );
  });

  it('gt.txt symlinked to /etc/passwd: refused without quoting it', () => {
    const { gtDir, trackerDir, gt } = layout();
    symlinkSync('/etc/passwd', gt);
    const message = inputErrorOf(() => evaluateMot({ gtDir, trackerDir }));
    expect(message).toContain('resolves outside the ground-truth folder');
    expect(message).not.toContain(PASSWD);
  });

  it('gt.txt as a FIFO inside the folder: refused, no hang', () => {
    const { gtDir, trackerDir, gt } = layout();
    execFileSync('mkfifo', [gt]);
    const run = pipetuneSmallHeap(['eval', '--gt', gtDir, '--tracker', trackerDir]);
    expect(run.ms).toBeLessThan(5000);
    expect(run.stderr).toBe(
      `pipetune: ${gt}: cannot read ground-truth file: it is a named pipe, not a regular file\n`,
    );
  });
});

describe('values are bounded and echoed short and escaped', () => {
  it('a 5 MB metric is quoted in at most a short excerpt', async () => {
    const study = smallStudy();
    study.parameter_space.Init.Eval.metric = 'X'.repeat(5_000_000);
    // As JSON (which is YAML): js-yaml's dump overflows its stack on a 5 MB plain scalar.
    const { problems, message } = await rejection(JSON.stringify(study));
    expect(problems[0]).toMatch(
      /^parameter_space\.Init\.Eval\.metric: "X{80}…" is not one of HOTA, MOTA, IDF1$/,
    );
    expect(message.length).toBeLessThan(300);
  });

  it('batch_size, max_iteration, redundancy, worker_number and job_batch_size have upper bounds', async () => {
    const study = smallStudy();
    Object.assign(study.bbo.optimizers.type1, { batch_size: 1e12, max_iteration: 1e12, redundancy: 1e12 });
    study.bbo.job_batch_size = 1e12;
    study.servers = { s: { worker_number: 1e12 } };
    const { problems } = await rejection(study);
    expect(problems).toEqual(
      expect.arrayContaining([
        'bbo.optimizers.type1.batch_size: found 1000000000000, expected <= 1000',
        'bbo.optimizers.type1.max_iteration: found 1000000000000, expected <= 100000',
        'bbo.optimizers.type1.redundancy: found 1000000000000, expected <= 100',
        'bbo.job_batch_size: found 1000000000000, expected <= 1000',
        'servers.s.worker_number: found 1000000000000, expected <= 1024',
      ]),
    );
  });

  it('a NUL byte in a key name is escaped in every message', async () => {
    const study = smallStudy();
    study.parameter_space.PGIE['[class-attrs-all]']['nms\u0000x'] = [0.1, 0.2, 'linear', 'real'];
    study.parameter_space.Init.Exec['a\u0000b'] = 1;
    const file = await writeStudy(root, study);
    const error = await loadStudyConfig(file, { root }).then(
      () => undefined,
      (err: unknown) => err as StudyConfigError,
    );
    const text = (error?.problems ?? []).join('\n');
    expect(text).toContain('nms\\x00x');
    expect(text).not.toContain('\u0000');
  });
});

it('the fixture PGIE is read when inside the root (control)', async () => {
  const study = smallStudy();
  study.parameter_space.Init.Exec.pgiePath = PGIE;
  await expect(loadStudyConfig(await writeStudy(root, study), { root })).resolves.toBeDefined();
});
