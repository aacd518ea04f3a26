import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyTable } from '../../src/results/csv.js';
import { resultsJson } from '../../src/results/json.js';
import { hypervolumeByTrial, summarizePareto } from '../../src/results/pareto.js';
import { bestTrial, rankingFor } from '../../src/results/ranking.js';
import { analyzeStudyResults, writeStudyResults } from '../../src/results/refresh.js';
import { summarizeStudy } from '../../src/results/summary.js';
import type { ObjectiveSpec } from '../../src/study/objectives.js';
import type { TrialRecord } from '../../src/study/records.js';
import { makeStudy, manifest, tempDir, trial } from './fixtures.js';

const objectives: ObjectiveSpec[] = [
  { metric: 'HOTA', goal: 'max' },
  { metric: 'fps', goal: 'max' },
];
const at = (n: number, hota: number, fps: number, extra: Partial<TrialRecord> = {}): TrialRecord => ({
  ...trial({ trial: n, params: { x: n }, score: hota }),
  fps,
  ...extra,
});

// HOTA (fraction) and fps per trial; trial 3 is dominated by 1, trial 4 misses the fps ≥ 20 constraint.
const records: TrialRecord[] = [
  at(0, 0.4, 30, { optimizer: 'baseline', iteration: 0 }),
  at(1, 0.5, 25),
  at(2, 0.6, 20),
  at(3, 0.45, 22),
  at(4, 0.7, 10, { violation: 0.5 }),
];
const constrained = manifest({ objectives, constraints: [{ metric: 'fps', min: 20 }] });

describe('a constrained study in the results', () => {
  it('never ranks an infeasible trial best, whatever it scored, and counts feasibility', () => {
    expect(bestTrial(records, { minimize: false })?.record.trial).toBe(2);
    const summary = summarizeStudy(constrained, records, rankingFor(constrained));
    expect(summary.best?.record.trial).toBe(2);
    expect(summary.feasibility).toEqual({ constraints: ['fps ≥ 20'], feasible: 4, infeasible: 1 });
  });
});

describe('a two-objective study in the results', () => {
  it('keeps the feasible non-dominated configs, best first objective first', () => {
    const pareto = summarizePareto(records, objectives);
    expect(pareto.points.map((p) => p.record.trial)).toEqual([2, 1, 0]);
    expect(pareto.points.map((p) => p.values)).toEqual([
      [60, 20],
      [50, 25],
      [40, 30],
    ]);
    // Reference: the worst of each objective over complete runs (HOTA 40, fps 10, the infeasible run's).
    expect(pareto.reference).toEqual([40, 10]);
    // Staircase from (40, 10): 20·10 + 10·(25−10)… by hand: (60−40)(20−10) + (50−40)(25−20) + (40−40)(30−25) = 250.
    expect(pareto.hypervolume).toBeCloseTo(250, 9);
  });

  it('shows the hypervolume the study had after each trial in the CSV', () => {
    const m = manifest({ objectives });
    const table = accuracyTable(m, records);
    const column = table.rows.map((row) => row[table.columns.indexOf('hypervolume')]);
    // Reference (40, 10): trial 0 adds nothing; 1 adds (50−40)(25−10) = 150; 2 adds (60−50)(20−10) = 100; 3 is dominated; 4 infeasible.
    expect(column).toEqual([0, 150, 250, 250, 250]);
    expect(hypervolumeByTrial(records, objectives).get(2)).toBeCloseTo(250, 9);
    expect(table.columns).not.toContain('violation');
    expect(accuracyTable(constrained, records).columns.slice(-2)).toEqual(['violation', 'hypervolume']);
  });

  it('picks by rule among the Pareto configs, and says why when nothing fits', () => {
    const m = manifest({ objectives });
    const ranking = rankingFor(m);
    expect(summarizeStudy(m, records, ranking).best?.record.trial).toBe(2); // the best feasible HOTA
    expect(summarizeStudy(m, records, ranking, 'fps>=24').best?.record.trial).toBe(1);
    expect(summarizeStudy(m, records, ranking, 'fps >= 24, HOTA>=41').best?.record.trial).toBe(1);
    expect(() => summarizeStudy(m, records, ranking, 'fps>=31')).toThrow(/no Pareto config meets it/);
    expect(() => summarizeStudy(m, records, ranking, 'speed>=1')).toThrow(/speed is not an objective/);
    expect(() => summarizeStudy(m, records, ranking, 'fps>30')).toThrow(/expected METRIC>=NUMBER/);
    expect(() => summarizeStudy(manifest(), records, ranking, 'fps>=1')).toThrow(/has one objective/);
  });

  it('writes best/ (the pick) and best/pareto/ with one deployable folder per Pareto config', async () => {
    const outputDir = await tempDir();
    await makeStudy(outputDir, constrained, records);
    const results = await writeStudyResults(outputDir, { pick: 'fps>=22' });
    const best = results.best!;
    expect(JSON.parse(readFileSync(join(best, 'params.json'), 'utf8'))).toEqual({ x: 1 });
    expect((await readdir(join(best, 'pareto'))).sort()).toEqual(['trial-0000', 'trial-0001', 'trial-0002']);
    expect(existsSync(join(best, 'pareto', 'trial-0002', 'configs', 'tracker.yml'))).toBe(true);
    const readme = readFileSync(join(best, 'README.txt'), 'utf8');
    expect(readme).toMatch(/Pareto set \(3 configs; hypervolume 250\.000 from \(40\.000, 10\.000\)\)/);
    expect(readme).toMatch(/pareto\/trial-0001\s+50\.000\s+25\.000\s+1\s+tpe/);
    const report = readFileSync(results.report!, 'utf8');
    expect(report).toContain('data-view="pareto"');
    expect(report).toContain('1 (best/)');
    expect(existsSync(join(results.plots!, 'pareto.svg'))).toBe(true);
    const { analysis } = await analyzeStudyResults(outputDir, { pick: 'fps>=22' });
    expect(resultsJson(analysis)).toMatchObject({
      best: { trial: 1 },
      feasibility: { feasible: 4, infeasible: 1 },
      pareto: {
        pick: 'fps>=22',
        hypervolume: 250,
        points: [{ trial: 2, values: [60, 20] }, { trial: 1 }, { trial: 0 }],
      },
    });
  });
});
