/**
 * The zod schema of a study config in PipeTuner 1.0's format (plus our `Init.Exec` extensions). Module
 * sections (PGIE, NvDCF, …, MTMC) are free-form trees and are read by ./modules.ts; everything else is
 * validated here, with PipeTuner's defaults. Keys PipeTuner uses and we do not (folder_to_send,
 * preprocessing, processing.arg0, servers.*.ip/port, Exec.streamRes/containerImageID/dsAppPath) are
 * accepted silently; keys nobody defines are reported as warnings.
 */
import { z } from 'zod';
import { augmentationSchema } from '../augment/options.js';
import { OBJECTIVES } from '../eval/sequenceObjective.js';
import { perfRegexProblem } from '../pipelines/perf.js';
import { COMMAND_PLACEHOLDERS } from '../pipelines/types.js';
import { PRUNER_NAMES } from '../pruners/index.js';
import { OBJECTIVE_METRICS, type ObjectiveMetric } from '../study/objectives.js';
import { STAGE_ORDERS } from '../study/stages.js';
import { parseDuration } from './duration.js';

export const OPTIMIZER_NAMES = [
  'pysot',
  'tpe',
  'hyper',
  'opentuner',
  'scikit',
  'random',
  'sobol',
  'gp',
  'cmaes',
  'rbf',
  'ensemble',
  'auto',
  'nsga2',
  'nsgaii',
] as const;
export const PIPELINES = ['builtin', 'command', 'deepstream'] as const;
export const METRICS = ['HOTA', 'MOTA', 'IDF1'] as const;
export const BENCHMARKS = ['MOT17', 'MOT16', 'MOT20', 'MOT15'] as const;

const count = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max);

/**
 * Upper bounds of the budgets (docs/trust.md): far above any real study, low enough that a typo such
 * as 1e12 is refused instead of sizing arrays or scheduling a study that can never end.
 */
export const BUDGET_LIMITS = {
  max_iteration: 100_000,
  redundancy: 100,
  batch_size: 1_000,
  job_batch_size: 1_000,
  worker_number: 1_024,
  threshold: 1_000_000,
  reevaluateTop: 1_000,
} as const;
/** PipeTuner writes some values either way (`port: "50001"`, `streamRes: "1080"`). */
const stringOrNumber = z.union([z.string(), z.number()]).transform(String);

const optimizer = z.object({
  name: z.enum(OPTIMIZER_NAMES),
  max_iteration: count(1, BUDGET_LIMITS.max_iteration),
  redundancy: count(1, BUDGET_LIMITS.redundancy).default(1),
  batch_size: count(1, BUDGET_LIMITS.batch_size).default(1),
});

const commandLine = z
  .array(z.string())
  .min(1)
  .superRefine((args, ctx) => {
    for (const [index, arg] of args.entries()) {
      for (const [, name] of arg.matchAll(/\{(\w+)\}/g)) {
        if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(name as string)) {
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: `unknown placeholder {${name}}; expected one of ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
          });
        }
      }
    }
  });

const docker = z.object({
  image: z.string().min(1),
  binds: z.array(z.string()).default([]),
  network: z.string().default('none'),
  gpus: z.boolean().default(true),
  user: z.string().optional(),
  env: z.record(z.string(), stringOrNumber).default({}),
});

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not a duration; expected seconds or a number with ms, s, m, h or d (e.g. "90m", "12h")`,
    });
    return z.NEVER;
  }
  return ms;
});

const path = z.string().min(1);

export const execSchema = z.object({
  // PipeTuner overwrites rootPath at launch; we do the same with --root (default: working directory).
  rootPath: z.string().optional(),
  datasetPath: path.default('data/SDG_sample_videos'),
  seqmapPath: path.default('data/SDG_sample_utils/SDG_sample_all.txt'),
  pgiePath: path.optional(),
  trackerPath: path.optional(),
  mtmcPath: path.optional(),
  mtmcCalibrationPath: path.optional(),
  mtmcGroundTruthPath: path.optional(),
  mtmcPlaybackPath: path.optional(),
  // PipeTuner's own: kept for the DeepStream adapter.
  streamRes: stringOrNumber.optional(),
  containerImageID: z.string().optional(),
  dsAppPath: path.optional(),
  // Ours.
  pipeline: z.enum(PIPELINES).default('deepstream'),
  command: commandLine.optional(),
  /** `command`: the trial's fps from its log (docs/throughput.md). */
  perfRegex: z
    .string()
    .superRefine((source, ctx) => {
      const problem = perfRegexProblem(source);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  docker: docker.optional(),
  deepstream: z.object({ image: z.string().min(1).optional(), appConfig: path.optional() }).prefault({}),
  benchmark: z.enum(BENCHMARKS).default('MOT17'),
  seed: z.number().int().default(1),
  deterministic: z.boolean().default(false),
  baseline: z.boolean().default(true),
  validationSeqmapPath: path.optional(),
  trialTimeout: duration.default(12 * 3600 * 1000),
  reevaluateTop: count(0, BUDGET_LIMITS.reevaluateTop).default(3),
  /** Trials read an augmented copy of datasetPath (docs/augmentation.md). */
  augmentation: augmentationSchema.optional(),
});

/** Which options belong to which pruners (`median` is the percentile pruner at 50). */
const PRUNER_OPTIONS: Record<string, readonly string[]> = {
  percentile: ['percentile', 'median'],
  startup_trials: ['percentile', 'median'],
  warmup_stages: ['percentile', 'median'],
  reduction_factor: ['asha'],
  grace_stages: ['asha'],
  min_scores: ['asha'],
  p_threshold: ['wilcoxon'],
  startup_steps: ['wilcoxon'],
};

/** Shares of the frames after each stage: increasing, ending at 1. */
const stageShares = z
  .array(z.number().gt(0).lte(1))
  .min(2)
  .refine(
    (shares) => shares.every((v, i) => i === 0 || v > shares[i - 1]!) && shares.at(-1) === 1,
    'expected increasing shares of the frames ending at 1, e.g. [0.2, 0.5, 1]',
  );

export const pruningSchema = z
  .object({
    pruner: z.enum(PRUNER_NAMES).default('median'),
    stages: z.union([count(2).max(10), stageShares]).default(3),
    order: z.enum(STAGE_ORDERS).default('shuffled'),
    percentile: z.number().gt(0).lt(100).optional(),
    startup_trials: count(0).max(1000).optional(),
    warmup_stages: count(0).max(9).optional(),
    reduction_factor: z.number().gt(1).max(100).optional(),
    grace_stages: count(1).max(9).optional(),
    min_scores: count(1).max(1000).optional(),
    p_threshold: z.number().gt(0).lt(1).optional(),
    startup_steps: count(2).max(1000).optional(),
  })
  .superRefine((block, ctx) => {
    for (const [key, owners] of Object.entries(PRUNER_OPTIONS)) {
      if (block[key as keyof typeof block] !== undefined && !owners.includes(block.pruner))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `only for pruner: ${owners.filter((o) => o !== 'median').join(' or ')}, not ${block.pruner}`,
        });
    }
    if (block.pruner === 'percentile' && block.percentile === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['percentile'],
        message: 'missing: the share of trials kept, e.g. 25',
      });
  });

/** A metric named in any case (`hota`, `FPS`), as its canonical name. */
const objectiveMetric = z.string().transform((name, ctx): ObjectiveMetric => {
  const found = OBJECTIVE_METRICS.find((m) => m.toLowerCase() === name.toLowerCase());
  if (found) return found;
  ctx.addIssue({
    code: 'custom',
    message: `unknown metric "${name}"; valid: ${OBJECTIVE_METRICS.join(', ')}`,
  });
  return z.NEVER;
});

const objectiveEntry = z.strictObject({
  metric: objectiveMetric,
  goal: z.enum(['max', 'min']).default('max'),
});

const constraintEntry = z
  .strictObject({ metric: objectiveMetric, min: z.number().optional(), max: z.number().optional() })
  .superRefine((c, ctx) => {
    if (c.min === undefined && c.max === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'needs min or max (points for accuracy metrics, frames per second for fps)',
      });
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `below min (${c.min}): no trial could be feasible`,
      });
  });

export const evalSchema = z
  .object({
    metric: z
      .string()
      .transform((metric) => metric.toUpperCase())
      .pipe(z.enum(METRICS))
      .optional(),
    // Ours: what the metric is taken over (src/eval/sequenceObjective.ts).
    objective: z.enum(OBJECTIVES).default('combined'),
    // Ours: two objectives (a Pareto front) and bounds on metrics (docs/objectives.md).
    objectives: z.array(objectiveEntry).optional(),
    constraints: z.array(constraintEntry).max(8).optional(),
  })
  .superRefine((block, ctx) => {
    const objectives = block.objectives;
    if (!objectives) return;
    const problem = (message: string, path: (string | number)[] = []) =>
      ctx.addIssue({ code: 'custom', path: ['objectives', ...path], message });
    if (objectives.length !== 2)
      return problem(`${objectives.length} entries; two objectives are supported (one: use metric)`);
    const first = objectives[0]!.metric;
    if (!(METRICS as readonly string[]).includes(first))
      problem(
        `the first objective is the study's metric (zero-score threshold, status, pruning): one of ${METRICS.join(', ')}, not ${first}`,
        [0, 'metric'],
      );
    if (objectives[1]!.metric === first) problem(`both objectives are ${first}`, [1, 'metric']);
    if (block.metric !== undefined && block.metric !== first)
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: `${block.metric}, but the first objective is ${first}; drop metric or make them agree`,
      });
  });

export const initSchema = z.object({
  Exec: execSchema.prefault({}),
  Eval: evalSchema.prefault({}),
});

const ignored = z.unknown().optional();

export const studySchema = z.object({
  folder_to_send: ignored,
  preprocessing: ignored,
  processing: z
    .object({
      arg0: ignored,
      supplementary_args: ignored,
      parameter_space: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  parameter_space: z.record(z.string(), z.unknown()).optional(),
  servers: z
    .record(
      z.string(),
      z.object({
        ip: ignored,
        port: ignored,
        worker_number: count(1, BUDGET_LIMITS.worker_number).optional(),
      }),
    )
    .default({}),
  pruning: pruningSchema.optional(),
  optim_manager: z
    .object({
      threshold_zero_scores: count(0, BUDGET_LIMITS.threshold).default(20),
      threshold_ds_app_fails: count(0, BUDGET_LIMITS.threshold).default(3),
    })
    .prefault({}),
  bbo: z.object({
    problem_type_is_min: z.boolean().default(false),
    job_batch_size: count(1, BUDGET_LIMITS.job_batch_size).default(1),
    optimizers: z
      .record(z.string(), optimizer)
      .refine(
        (all) => Object.keys(all).length > 0,
        'no optimizer; add bbo.optimizers.type1: {name, max_iteration}',
      ),
  }),
});

export type RawStudy = z.output<typeof studySchema>;
export type RawInit = z.output<typeof initSchema>;
export type RawExec = z.output<typeof execSchema>;
export type RawPruning = z.output<typeof pruningSchema>;
