import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipelineArgs } from '../../src/pipelines/builtin-adapter.js';
import { createAdapter } from '../../src/pipelines/index.js';
import type { PipelineRunRequest } from '../../src/pipelines/types.js';
import { describeWithDocker, dockerProblem, TEST_IMAGES } from './dockerTestEnv.js';
import { type StudyFixture, studyFixture } from './studyFixture.js';

const REPO = path.resolve(import.meta.dirname, '..', '..');

let study: StudyFixture;
let request: PipelineRunRequest;
beforeEach(async () => {
  study = await studyFixture();
  request = study.request();
  // The rendered configs of a real study: the repo's sample configs for the built-in pipeline.
  await copyFile(
    path.join(REPO, 'configs', 'config_PGIE', 'config_infer_primary_builtin.txt'),
    request.configs.pgie as string,
  );
  await copyFile(
    path.join(REPO, 'configs', 'config_Tracker', 'config_tracker_builtin.yml'),
    request.configs.tracker as string,
  );
});

/** Both fixture sequences hold one person walking right for 10 frames: one track each. */
async function expectOneTrackPerSequence(outputDir: string): Promise<void> {
  for (const seq of ['CamA', 'CamB']) {
    const rows = (await readFile(path.join(outputDir, `${seq}.txt`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    expect(rows.map((r) => Number(r[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(rows.map((r) => r[1])).size).toBe(1);
  }
}

describe('builtin adapter', () => {
  beforeAll(() => {
    // The adapter runs the CLI as an external program: it must be built (npm test builds first).
    if (!existsSync(path.join(REPO, 'dist', 'src', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run npm run build');
  });

  it('passes the rendered configs, dataset, seqmap and output folder as run-pipeline flags', () => {
    expect(
      runPipelineArgs(study.request({ configs: { pgie: '/p.txt', tracker: '/t.yml', mtmc: '/m.json' } })),
    ).toEqual([
      'run-pipeline',
      '--pgie',
      '/p.txt',
      '--tracker',
      '/t.yml',
      '--mtmc',
      '/m.json',
      '--dataset',
      request.datasetDir,
      '--seqmap',
      request.seqmapPath,
      '--out',
      request.outputDir,
    ]);
    expect(runPipelineArgs(study.request({ configs: {}, seqmapPath: undefined }))).toEqual([
      'run-pipeline',
      '--dataset',
      request.datasetDir,
      '--out',
      request.outputDir,
    ]);
  });

  it('runs pipetune run-pipeline as a child process, end to end', async () => {
    const lines: string[] = [];
    const result = await createAdapter({ pipeline: 'builtin', studyRoot: study.root }).run({
      ...request,
      onOutput: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(0);
    await expectOneTrackPerSequence(request.outputDir);
    expect(lines.at(-1)).toMatch(/^run-pipeline: done in/);
    expect(await readFile(request.logFile, 'utf8')).toMatch(
      /^\[pipetune\] \$ \S*node \S*bin\/pipetune\.js run-pipeline --pgie /,
    );
  });

  it('reports a failing run through its exit code and log', async () => {
    await copyFile(path.join(REPO, 'package.json'), request.configs.tracker as string);
    const result = await createAdapter({ pipeline: 'builtin', studyRoot: study.root }).run(request);
    expect(result.exitCode).toBe(2);
    expect(await readFile(request.logFile, 'utf8')).toContain(`pipetune: ${request.configs.tracker}: `);
    expect(existsSync(path.join(request.outputDir, 'CamA.txt'))).toBe(false);
  });
});

const problem = await dockerProblem();
describeWithDocker('builtin adapter in a container', problem, () => {
  it("runs run-pipeline with the image's node and the package mounted read-only", async () => {
    const adapter = createAdapter({
      pipeline: 'builtin',
      docker: { image: TEST_IMAGES.node, gpus: false },
      studyRoot: study.root,
    });
    const result = await adapter.run({ ...request, gpu: 0 });
    expect(result.exitCode).toBe(0);
    await expectOneTrackPerSequence(request.outputDir);
    const log = await readFile(request.logFile, 'utf8');
    expect(log).toContain(
      `[pipetune] docker image ${TEST_IMAGES.node}, network none: $ node ${REPO}/bin/pipetune.js run-pipeline`,
    );
    expect(log).toContain('run-pipeline: done in');
  });
});
