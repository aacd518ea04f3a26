import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { joinStageOutput } from '../../src/activities/gpu.js';
import { execSchema } from '../../src/config/schema.js';
import { InputError } from '../../src/errors.js';
import { builtinPerf } from '../../src/pipelines/builtin/runner.js';
import { createAdapter } from '../../src/pipelines/index.js';
import {
  combinePerf,
  type Perf,
  parseDeepstreamPerf,
  parsePerfJson,
  perfFromLog,
  perfOfSequences,
  readPerf,
  writePerf,
} from '../../src/pipelines/perf.js';
import { accuracyTable } from '../../src/results/csv.js';
import type { StudyManifest, TrialRecord } from '../../src/study/records.js';
import { FIXTURES, type StudyFixture, studyFixture } from './studyFixture.js';

/**
 * deepstream-app's perf callback as it prints (DS 7.x): a header every 20 rows, `Active sources` and a
 * timestamp before each row, `<fps> (<average>)` per stream separated by tabs, an all-zero row before
 * the pipeline plays, and other output in between.
 */
const DEEPSTREAM_LOG = [
  '[pipetune] $ deepstream-app -c /trial/deepstream-app.txt',
  'Active sources : 0',
  '',
  '**PERF:  FPS 0 (Avg)\tFPS 1 (Avg)\tFPS 2 (Avg)\t',
  'Mon Nov 25 06:15:00 2026',
  '**PERF:  0.00 (0.00)\t0.00 (0.00)\t0.00 (0.00)\t',
  '** INFO: <bus_callback:291>: Pipeline ready',
  '** INFO: <bus_callback:277>: Pipeline running',
  'Active sources : 3',
  'Mon Nov 25 06:15:05 2026',
  '**PERF:  51.56 (48.20)\t59.97 (55.10)\t40.02 (39.90)\t',
  'Active sources : 3',
  'Mon Nov 25 06:15:10 2026',
  '**PERF:  60.10 (58.27)\t61.00 (60.05)\t45.00 (42.45)\t',
  // The first stream ended: its current reads 0, its average stays where it was.
  'Active sources : 2',
  'Mon Nov 25 06:15:15 2026',
  '**PERF:  0.00 (0.00)\t62.50 (61.20)\t44.80 (43.10)\t',
  '** INFO: <bus_callback:314>: Received EOS. Exiting ...',
  'App run successful',
].join('\n');

describe('deepstream-app **PERF: lines', () => {
  it('take each stream’s last non-zero average, named by sequence, and their median', () => {
    const perf = parseDeepstreamPerf(DEEPSTREAM_LOG, ['CamB', 'CamA', 'CamC']);
    expect(perf).toEqual({
      fps: 58.27,
      source: 'deepstream',
      perSequence: { CamB: { fps: 58.27 }, CamA: { fps: 61.2 }, CamC: { fps: 43.1 } },
    });
  });

  it('read the multi-app form PERF(k): and give null when no stream ever played', () => {
    expect(parseDeepstreamPerf('PERF(0): 30.00 (29.50)\t\n', ['S'])?.fps).toBe(29.5);
    expect(parseDeepstreamPerf('**PERF:  FPS 0 (Avg)\t\n**PERF:  0.00 (0.00)\t\n', ['S'])).toBeNull();
    expect(parseDeepstreamPerf('no perf measurement here\n', ['S'])).toBeNull();
  });
});

describe('perf.json', () => {
  it('reads the contract’s minimal form (fps only) as a program’s figure', () => {
    expect(parsePerfJson('{"fps": 31.5}', 'out/perf.json')).toEqual({ fps: 31.5, source: 'program' });
  });

  it('names the file and what was expected when malformed', () => {
    const problem = (text: string) => {
      try {
        parsePerfJson(text, '/t/output/perf.json');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(problem('{"fps": "fast"}')).toMatch(
      /^\/t\/output\/perf\.json: fps: .*expected \{"fps": <frames per second > 0>/,
    );
    expect(problem('{"fps": 0}')).toMatch(/^\/t\/output\/perf\.json: fps: /);
    expect(problem('{"frames": 10}')).toMatch(/^\/t\/output\/perf\.json: fps: /);
    expect(problem('{"fps": 5, "perSequence": {"A": {"fps": -1}}}')).toMatch(
      /^\/t\/output\/perf\.json: perSequence\.A\.fps: /,
    );
    expect(problem('fps=5')).toMatch(/^\/t\/output\/perf\.json: not JSON .*; expected \{"fps"/);
  });
});

describe('the built-in pipeline’s perf', () => {
  it('shares the MTMC stage’s CPU seconds among the cameras by frames, fps = median over sequences', () => {
    const perf = builtinPerf(
      { A: { frames: 100, seconds: 0.5 }, B: { frames: 300, seconds: 1 }, C: { frames: 100, seconds: 0.1 } },
      1,
    );
    expect(perf.perSequence).toEqual({
      A: { frames: 100, seconds: 0.7, fps: 100 / 0.7 },
      B: { frames: 300, seconds: 1.6, fps: 300 / 1.6 },
      C: { frames: 100, seconds: expect.closeTo(0.3, 12), fps: expect.closeTo(100 / 0.3, 9) },
    });
    expect(perf).toMatchObject({ fps: 300 / 1.6, frames: 500, source: 'cpu' });
  });
});

describe('staged trials', () => {
  const perfOf = (fps: Record<string, number>): Perf =>
    perfOfSequences(
      Object.fromEntries(Object.entries(fps).map(([s, f]) => [s, { fps: f, frames: 10 }])),
      'cpu',
    );

  it('join each stage’s perf.json into the trial’s: sequences united, fps their median, a retried stage counted once', async () => {
    const { trialDir } = await studyFixture();
    const output = path.join(trialDir, 'output');
    const stage = async (k: number, perf: Perf) => {
      const dir = path.join(output, `.stage-${k}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'S.txt'), `stage ${k}\n`);
      await writePerf(dir, perf);
      await joinStageOutput(dir, output, k);
    };
    await stage(1, perfOf({ A: 10, B: 20 }));
    expect((await readPerf(output))?.fps).toBe(15);
    await stage(2, perfOf({ C: 40 }));
    await stage(2, perfOf({ C: 50 }));
    const joined = await readPerf(output);
    expect(joined).toMatchObject({ fps: 20, frames: 30, source: 'cpu' });
    expect(Object.keys(joined?.perSequence ?? {}).sort()).toEqual(['A', 'B', 'C']);
    expect(await readFile(path.join(output, 'S.txt'), 'utf8')).toBe('stage 2\n');
  });

  it('combine stages without per-sequence figures as one entry each', () => {
    expect(
      combinePerf([
        { fps: 10, source: 'log' },
        { fps: 30, source: 'log' },
        { fps: 20, frames: 5, source: 'program' },
      ]),
    ).toEqual({ fps: 20, source: 'log+program' });
    expect(combinePerf([])).toBeNull();
  });
});

describe('command adapter throughput', () => {
  let study: StudyFixture;
  beforeEach(async () => {
    study = await studyFixture();
    await cp(path.join(FIXTURES, 'write-perf.mjs'), path.join(study.root, 'write-perf.mjs'));
  });
  let runs = 0;
  // Each run gets a fresh output folder, as PipeExec gives every trial.
  const run = async (perfRegex: string | undefined, env: Record<string, string>) => {
    const request = study.request({ outputDir: path.join(study.trialDir, `output-${++runs}`) });
    const adapter = createAdapter({
      pipeline: 'command',
      command: ['node', 'write-perf.mjs', '{seqmap}', '{output}'],
      ...(perfRegex === undefined ? {} : { perfRegex }),
      studyRoot: study.root,
    });
    Object.assign(process.env, env);
    try {
      expect((await adapter.run(request)).exitCode).toBe(0);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
    return readPerf(request.outputDir);
  };

  it('takes the perf.json the program writes, and none when it writes none', async () => {
    expect(await run(undefined, { PERF_JSON: '{"fps": 99, "source": "wall"}' })).toEqual({
      fps: 99,
      source: 'wall',
    });
    expect(await run(undefined, {})).toBeNull();
  });

  it('with perfRegex, writes perf.json from the last matching log line (a named fps group or the first)', async () => {
    expect(await run('throughput: (?<fps>[0-9.]+) fps$', { FPS: '123.5', PERF_JSON: '{"fps": 1}' })).toEqual({
      fps: 123.5,
      source: 'log',
    });
    expect(await run('throughput: ([0-9.]+)', { FPS: '88' })).toEqual({ fps: 88, source: 'log' });
    expect(await run('nothing prints this (\\d+)', {})).toBeNull();
  });

  it('names the log line when the group captures no number', () => {
    expect(() => perfFromLog('a\nthroughput: n/a fps\n', 'throughput: (\\S+) fps', '/t/log.txt')).toThrow(
      '/t/log.txt:2: Init.Exec.perfRegex matched, but its group captured "n/a", not a number of frames per second > 0',
    );
  });

  it('refuses an invalid regex or one without a group, in the study config and in the adapter', () => {
    const issues = (perfRegex: string) => {
      const parsed = execSchema.safeParse({ pipeline: 'command', command: ['x'], perfRegex });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues('fps ([0-9.]+')[0]).toMatch(/^perfRegex: not a valid regular expression: /);
    expect(issues('fps [0-9.]+')).toEqual([
      'perfRegex: has no capture group for the number; write e.g. "throughput: (?<fps>[0-9.]+) fps"',
    ]);
    expect(issues('fps (?<fps>[0-9.]+)')).toEqual([]);
    expect(() =>
      createAdapter({ pipeline: 'command', command: ['x'], perfRegex: '(?:x)', studyRoot: study.root }),
    ).toThrow('Init.Exec.perfRegex: has no capture group for the number');
  });
});

describe('trial records', () => {
  it('carry fps into the CSV’s last column, empty when the pipeline reported none', () => {
    const manifest: StudyManifest = {
      name: 's',
      configPath: 's.yml',
      rootDir: '/r',
      metric: 'HOTA',
      minimize: false,
      createdAt: '2026-11-25T06:15:00.000Z',
      stamp: '20261125-061500',
    };
    const record = (trial: number, fps?: number): TrialRecord => ({
      key: `tpe/${trial}/0`,
      trial,
      optimizer: 'tpe',
      iteration: trial,
      repeat: 0,
      params: {},
      status: 'ok',
      score: 0.5,
      metrics: { HOTA: 0.5 },
      exitCode: 0,
      execMs: 1000,
      evalMs: 100,
      ...(fps === undefined ? {} : { fps }),
      startedAt: '2026-11-25T06:15:00.000Z',
      finishedAt: '2026-11-25T06:15:01.000Z',
      checkpoint: `checkpoints/trial-000${trial}-tpe`,
    });
    const table = accuracyTable(manifest, [record(1, 812.46), record(2)]);
    expect(table.columns.at(-1)).toBe('fps');
    expect(table.columns.at(-2)).toBe('prune_reason');
    expect(table.rows.map((r) => r.at(-1))).toEqual([812.5, null]);
  });
});
