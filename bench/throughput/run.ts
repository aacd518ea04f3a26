/**
 * Accuracy against throughput of the built-in pipeline's trade-off keys on the synthetic sample: for a
 * few values of each key (everything else at the sample configs), HOTA (MTMC HOTA for MTMC keys) and
 * the fps the pipeline writes into perf.json (frames per CPU second, median over sequences), the median
 * of a few repeats. The pipeline runs in this process, so the JIT is warm after the first run.
 *
 *   npx tsc -p tsconfig.json && node bin/pipetune.js synth data/SDG_sample
 *   node dist/bench/throughput/run.js [--dataset data/SDG_sample_videos] [--repeats 3]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../../src/pipelines/perf.js';
import { runTrial, type Stage, trackerWithReidKeys } from '../pipeline/trial.js';

interface TradeOff {
  stage: Stage;
  location: string[];
  values: number[];
}

const TRADE_OFFS: TradeOff[] = [
  { stage: 'tracker', location: ['ReID', 'reidType'], values: [0, 1, 3] },
  { stage: 'tracker', location: ['ReID', 'reidFeatureSize4Matching'], values: [4, 16, 32, 128] },
  { stage: 'tracker', location: ['ReID', 'reidExtractionInterval'], values: [0, 2, 5, 15] },
  { stage: 'tracker', location: ['TargetManagement', 'maxTargetsPerStream'], values: [5, 10, 20, 150] },
  { stage: 'pgie', location: ['class-attrs-all', 'topk'], values: [5, 10, 20, 50] },
  { stage: 'mtmc', location: ['clustering', 'numReassignmentIterations'], values: [0, 1, 4, 16] },
];

interface Row {
  key: string;
  value: number;
  metric: string;
  score: number;
  fps: number;
}

async function measure(dataset: string, work: string, t: TradeOff, value: number, repeats: number) {
  const mtmc = t.stage === 'mtmc';
  const fps: number[] = [];
  let score = 0;
  for (let k = 0; k < repeats; k++) {
    const s = await runTrial({
      dataset,
      workDir: work,
      mtmc,
      bases: { tracker: trackerWithReidKeys() },
      edits: { [t.stage]: [{ location: t.location, value }] },
    });
    score = 100 * (mtmc ? s.mtmcHOTA! : s.HOTA);
    fps.push(s.fps);
  }
  return { score, fps: median(fps), metric: mtmc ? 'MTMC HOTA' : 'HOTA' };
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: { dataset: { type: 'string' }, repeats: { type: 'string' } },
  });
  const dataset = flags.dataset ?? join('data', 'SDG_sample_videos');
  const repeats = Number(flags.repeats ?? 3);
  const work = mkdtempSync(join(tmpdir(), 'pipetune-throughput-'));
  // One unmeasured run first, so the first measured setting does not pay for the JIT's warm-up.
  await runTrial({ dataset, workDir: work });
  const rows: Row[] = [];
  for (const t of TRADE_OFFS) {
    for (const value of t.values) {
      const key = `${t.stage === 'pgie' ? 'PGIE' : t.stage === 'mtmc' ? 'MTMC' : 'Tracker'} ${t.location.join('.')}`;
      const m = await measure(dataset, work, t, value, repeats);
      rows.push({ key, value, ...m });
      process.stderr.write(
        `throughput: ${key}=${value} → ${m.metric} ${m.score.toFixed(1)}, ${m.fps.toFixed(0)} fps\n`,
      );
    }
  }
  const keys = [...new Set(rows.map((r) => r.key))];
  const lines = [
    '| Key | Metric | value → score / fps |',
    '|---|---|---|',
    ...keys.map((key) => {
      const of = rows.filter((r) => r.key === key);
      const cells = of.map((r) => `${r.value} → ${r.score.toFixed(1)} / ${r.fps.toFixed(0)}`).join(', ');
      return `| ${key} | ${of[0]!.metric} | ${cells} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
