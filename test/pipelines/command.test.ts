import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { substitutePlaceholders } from '../../src/pipelines/command.js';
import { createAdapter } from '../../src/pipelines/index.js';
import { FIXTURES, type StudyFixture, studyFixture } from './studyFixture.js';

let study: StudyFixture;
beforeEach(async () => {
  study = await studyFixture();
  await cp(path.join(FIXTURES, 'write-mot.mjs'), path.join(study.root, 'write-mot.mjs'));
});

describe('command placeholders', () => {
  it('substitutes every placeholder, inside larger arguments too, and leaves other braces alone', () => {
    const request = study.request({
      gpu: 2,
      configs: { pgie: '/c/p.txt', tracker: '/c/t.yml', mtmc: '/c/m.json' },
    });
    const args = substitutePlaceholders(
      [
        '--pgie={pgie}',
        '{tracker}',
        '{mtmc}',
        '{dataset}',
        '{seqmap}',
        '{output}',
        'gpu{gpu}',
        '{trial}/x',
        '{"json": {unknown}}',
      ],
      request,
    );
    expect(args).toEqual([
      '--pgie=/c/p.txt',
      '/c/t.yml',
      '/c/m.json',
      request.datasetDir,
      request.seqmapPath,
      request.outputDir,
      'gpu2',
      `${study.trialDir}/x`,
      '{"json": {unknown}}',
    ]);
  });

  it('{gpu} is empty when the run is not pinned to a GPU', () => {
    expect(substitutePlaceholders(['[{gpu}]'], study.request())).toEqual(['[]']);
  });

  it('names the placeholder and the config key when a file the command needs is not rendered', () => {
    const request = study.request({ configs: { tracker: '/c/t.yml' } });
    expect(() => substitutePlaceholders(['{mtmc}'], request)).toThrow(InputError);
    expect(() => substitutePlaceholders(['{mtmc}'], request)).toThrow(
      'uses {mtmc}, but this study has no mtmc file (set Init.Exec.mtmcPath)',
    );
  });
});

describe('command adapter', () => {
  it('runs the program in the study root; it writes MOT files into {output}', async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['node', 'write-mot.mjs', '{dataset}', '{seqmap}', '{output}', '--tracker', '{tracker}'],
      studyRoot: study.root,
    });
    const lines: string[] = [];
    const request = study.request({ gpu: 1, onOutput: (line) => lines.push(line) });
    const result = await adapter.run(request);
    expect(adapter.name).toBe('command');
    expect(result).toMatchObject({ exitCode: 0, outputDir: request.outputDir, logFile: request.logFile });
    expect(result.signal).toBeUndefined();
    for (const seq of ['CamA', 'CamB']) {
      expect(await readFile(path.join(request.outputDir, `${seq}.txt`), 'utf8')).toBe(
        '1,1,10,20,30,40,1,-1,-1,-1\n',
      );
    }
    expect(lines).toEqual([
      `args: --tracker ${request.configs.tracker}`,
      `cwd: ${study.root}`,
      'CUDA_VISIBLE_DEVICES=1',
      'wrote 2 sequences',
    ]);
    const log = await readFile(request.logFile, 'utf8');
    expect(log).toContain('wrote 2 sequences\n');
    expect(log).toContain('[pipetune] exit code 0');
  });

  it("returns the program's exit code", async () => {
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['node', '-e', 'console.error("ERROR: engine build failed"); process.exit(3)'],
      studyRoot: study.root,
    });
    const request = study.request();
    const result = await adapter.run(request);
    expect(result.exitCode).toBe(3);
    expect(await readFile(request.logFile, 'utf8')).toContain('ERROR: engine build failed\n');
  });

  it('refuses a study without a command', () => {
    expect(() => createAdapter({ pipeline: 'command', studyRoot: study.root })).toThrow(InputError);
    expect(() => createAdapter({ pipeline: 'command', command: [], studyRoot: study.root })).toThrow(
      'needs Init.Exec.command',
    );
  });
});
