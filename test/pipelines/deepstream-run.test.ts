import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { APP_CONFIG_NAME, KITTI_DIR_NAME } from '../../src/pipelines/deepstream.js';
import { LABELS } from '../../src/pipelines/docker.js';
import { createAdapter } from '../../src/pipelines/index.js';
import { KeyFile } from '../../src/pipelines/keyfile.js';
import type { PipelineRunRequest } from '../../src/pipelines/types.js';
import { describeWithDocker, dockerProblem, TEST_IMAGES } from './dockerTestEnv.js';
import { FIXTURES, type StudyFixture, studyFixture } from './studyFixture.js';

let study: StudyFixture;
let appConfig: string;
beforeEach(async () => {
  study = await studyFixture();
  appConfig = path.join(study.root, 'configs', 'deepstream_app.txt');
  await mkdir(path.dirname(appConfig), { recursive: true });
  await copyFile(path.join(FIXTURES, 'deepstream', 'app-template.txt'), appConfig);
});

/**
 * What the fake deepstream-app writes, converted: stream s holds track s*100+1 in frames 0..2 with
 * box (10.5+f, 20)–(110.5+f, 220) at 0.9, a `bag` (filtered out) and, in frame 1, an untracked object.
 */
function expectedMot(stream: number): string {
  return [0, 1, 2].map((f) => `${f + 1},${stream * 100 + 1},${10.5 + f},20,100,200,0.9,-1,-1,-1\n`).join('');
}

async function expectConverted(request: PipelineRunRequest): Promise<void> {
  // Seqmap order: CamB is stream 0, CamA stream 1.
  expect(await readFile(path.join(request.outputDir, 'CamB.txt'), 'utf8')).toBe(expectedMot(0));
  expect(await readFile(path.join(request.outputDir, 'CamA.txt'), 'utf8')).toBe(expectedMot(1));
  expect((await readdir(path.join(study.trialDir, KITTI_DIR_NAME))).length).toBe(6);
  const log = await readFile(request.logFile, 'utf8');
  expect(log).toContain('App run successful\n');
  expect(log).toContain('[pipetune] CamB: 3 KITTI frame files → 3 MOT rows\n');
}

describe('deepstream adapter', () => {
  it('refuses an app config it cannot read or parse when the study is loaded', async () => {
    expect(() =>
      createAdapter({
        pipeline: 'deepstream',
        deepstream: { appConfig: '/nope/app.txt' },
        studyRoot: study.root,
      }),
    ).toThrow(InputError);
    const broken = path.join(study.root, 'broken.txt');
    await writeFile(broken, '[application]\nthis is not a key\n');
    expect(() =>
      createAdapter({ pipeline: 'deepstream', deepstream: { appConfig: broken }, studyRoot: study.root }),
    ).toThrow(`${broken}:2:`);
  });

  describe('with deepstream-app on the host', () => {
    let savedPath: string | undefined;
    beforeEach(async () => {
      // The fake deepstream-app, first on PATH.
      const bin = await mkdtemp(path.join(tmpdir(), 'pipetune-fake-ds-'));
      await copyFile(path.join(FIXTURES, 'fake-deepstream-app.sh'), path.join(bin, 'deepstream-app'));
      savedPath = process.env.PATH;
      process.env.PATH = `${bin}:${savedPath}`;
    });
    afterEach(() => {
      process.env.PATH = savedPath;
    });

    it('generates the app config, runs deepstream-app pinned to the GPU and converts its KITTI dump', async () => {
      const adapter = createAdapter({
        pipeline: 'deepstream',
        deepstream: { appConfig, labels: ['person'] },
        studyRoot: study.root,
      });
      const request = study.request({ gpu: 2 });
      const result = await adapter.run(request);
      expect(adapter.name).toBe('deepstream');
      expect(result.exitCode).toBe(0);
      await expectConverted(request);
      expect(await readFile(request.logFile, 'utf8')).toContain('CUDA_VISIBLE_DEVICES=2\n');

      const generated = KeyFile.parse(
        await readFile(path.join(study.trialDir, APP_CONFIG_NAME), 'utf8'),
        'generated',
      );
      expect(generated.get('application', 'kitti-track-output-dir')).toBe(
        path.join(study.trialDir, KITTI_DIR_NAME),
      );
      expect(generated.get('source0', 'uri')).toBe(
        `file://${path.join(study.root, 'data', 'CamB', 'video.mkv')}`,
      );
      expect(generated.get('tracker', 'gpu-id')).toBe('0');
    });

    it('leaves no MOT files when deepstream-app fails, and its error lines stay in the log', async () => {
      const request = study.request();
      await rm(request.configs.tracker as string);
      const result = await createAdapter({
        pipeline: 'deepstream',
        deepstream: { appConfig },
        studyRoot: study.root,
      }).run(request);
      expect(result.exitCode).toBe(1);
      expect(await readdir(request.outputDir)).toEqual([]);
      expect(await readFile(request.logFile, 'utf8')).toContain(
        `ERROR: [tracker] ll-config-file ${request.configs.tracker} not found`,
      );
    });

    it('a fresh run starts from an empty KITTI folder', async () => {
      const adapter = createAdapter({
        pipeline: 'deepstream',
        deepstream: { appConfig, labels: ['person'] },
        studyRoot: study.root,
      });
      await adapter.run(study.request());
      const stale = path.join(study.trialDir, KITTI_DIR_NAME, '00_000_000099.txt');
      await writeFile(stale, 'person 5 0.0 0 0.0 1 1 2 2 0 0 0 0 0 0 0 1\n');
      await adapter.run(study.request());
      expect(existsSync(stale)).toBe(false);
    });
  });
});

const problem = await dockerProblem();
describeWithDocker('deepstream adapter in a container (fake deepstream-app image)', problem, () => {
  const docker = new Docker();

  it('runs deepstream-app in the image with the study root bound at its own path and no network', async () => {
    const adapter = createAdapter({
      pipeline: 'deepstream',
      deepstream: { image: TEST_IMAGES.deepstream, appConfig, labels: ['person'] },
      docker: { image: 'unused-when-deepstream-names-one', gpus: false, env: { FAKE_DS_SLEEP: '1' } },
      studyRoot: study.root,
    });
    const request = study.request({ gpu: 2 });
    const running = adapter.run(request);

    // The live container, as the engine created it.
    let info: Docker.ContainerInspectInfo | undefined;
    for (let i = 0; i < 100 && !info; i++) {
      const [found] = await docker.listContainers({
        filters: { label: [`${LABELS.trial}=${study.trialDir}`] },
      });
      if (found) info = await docker.getContainer(found.Id).inspect();
      else await new Promise((r) => setTimeout(r, 50));
    }
    const result = await running;
    expect(info?.Config.Image).toBe(TEST_IMAGES.deepstream);
    expect(info?.Config.Cmd).toEqual(['deepstream-app', '-c', path.join(study.trialDir, APP_CONFIG_NAME)]);
    expect(info?.Config.WorkingDir).toBe(study.root);
    // The worker's user; a root worker on a root-owned study root (this temp folder) leaves the image's own.
    const worker = `${process.getuid?.()}:${process.getgid?.()}`;
    expect(info?.Config.User).toBe(worker === '0:0' ? '' : worker);
    expect(info?.Config.Env).toContain('FAKE_DS_SLEEP=1');
    expect(info?.Config.Labels).toMatchObject({
      [LABELS.trial]: study.trialDir,
      [LABELS.studyRoot]: study.root,
      [LABELS.gpu]: '2',
    });
    expect(info?.HostConfig.Binds).toEqual([`${study.root}:${study.root}`]);
    expect(info?.HostConfig.NetworkMode).toBe('none');
    expect(info?.HostConfig.DeviceRequests ?? []).toEqual([]);

    expect(result.exitCode).toBe(0);
    await expectConverted(request);
    // GPUs off: the run is not pinned, so the template's gpu-id values stay.
    const generated = KeyFile.parse(
      await readFile(path.join(study.trialDir, APP_CONFIG_NAME), 'utf8'),
      'generated',
    );
    expect(generated.get('tracker', 'gpu-id')).toBe('1');
    expect(
      await docker.listContainers({ all: true, filters: { label: [`${LABELS.trial}=${study.trialDir}`] } }),
    ).toEqual([]);
  });

  it('asks the engine for the pinned GPU: without the NVIDIA runtime that is a clear input error', async () => {
    // No deepstream.image: the study's docker.image is the DeepStream image.
    const adapter = createAdapter({
      pipeline: 'deepstream',
      deepstream: { appConfig },
      docker: { image: TEST_IMAGES.deepstream },
      studyRoot: study.root,
    });
    const run = adapter.run(study.request({ gpu: 0 }));
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      'install the NVIDIA Container Toolkit on this host, or set docker.gpus: false',
    );
    expect(
      await docker.listContainers({ all: true, filters: { label: [`${LABELS.trial}=${study.trialDir}`] } }),
    ).toEqual([]);
  });
});
