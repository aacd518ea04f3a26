import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipetuneSync } from '../helpers/cli.js';
import { makeStudy, manifest, parseCsv, pngSize, tempDir, trial } from './fixtures.js';

const repo = resolve(import.meta.dirname, '../..');

const pipetune = (args: string[], cwd: string) => pipetuneSync(['results', ...args], cwd);

const records = [
  trial({
    trial: 0,
    optimizer: 'baseline',
    iteration: 0,
    params: { x: 1 },
    score: 0.4,
    metrics: { HOTA: 0.4, MOTA: 0.5, IDF1: 0.45 },
  }),
  trial({
    trial: 1,
    optimizer: 'tpe',
    iteration: 1,
    params: { x: 2 },
    score: 0.5,
    metrics: { HOTA: 0.5, MOTA: 0.55, IDF1: 0.44 },
  }),
  trial({
    trial: 2,
    optimizer: 'tpe',
    iteration: 1,
    repeat: 1,
    params: { x: 2 },
    score: 0.52,
    metrics: { HOTA: 0.52, MOTA: 0.56, IDF1: 0.46 },
  }),
  trial({
    trial: 3,
    optimizer: 'pysot',
    iteration: 1,
    params: { x: 3 },
    score: 0.47,
    metrics: { HOTA: 0.47, MOTA: 0.5, IDF1: 0.6 },
  }),
  trial({ trial: 4, optimizer: 'pysot', iteration: 2, params: { x: 4 }, score: null }),
];

async function study(storeRecords = records, tail = '') {
  const root = await tempDir();
  const configPath = join(root, 'configs', 'sdg-mot.yml');
  await mkdir(join(root, 'configs'), { recursive: true });
  await writeFile(configPath, 'parameter_space: {}\n');
  const outputDir = join(root, 'output', 'sdg-mot.yml_output');
  await makeStudy(outputDir, manifest({ configPath, rootDir: root }), storeRecords, tail);
  return { root, outputDir };
}

describe('pipetune results', () => {
  it('writes CSV, plot, report and best/ for an output folder and prints a summary', async () => {
    const { root, outputDir } = await study();
    const { code, stdout, stderr } = pipetune([outputDir], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = join(outputDir, 'results');
    expect(stdout).toBe(
      [
        'study sdg-mot: 5 trials, 4 succeeded, 1 failed',
        'best HOTA 51.000 at trial 1 (tpe, iteration 1, mean of 2 runs)',
        'baseline HOTA 40.000, improvement +11.000 points (+27.5 %)',
        'pipeline time 61.7 s for 5 trials',
        `csv     ${join(results, 'sdg-mot.yml-20261125-061500_accuracy.csv')}`,
        `plot    ${join(results, 'accuracy_plot.png')}`,
        `plots   ${join(results, 'plots')}/ (every chart as SVG and PNG)`,
        `report  ${join(results, 'report.html')}`,
        `best    ${join(results, 'best')}/ (README.txt says which original files the configs replace)`,
        '',
      ].join('\n'),
    );
    expect(
      parseCsv(await readFile(join(results, 'sdg-mot.yml-20261125-061500_accuracy.csv'), 'utf8')),
    ).toHaveLength(6);
    expect(pngSize(await readFile(join(results, 'accuracy_plot.png')))).toEqual({ width: 1000, height: 480 });
    for (const view of ['convergence', 'parallel', 'slices', 'timeline']) {
      expect(await readFile(join(results, 'plots', `${view}.svg`), 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>$/);
      expect(pngSize(await readFile(join(results, 'plots', `${view}.png`))).width).toBe(1000);
    }
    expect(await readFile(join(results, 'report.html'), 'utf8')).toContain('Improvement over baseline');
    expect(await readFile(join(results, 'best', 'README.txt'), 'utf8')).toContain(
      'Trial         1, proposed by tpe',
    );
  });

  it('finds the output folder from the study config, under --root or the current folder', async () => {
    const { root, outputDir } = await study();
    const elsewhere = await tempDir();
    const viaRoot = pipetune([join(root, 'configs', 'sdg-mot.yml'), '--root', root], elsewhere);
    expect(viaRoot.code).toBe(0);
    expect(viaRoot.stdout).toContain(`report  ${join(outputDir, 'results', 'report.html')}`);
    const viaCwd = pipetune(['configs/sdg-mot.yml'], root);
    expect(viaCwd.code).toBe(0);
    expect(viaCwd.stdout).toContain(`report  ${join(outputDir, 'results', 'report.html')}`);
  });

  it('re-ranks by --metric', async () => {
    const { root, outputDir } = await study();
    const { code, stdout } = pipetune([outputDir, '--metric', 'idf1'], root);
    expect(code).toBe(0);
    expect(stdout).toContain('best IDF1 60.000 at trial 3 (pysot, iteration 1)');
    expect(stdout).toContain('baseline IDF1 45.000, improvement +15.000 points (+33.3 %)');
    expect(await readFile(join(outputDir, 'results', 'best', 'README.txt'), 'utf8')).toContain(
      'Metric        IDF1 (higher is better)',
    );
  });

  it('skips a torn last line with a warning', async () => {
    const { root, outputDir } = await study(records, '{"key":"pysot/3/0","tri');
    const { code, stdout, stderr } = pipetune([outputDir], root);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^pipetune: warning: .*trials\.jsonl:6: skipped an incomplete last line/);
    expect(stdout).toContain('5 trials');
  });

  it('exits 1 without best/ when no trial succeeded', async () => {
    const { root, outputDir } = await study([trial({ trial: 0, optimizer: 'baseline', score: null })]);
    const { code, stdout } = pipetune([outputDir], root);
    expect(code).toBe(1);
    expect(stdout).toContain('no successful trial yet: best/ not written');
    expect(existsSync(join(outputDir, 'results', 'report.html'))).toBe(true);
    expect(existsSync(join(outputDir, 'results', 'best'))).toBe(false);
  });

  it('reports input errors on one line with exit code 2', async () => {
    const { root, outputDir } = await study();
    const cases: Array<[string[], RegExp]> = [
      [
        [join(root, 'nope')],
        /^pipetune: .*nope: not a study output folder, and .*nope_output does not exist/,
      ],
      [[outputDir, '--metric', 'F1'], /^pipetune: --metric: expected one of HOTA, MOTA, IDF1, got "F1"/],
      [[], /^pipetune results: expected one study output folder or study config/],
      [
        [outputDir, '--bogus'],
        /^pipetune results: unknown option "--bogus" \(see pipetune results --help\)$/m,
      ],
      [[root], /^pipetune: .*study\.json: not found; is .* a pipetune study output folder\?/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = pipetune(args, root);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
    const empty = await study([]);
    const { code, stderr } = pipetune([empty.outputDir], empty.root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pipetune: .*trials\.jsonl: no trials recorded yet\n$/);
  });

  it('--json prints ranking, importance and validation for other systems, and writes nothing', async () => {
    const { root, outputDir } = await study();
    const { code, stdout, stderr } = pipetune([outputDir, '--json'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schema).toBe('pipetune.results/1');
    expect(json.study).toMatchObject({ name: 'sdg-mot', metric: 'HOTA', minimize: false });
    expect(json.trials).toEqual({ total: 5, ok: 4, failed: 1, pruned: 0 });
    expect(
      json.ranking.map((r: { rank: number; trial: number; score: number; runs: number }) => [
        r.rank,
        r.trial,
        r.score,
        r.runs,
      ]),
    ).toEqual([
      [1, 1, 0.51, 2],
      [2, 3, 0.47, 1],
      [3, 0, 0.4, 1],
    ]);
    expect(json.best).toMatchObject({ trial: 1, params: { x: 2 } });
    expect(json.improvement).toBeCloseTo(0.11, 12);
    expect(json.importance).toEqual([]); // 3 scored trials of the optimizers: too few to rank
    expect(json.validation).toBeNull();
    expect(json.spaceNote).toMatch(/search space could not be read/);
    expect(existsSync(join(outputDir, 'results'))).toBe(false);
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = pipetune(['--help'], repo);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^usage: pipetune results <study-output-dir \| config\.yml> \[--root DIR\] \[--metric HOTA\|MOTA\|IDF1\]/,
    );
  });
});
