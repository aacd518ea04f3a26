import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePerfJson } from '../../src/pipelines/perf.js';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'bin', 'pipetune.js');
const MTMC = join(REPO, 'configs', 'config_MTMC', 'config_mtmc_builtin.json');

const pipetune = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** The first line a child prints on stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    child.on('exit', () => reject(new Error(`exited before printing: ${text}`)));
  });
}

describe('pipetune synth → run-pipeline → eval', () => {
  const root = mkdtempSync(join(tmpdir(), 'pipetune-cli-'));
  const videos = join(root, 'S_videos');
  const out = join(root, 'out');

  beforeAll(() => {
    execFileSync(process.execPath, [
      CLI,
      'synth',
      join(root, 'S'),
      '--cameras',
      '2',
      '--seconds',
      '5',
      '--people',
      '6',
    ]);
  });

  it('tracks every sequence and clusters across cameras', () => {
    const run = pipetune('run-pipeline', '--dataset', videos, '--out', out, '--mtmc', MTMC);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Retail_Synthetic_Cam01 \(1\/2\): \d+ proposals → \d+ detections → \d+ track rows, \d+ ids/,
    );
    expect(run.stdout).toMatch(/mtmc: \d+ behaviors → \d+ global ids/);
    expect(readdirSync(out).sort()).toEqual([
      'Retail_Synthetic_Cam01.txt',
      'Retail_Synthetic_Cam02.txt',
      'mtmc.txt',
      'perf.json',
    ]);
    // Throughput per sequence, from CPU time (the MTMC stage's shared among the cameras).
    const perf = parsePerfJson(readFileSync(join(out, 'perf.json'), 'utf8'), 'perf.json');
    expect(perf.source).toBe('cpu');
    expect(Object.keys(perf.perSequence ?? {})).toEqual(['Retail_Synthetic_Cam01', 'Retail_Synthetic_Cam02']);
    for (const seq of Object.values(perf.perSequence ?? {})) {
      expect(seq.frames).toBeGreaterThan(0);
      expect(seq.seconds).toBeGreaterThan(0);
      expect(seq.fps).toBeCloseTo(seq.frames! / seq.seconds!, 6);
    }
    expect(perf.frames).toBe(Object.values(perf.perSequence!).reduce((sum, s) => sum + s.frames!, 0));
    expect(run.stdout).toMatch(/run-pipeline: [\d.]+ frames per CPU second \(median over 2 sequences\)/);
    const row = readFileSync(join(out, 'Retail_Synthetic_Cam01.txt'), 'utf8').split('\n')[0]!;
    expect(row).toMatch(/^\d+,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/);
  });

  it('is scored by pipetune eval, single-camera and MTMC', () => {
    const mot = pipetune('eval', '--gt', videos, '--tracker', out, '--json', join(root, 'mot.json'));
    expect(mot.status, mot.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(root, 'mot.json'), 'utf8')) as {
      combined: { summary: Record<string, number> };
    };
    expect(report.combined.summary.HOTA).toBeGreaterThan(0.3);
    const mtmc = pipetune(
      'eval',
      '--mtmc',
      '--gt',
      join(root, 'S_utils', 'ground_truth.txt'),
      '--tracker',
      join(out, 'mtmc.txt'),
      '--json',
      join(root, 'mtmc.json'),
    );
    expect(mtmc.status, mtmc.stderr).toBe(0);
    expect(mtmc.stdout).toMatch(/MTMC ground plane {4}HOTA \d+\.\d+/);
    const scores = JSON.parse(readFileSync(join(root, 'mtmc.json'), 'utf8')) as {
      groundPlane: { HOTA: number };
      multiCamera: { IDF1: number };
    };
    expect(scores.groundPlane.HOTA).toBeGreaterThan(0.3);
    expect(scores.multiCamera.IDF1).toBeGreaterThan(0.3);
  });

  it('fails with one line naming file and line on a corrupted proposal', () => {
    const bad = mkdtempSync(join(tmpdir(), 'pipetune-bad-'));
    execFileSync('cp', ['-r', videos, bad]);
    const file = join(bad, 'S_videos', 'Retail_Synthetic_Cam02', 'proposals', 'proposals.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n[^\n]*\n/, '\n1,2,3\n'));
    const run = pipetune('run-pipeline', '--dataset', join(bad, 'S_videos'), '--out', join(bad, 'out'));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `pipetune: ${file}:2: expected 7 columns (frame,left,top,width,height,confidence,embedding-row), found 3\n`,
    );
  });

  it('fails with one line on a bad config value or missing flags', () => {
    const cfg = join(root, 'tracker.yml');
    writeFileSync(
      cfg,
      readFileSync(join(REPO, 'configs', 'config_Tracker', 'config_tracker_builtin.yml'), 'utf8').replace(
        'maxShadowTrackingAge: 30',
        'maxShadowTrackingAge: -3',
      ),
    );
    const run = pipetune('run-pipeline', '--dataset', videos, '--out', join(root, 'o2'), '--tracker', cfg);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^pipetune: .*tracker\.yml:\d+: TargetManagement\.maxShadowTrackingAge: expected an integer >= 0, got -3\n$/,
    );
    const flags = pipetune('run-pipeline', '--dataset', videos);
    expect(flags.status).toBe(2);
    expect(flags.stderr).toBe(
      'pipetune run-pipeline: --dataset and --out are required (see pipetune run-pipeline --help)\n',
    );
  });

  it('stops at once on SIGTERM, leaving no partial result file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipetune-term-'));
    execFileSync('cp', ['-r', videos, dir]);
    // The second sequence's proposals are a FIFO nobody writes: the run blocks there.
    const fifo = join(dir, 'S_videos', 'Retail_Synthetic_Cam02', 'proposals', 'proposals.txt');
    execFileSync('rm', [fifo]);
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [
      CLI,
      'run-pipeline',
      '--dataset',
      join(dir, 'S_videos'),
      '--out',
      join(dir, 'out'),
    ]);
    expect(await firstLine(child)).toContain('Retail_Synthetic_Cam01 (1/2)');
    const started = Date.now();
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readdirSync(join(dir, 'out'))).toEqual(['Retail_Synthetic_Cam01.txt']);
    expect(existsSync(join(dir, 'out', 'Retail_Synthetic_Cam02.txt'))).toBe(false);
  });
});
