/** A throwaway study root for adapter tests: the fixture dataset, rendered configs, a trial folder. */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PipelineRunRequest } from '../../src/pipelines/types.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/pipelines/', import.meta.url));

export interface StudyFixture {
  root: string;
  trialDir: string;
  request(overrides?: Partial<PipelineRunRequest>): PipelineRunRequest;
}

export async function studyFixture(): Promise<StudyFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'pipetune-pipelines-'));
  await cp(path.join(FIXTURES, 'dataset'), path.join(root, 'data'), { recursive: true });
  const trialDir = path.join(root, 'output', 'study.yml_output', 'checkpoints', 'trial-0001-tpe');
  const configs = path.join(trialDir, 'configs');
  await mkdir(configs, { recursive: true });
  await writeFile(path.join(configs, 'pgie.txt'), '[property]\nnum-detected-classes=1\n');
  await writeFile(
    path.join(configs, 'tracker.yml'),
    '%YAML:1.0\nBaseConfig:\n  minDetectorConfidence: 0.2\n',
  );
  return {
    root,
    trialDir,
    request: (overrides = {}) => ({
      trialDir,
      configs: { pgie: path.join(configs, 'pgie.txt'), tracker: path.join(configs, 'tracker.yml') },
      datasetDir: path.join(root, 'data'),
      seqmapPath: path.join(root, 'data', 'seqmap.txt'),
      outputDir: path.join(trialDir, 'output'),
      logFile: path.join(trialDir, 'log.txt'),
      signal: new AbortController().signal,
      ...overrides,
    }),
  };
}
