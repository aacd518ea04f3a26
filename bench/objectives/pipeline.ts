/**
 * The built-in pipeline as a benchmark objective: HOTA against throughput on the synthetic sample, over
 * seven keys of the sample configs, four of which trade accuracy for speed (docs/throughput.md). Each
 * evaluation is one in-process `runTrial`; evaluations are cached by their params in
 * bench/.cache/sdg-pipeline-evals.jsonl, so a config proposed again (by another optimizer, seed or run)
 * keeps the HOTA and fps it measured first.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Edit } from '../../src/overlay/index.js';
import { median } from '../../src/pipelines/perf.js';
import type { Params, Space } from '../../src/space/types.js';
import { runTrial, type Stage, type TrialScores, trackerWithReidKeys } from '../pipeline/trial.js';
import type { MoObjective } from './functions.js';

const DATASET = path.join('data', 'SDG_sample_videos');
const CACHE = path.join(process.cwd(), 'bench/.cache/sdg-pipeline-evals.jsonl');
const WARM_UP_RUNS = 5;

/** Parameter names are `<stage>.<config path>`, as a study names them (PGIE, Tracker). */
export const PIPELINE_SPACE: Space = {
  dimensions: [
    // Trade-offs: cheaper ReID comparisons, fewer of them, fewer live targets, fewer boxes per frame.
    { kind: 'int', name: 'Tracker.ReID.reidFeatureSize4Matching', low: 4, high: 128, log: true },
    { kind: 'int', name: 'Tracker.ReID.reidExtractionInterval', low: 0, high: 15, log: false },
    { kind: 'int', name: 'Tracker.TargetManagement.maxTargetsPerStream', low: 5, high: 150, log: true },
    { kind: 'int', name: 'PGIE.class-attrs-all.topk', low: 5, high: 50, log: true },
    // Accuracy keys (a higher detection threshold also passes fewer boxes on).
    { kind: 'int', name: 'Tracker.TargetManagement.probationAge', low: 0, high: 12, log: false },
    { kind: 'real', name: 'Tracker.DataAssociator.minMatchingScore4Overall', low: 0, high: 0.6, log: false },
    { kind: 'real', name: 'PGIE.class-attrs-all.pre-cluster-threshold', low: 0.05, high: 0.6, log: false },
  ],
};

/** HOTA in points and fps in thousands of frames per CPU second. */
export interface PipelineValues {
  hota: number;
  kfps: number;
}

function editsOf(params: Params): Partial<Record<Stage, Edit[]>> {
  const edits: Record<Stage, Edit[]> = { pgie: [], tracker: [], mtmc: [] };
  for (const [name, value] of Object.entries(params)) {
    const [stage, ...location] = name.split('.');
    edits[stage === 'PGIE' ? 'pgie' : 'tracker'].push({ location, value });
  }
  return edits;
}

const cache = new Map<string, PipelineValues>();
let workDir: string | undefined;

const keyOf = (params: Params) =>
  JSON.stringify(PIPELINE_SPACE.dimensions.map((d) => params[d.name] ?? null));

function loadCache(): void {
  if (cache.size > 0 || !existsSync(CACHE)) return;
  for (const line of readFileSync(CACHE, 'utf8').split('\n').filter(Boolean)) {
    const { key, ...values } = JSON.parse(line) as PipelineValues & { key: string };
    if (!cache.has(key)) cache.set(key, values); // runs in parallel may have measured one config twice
  }
}

async function trial(dir: string, params: Params): Promise<TrialScores> {
  return runTrial({
    dataset: DATASET,
    workDir: dir,
    bases: { tracker: trackerWithReidKeys() },
    edits: editsOf(params),
  });
}

/** One run of the pipeline with `params` applied (the sample configs for `{}`), uncached. */
export async function runPipelineTrial(params: Params): Promise<PipelineValues> {
  if (!workDir) {
    workDir = mkdtempSync(path.join(tmpdir(), 'pipetune-mo-'));
    // Unmeasured runs first: a process's first runs pay for the JIT's warm-up (lower fps).
    for (let i = 0; i < WARM_UP_RUNS; i++) await trial(workDir, {});
  }
  const s = await trial(workDir, params);
  return { hota: 100 * s.HOTA, kfps: s.fps / 1000 };
}

/** HOTA and kfps of `params`, measured once per distinct config. */
export async function evaluatePipeline(params: Params): Promise<PipelineValues> {
  loadCache();
  const key = keyOf(params);
  const known = cache.get(key);
  if (known) return known;
  const values = await runPipelineTrial(params);
  cache.set(key, values);
  mkdirSync(path.dirname(CACHE), { recursive: true });
  appendFileSync(CACHE, `${JSON.stringify({ key, ...values })}\n`);
  return values;
}

/** The sample configs' throughput in kfps: the median of `runs` runs. */
export async function baselineKfps(runs: number): Promise<number> {
  const kfps: number[] = [];
  for (let i = 0; i < runs; i++) kfps.push((await runPipelineTrial({})).kfps);
  return median(kfps);
}

/**
 * HOTA (max) against kfps (max). Reference point: HOTA 30 (below that, people are refused or dropped
 * wholesale: `maxTargetsPerStream` or `topk` 5 score 32–34) and 10 kfps (two thirds of the sample
 * configs' speed); fixed, so every optimizer's front is measured against the same corner.
 */
export const sdgPipeline: MoObjective = {
  name: 'sdg-pipeline',
  space: PIPELINE_SPACE,
  goals: ['max', 'max'],
  reference: [30, 10],
  evaluate: async (params) => {
    const { hota, kfps } = await evaluatePipeline(params);
    return { values: [hota, kfps] };
  },
};
