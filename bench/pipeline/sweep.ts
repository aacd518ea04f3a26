/**
 * One-parameter sweeps of the built-in pipeline's key parameters on the synthetic sample: every other
 * value stays at the base configs'. Shows that tuning is meaningful: each sweep should move the score
 * by >= 2 HOTA points with its best value strictly inside the range.
 *
 *   npx tsc -p tsconfig.json && node bin/pipetune.js synth data/SDG_sample
 *   node dist/bench/pipeline/sweep.js [--dataset data/SDG_sample_videos] [--json sweep.json]
 *
 * Tracker and detector sweeps report single-camera HOTA (combined over cameras); MTMC sweeps report
 * ground-plane MTMC HOTA.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTrial, type Stage } from './trial.js';

interface Sweep {
  stage: Stage;
  location: string[];
  values: number[];
}

const SWEEPS: Sweep[] = [
  { stage: 'pgie', location: ['class-attrs-all', 'dbscan-min-score'], values: [0.1, 0.3, 0.6, 0.9, 1.2] },
  { stage: 'pgie', location: ['class-attrs-all', 'nms-iou-threshold'], values: [0.3, 0.4, 0.5, 0.6, 0.7] },
  {
    stage: 'tracker',
    location: ['StateEstimator', 'measurementNoiseVar4Detector'],
    values: [1, 4, 32, 256, 2048],
  },
  { stage: 'tracker', location: ['TargetManagement', 'maxShadowTrackingAge'], values: [3, 10, 30, 90, 300] },
  { stage: 'tracker', location: ['TargetManagement', 'probationAge'], values: [0, 1, 3, 6, 12] },
  {
    stage: 'tracker',
    location: ['DataAssociator', 'tentativeDetectorConfidence'],
    values: [0.2, 0.35, 0.5, 0.65, 0.8],
  },
  {
    stage: 'mtmc',
    location: ['clustering', 'agglomerativeClusteringDistThresh'],
    values: [1, 1.5, 2, 3.5, 5],
  },
  { stage: 'mtmc', location: ['clustering', 'spatioTemporalDistLambda'], values: [0, 0.15, 0.3, 0.5, 0.9] },
  {
    stage: 'mtmc',
    location: ['preprocessing', 'behaviorConfidenceThresh'],
    values: [0.3, 0.45, 0.6, 0.7, 0.8],
  },
];

interface SweepResult {
  parameter: string;
  metric: string;
  values: number[];
  scores: number[];
  best: number;
  spread: number;
  interior: boolean;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({ options: { dataset: { type: 'string' }, json: { type: 'string' } } });
  const dataset = flags.dataset ?? join('data', 'SDG_sample_videos');
  const work = mkdtempSync(join(tmpdir(), 'pipetune-sweep-'));
  const results: SweepResult[] = [];
  for (const sweep of SWEEPS) {
    const mtmc = sweep.stage === 'mtmc';
    const scores: number[] = [];
    for (const value of sweep.values) {
      const s = await runTrial({
        dataset,
        workDir: work,
        mtmc,
        edits: { [sweep.stage]: [{ location: sweep.location, value }] },
      });
      scores.push(100 * (mtmc ? s.mtmcHOTA! : s.HOTA));
      process.stderr.write(`sweep: ${sweep.location.join('.')}=${value} → ${scores.at(-1)!.toFixed(2)}\n`);
    }
    const top = scores.indexOf(Math.max(...scores));
    results.push({
      parameter: `${sweep.stage.toUpperCase()} ${sweep.location.join('.')}`,
      metric: mtmc ? 'MTMC HOTA' : 'HOTA',
      values: sweep.values,
      scores,
      best: sweep.values[top]!,
      spread: Math.max(...scores) - Math.min(...scores),
      interior: top > 0 && top < scores.length - 1,
    });
  }
  const lines = [
    '| Parameter | Metric | Values → score | Best | Spread | Interior |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.parameter} | ${r.metric} | ${r.values.map((v, i) => `${v} → ${r.scores[i]!.toFixed(1)}`).join(', ')} | ${r.best} | ${r.spread.toFixed(1)} | ${r.interior ? 'yes' : 'no'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(results, null, 1)}\n`);
}

await main();
