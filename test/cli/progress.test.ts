import { describe, expect, it } from 'vitest';
import {
  formatOptionalScore,
  formatProgress,
  formatServerStatus,
  formatStatus,
  formatStudyTable,
} from '../../src/cli/progress.js';
import type { StudyStatus } from '../../src/study/types.js';

/** Scores are stored as fractions; everything the CLI prints is in points, like `pipetune results`. */
function status(overrides: Partial<StudyStatus> = {}): StudyStatus {
  return {
    name: 'sdg-mot',
    state: 'running',
    metric: 'HOTA',
    trialsDone: 7,
    trialsTotal: 11,
    running: 2,
    best: { score: 0.52883, trial: 2 },
    baselineScore: 0.4,
    optimizers: [
      { label: 'random', name: 'random', done: 4, total: 5, best: 0.52883 },
      { label: 'tpe', name: 'tpe', done: 2, total: 5, best: null },
    ],
    appFails: 0,
    zeroScores: 1,
    etaMs: 429_000,
    outputDir: '/studies/output/sdg-mot.yml_output',
    ...overrides,
  };
}

describe('scores in points', () => {
  it('prints a fraction as points with 3 decimals, negatives (MOTA) included, and - for none', () => {
    expect(formatOptionalScore(0.52883)).toBe('52.883');
    expect(formatOptionalScore(1)).toBe('100.000');
    expect(formatOptionalScore(-0.125)).toBe('-12.500');
    expect(formatOptionalScore(null)).toBe('-');
    expect(formatOptionalScore(undefined)).toBe('-');
  });

  it('shows best and baseline in points on the progress line', () => {
    expect(formatProgress(status())).toBe(
      'progress: 63% (7/11) ETA 00:07:09 | best HOTA 52.883 (trial 2) | baseline 40.000 | random 4/5 tpe 2/5',
    );
    expect(formatProgress(status({ best: null, baselineScore: null, etaMs: null, state: 'paused' }))).toBe(
      'progress: 63% (7/11) ETA --:--:-- | best HOTA - | random 4/5 tpe 2/5 [paused]',
    );
    expect(formatProgress(status({ metric: 'MOTA', best: { score: -0.0512, trial: 0 } }))).toContain(
      'best MOTA -5.120 (trial 0)',
    );
  });

  it('says how many of the runs counted are held-out validation runs, not search trials', () => {
    expect(formatProgress(status({ heldOutRuns: 2 }))).toMatch(
      /^progress: 63% \(7\/11 incl\. 2 held-out\) ETA/,
    );
  });

  it('shows infeasible trials and the Pareto set size when the study has them', () => {
    const line = formatProgress(status({ infeasible: 3, pareto: [{ trial: 1, values: [50, 30] }] }));
    expect(line).toContain('| baseline 40.000 | infeasible 3 | Pareto set 1 | random 4/5');
  });

  it('shows every optimizer best in points in `status`', () => {
    expect(formatStatus(status({ failure: 'boom' })).split('\n')).toEqual([
      'study sdg-mot: running',
      'progress: 63% (7/11) ETA 00:07:09 | best HOTA 52.883 (trial 2) | baseline 40.000 | random 4/5 tpe 2/5',
      'running trials: 2; failed runs: 0; zero scores: 1',
      '  random       random        4/5  best 52.883',
      '  tpe          tpe           2/5  best -',
      'output: /studies/output/sdg-mot.yml_output',
      'failure: boom',
    ]);
  });

  it('shows the best in points in `status` without a worker', () => {
    const summary = {
      name: 'sdg-mot',
      workflowStatus: 'RUNNING',
      state: 'running',
      trialsDone: 7,
      best: 0.52883,
      outputDir: '/out',
      note: 'no answer',
    };
    expect(formatServerStatus(summary)).toBe(
      'study sdg-mot: workflow RUNNING, running; 7 trials done; best 52.883\noutput: /out\n(no answer)\n',
    );
    expect(formatServerStatus({ ...summary, state: null, best: null })).toContain(
      'unknown; 7 trials done; best -\n',
    );
  });

  it('shows the best in points in `list`', () => {
    const rows = [
      {
        study: 'sdg-mot',
        workflow: 'pipetune-sdg-mot',
        status: 'COMPLETED',
        state: 'completed',
        trials: 11,
        best: 0.52883,
        started: '2026-11-25T06:15:00.000Z',
      },
      {
        study: 'new',
        workflow: 'pipetune-new',
        status: 'RUNNING',
        state: 'running',
        trials: 0,
        best: null,
        started: '2026-11-25T07:00:00.000Z',
      },
    ];
    expect(formatStudyTable(rows).split('\n')).toEqual([
      'study    workflow status  state      trials  best    started                 ',
      'sdg-mot  COMPLETED        completed  11      52.883  2026-11-25T06:15:00.000Z',
      'new      RUNNING          running    0       -       2026-11-25T07:00:00.000Z',
      '',
    ]);
    expect(formatStudyTable([])).toBe('no studies\n');
  });
});
