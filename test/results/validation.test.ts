import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyTable } from '../../src/results/csv.js';
import { bestTrial, rankConfigs, rankingFor } from '../../src/results/ranking.js';
import { writeStudyResults } from '../../src/results/refresh.js';
import { readTrialStore } from '../../src/results/store.js';
import { summarizeStudy } from '../../src/results/summary.js';
import { formatResultsSummary } from '../../src/results/summaryText.js';
import { type TrialRecord, VALIDATION } from '../../src/study/records.js';
import { analysisOf, makeStudy, manifest, parseCsv, reportOf, tempDir, trial } from './fixtures.js';

const m = manifest();
const ranking = rankingFor(m);

/** The tuning part of the study: baseline, tpe, a failure and the re-evaluations of the best config. */
const tuning = [
  trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 1 }, score: 0.473 }),
  trial({ trial: 1, optimizer: 'tpe', iteration: 1, params: { x: 2 }, score: 0.5 }),
  trial({ trial: 2, optimizer: 'tpe', iteration: 2, params: { x: 3 }, score: 0.52883 }),
  trial({ trial: 3, optimizer: 'tpe', iteration: 3, params: { x: 4 }, score: null }),
  trial({ trial: 4, optimizer: 'reeval', iteration: 1, params: { x: 3 }, score: 0.52 }),
  trial({ trial: 5, optimizer: 'reeval', iteration: 1, repeat: 1, params: { x: 3 }, score: 0.53766 }),
];

/** A held-out re-score of trial `of`'s config, as the workflow records it. */
function validation(at: number, iteration: number, of: number, score: number | null): TrialRecord {
  const config = tuning.find((r) => r.trial === of)!;
  return {
    ...trial({ trial: at, optimizer: VALIDATION, iteration, params: config.params, score }),
    validationOf: of,
  };
}

// The second-ranked config (trial 1, x=2) scores 99 on the held-out sequences: higher than any tuning run.
const validated = [
  ...tuning,
  validation(6, 0, 0, 0.45),
  validation(7, 1, 2, 0.48123),
  validation(8, 2, 1, 0.99),
];

async function study(records: readonly TrialRecord[]) {
  const outputDir = join(await tempDir('pipetune-validation-'), 'output', 'sdg-mot.yml_output');
  await makeStudy(outputDir, m, records);
  return outputDir;
}

describe('held-out validation runs are no tuning trials', () => {
  it('do not rank, even with a held-out score above every tuning score', () => {
    const best = bestTrial(validated, ranking);
    expect(best).toMatchObject({ mean: 0.52883, count: 3, trials: [2, 4, 5] });
    expect(best?.record.trial).toBe(2);
    const ranked = rankConfigs(validated, ranking);
    expect(ranked.map((c) => c.record.trial)).toEqual([2, 1, 0]);
    expect(ranked.flatMap((c) => c.trials)).not.toContain(8);
    expect(ranked.find((c) => c.record.trial === 1)).toMatchObject({ mean: 0.5, count: 1 });
  });

  it('leave the summary: best, baseline, improvement, trial counts and optimizers', () => {
    const s = summarizeStudy(m, validated, ranking);
    expect(s).toMatchObject({ trials: 6, ok: 5, failed: 1 });
    expect(s.best?.record.trial).toBe(2);
    expect(s.baseline).toMatchObject({ mean: 0.473, count: 1, trials: [0] });
    expect(s.improvement).toBeCloseTo(0.52883 - 0.473, 12);
    expect(s.optimizers.map((o) => o.optimizer)).toEqual(['baseline', 'tpe', 'reeval']);
  });

  it('summarize each validated config beside its tuning mean', () => {
    const v = summarizeStudy(m, validated, ranking).validation;
    expect(v).toMatchObject({ runs: 3, failed: 0 });
    expect(
      v?.configs.map((c) => ({
        trial: c.trial,
        rank: c.rank,
        baseline: c.baseline,
        tuning: c.tuning?.mean,
        heldOut: c.heldOut,
        runs: c.runs.map((r) => r.trial),
      })),
    ).toEqual([
      { trial: 0, rank: 3, baseline: true, tuning: 0.473, heldOut: 0.45, runs: [6] },
      { trial: 2, rank: 1, baseline: false, tuning: 0.52883, heldOut: 0.48123, runs: [7] },
      { trial: 1, rank: 2, baseline: false, tuning: 0.5, heldOut: 0.99, runs: [8] },
    ]);
    expect(v?.configs[1]?.difference).toBeCloseTo(0.48123 - 0.52883, 12);
    expect(summarizeStudy(m, tuning, ranking).validation).toBeUndefined();
  });

  it('stay out of the trials the charts and the importance read', () => {
    const a = analysisOf(validated, m, ranking);
    expect(a.trials.map((t) => t.trial)).toEqual(tuning.map((r) => r.trial));
    expect(a.importance).toEqual(analysisOf(tuning, m, ranking).importance);
  });

  it('are read back from the store with the trial they validate', async () => {
    const records = await readTrialStore(await study(validated));
    expect(records.map((r) => r.validationOf)).toEqual([...tuning.map(() => undefined), 0, 2, 1]);
  });

  it('leave best/ to the best tuning config, whose README gives its held-out score', async () => {
    const results = await writeStudyResults(await study(validated));
    expect(results.summary.best?.record.trial).toBe(2);
    expect(JSON.parse(await readFile(join(results.best!, 'params.json'), 'utf8'))).toEqual({ x: 3 });
    const readme = await readFile(join(results.best!, 'README.txt'), 'utf8');
    expect(readme).toContain('Score         52.883 (mean of 3 runs: trials 2, 4, 5)\n');
    expect(readme).toContain('Held-out      48.123 on the held-out seqmap (validation trial 7)\n');
  });
});

describe('the accuracy CSV with validation runs', () => {
  it('keeps every trial as a row in trial order and marks the held-out scores', async () => {
    const results = await writeStudyResults(await study(validated));
    const [header, ...body] = parseCsv(await readFile(results.csv, 'utf8'));
    expect(header?.slice(-8, -6)).toEqual(['scored_on', 'validation_of']);
    expect(header?.slice(0, 6)).toEqual(['trial', 'optimizer', 'iteration', 'repeat', 'status', 'HOTA']);
    expect(body.map((r) => r[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    const byName = (row: string[]) => Object.fromEntries(header!.map((h, i) => [h, row[i]]));
    expect(body.map((r) => [byName(r).optimizer, byName(r).scored_on, byName(r).validation_of])).toEqual([
      ['baseline', 'tuning', ''],
      ['tpe', 'tuning', ''],
      ['tpe', 'tuning', ''],
      ['tpe', 'tuning', ''],
      ['reeval', 'tuning', ''],
      ['reeval', 'tuning', ''],
      ['validation', 'held-out', '0'],
      ['validation', 'held-out', '2'],
      ['validation', 'held-out', '1'],
    ]);
    expect(byName(body[7]!)).toMatchObject({
      iteration: '1',
      repeat: '0',
      status: 'ok',
      HOTA: '0.48123',
      checkpoint: join('checkpoints', 'trial-0007-validation'),
      x: '3',
    });
  });

  it('holds the validation_of cell as the number recorded', () => {
    const table = accuracyTable(m, validated);
    const column = table.columns.indexOf('validation_of');
    expect(table.rows.map((row) => row[column])).toEqual([null, null, null, null, null, null, 0, 2, 1]);
  });
});

describe('the results summary with validation runs', () => {
  it('prints the held-out score beside the tuning score of the best config and the baseline', async () => {
    const outputDir = await study(validated);
    const lines = formatResultsSummary(await writeStudyResults(outputDir)).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'study sdg-mot: 6 trials, 5 succeeded, 1 failed, plus 3 held-out validation runs',
      'best HOTA 52.883 at trial 2 (tpe, iteration 2, mean of 3 runs)',
      'baseline HOTA 47.300, improvement +5.583 points (+11.8 %)',
      'held-out HOTA: best config 48.123 (trial 2; tuning 52.883), baseline 45.000 (tuning 47.300), improvement +3.123 points',
      'held-out HOTA: config #2 99.000 (trial 1; tuning 50.000)',
    ]);
    expect(lines[5]).toMatch(/^pipeline time \d+\.\d s for 6 trials$/);
    expect(lines[6]).toMatch(/^csv {5}/);
    const without = formatResultsSummary(await writeStudyResults(await study(tuning)));
    expect(without).not.toContain('held-out');
  });

  it('says when a held-out run failed', async () => {
    const records = [...tuning, validation(6, 0, 0, 0.45), validation(7, 1, 2, null)];
    const text = formatResultsSummary(await writeStudyResults(await study(records)));
    expect(text).toContain(
      'study sdg-mot: 6 trials, 5 succeeded, 1 failed, plus 2 held-out validation runs\n',
    );
    expect(text).toContain(
      `held-out HOTA: best config failed on the held-out sequences (trial 2; tuning 52.883; log ${join('checkpoints', 'trial-0007-validation')}/log.txt), baseline 45.000 (tuning 47.300)\n`,
    );
  });

  it('names the baseline when it is also the best config', () => {
    const records = [
      trial({ trial: 0, optimizer: 'baseline', iteration: 0, params: { x: 1 }, score: 0.6 }),
      trial({ trial: 1, optimizer: 'tpe', iteration: 1, params: { x: 2 }, score: 0.5 }),
      {
        ...trial({ trial: 2, optimizer: VALIDATION, iteration: 0, params: { x: 1 }, score: 0.55 }),
        validationOf: 0,
      },
    ];
    const summary = summarizeStudy(m, records, ranking);
    const text = formatResultsSummary({ manifest: m, summary, csv: 'c', plot: 'p', report: 'r' });
    expect(text).toContain('held-out HOTA: best config (the baseline) 55.000 (trial 0; tuning 60.000)\n');
  });
});

describe('the report with validation runs', () => {
  it('has a held-out validation table: config trial, optimizer, tuning mean, held-out score, difference', () => {
    const html = reportOf(validated, m, ranking);
    const section = html.slice(
      html.indexOf('<h2>Held-out validation</h2>'),
      html.indexOf('<figure', html.indexOf('<h2>Held-out validation</h2>')),
    );
    expect(section).toContain('<h2>Held-out validation</h2>');
    const rows = [...section.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
      [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((cell) => cell[1]),
    );
    expect(rows).toEqual([
      [
        'config trial',
        'rank',
        'optimizer',
        'tuning HOTA',
        'held-out HOTA',
        'held-out − tuning',
        'validation trial',
      ],
      ['0', '3 (baseline)', 'baseline', '47.300', '45.000', '-2.300', '6'],
      ['2', '1', 'tpe', '52.883 (3 runs)', '48.123', '-4.760', '7'],
      ['1', '2', 'tpe', '50.000', '99.000', '+49.000', '8'],
    ]);
    const without = reportOf(tuning, m, ranking);
    expect(without).not.toMatch(/held-out/i);
  });

  it('keeps validation runs out of the summary, per-optimizer and top tables', () => {
    const html = reportOf(validated, m, ranking);
    const summary = html.slice(html.indexOf('<h2>Summary</h2>'), html.indexOf('<h2 id="convergence">'));
    expect(summary).toContain('52.883 (mean of 3 runs: trials 2, 4, 5), trial 2 (tpe, iteration 2)');
    expect(summary).toContain('6 run, 5 succeeded, 1 failed; plus 3 held-out validation runs (0 failed)');
    expect(summary).not.toContain('<td>validation</td>');
    const top = html.slice(html.indexOf('<h2>Top '), html.indexOf('<h2>Failed'));
    expect(top).toContain('<h2>Top 3 configurations</h2>');
    expect(top).not.toContain('99.000');
  });

  it('shows a failed held-out run with its error and log', () => {
    const records = [...tuning, validation(6, 1, 2, null)];
    const html = reportOf(records, m, ranking);
    expect(html).toContain(
      `failed (trial 6): pipeline exited with code 1, log ${join('checkpoints', 'trial-0006-validation')}/log.txt`,
    );
  });
});
