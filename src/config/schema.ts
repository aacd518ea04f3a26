/**
 * The zod schema of a study config in PipeTuner 1.0's format (plus our `Init.Exec` extensions). Module
 * sections (PGIE, NvDCF, …, MTMC) are free-form trees and are read by ./modules.ts; everything else is
 * validated here, with PipeTuner's defaults. Keys PipeTuner uses and we do not (folder_to_send,
 * preprocessing, processing.arg0, servers.*.ip/port, Exec.streamRes/containerImageID/dsAppPath) are
 * accepted silently; keys nobody defines are reported as warnings.
 */
import { z } from 'zod';
import { COMMAND_PLACEHOLDERS } from '../pipelines/types.js';
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
  docker: docker.optional(),
  deepstream: z.object({ image: z.string().min(1).optional(), appConfig: path.optional() }).prefault({}),
  benchmark: z.enum(BENCHMARKS).default('MOT17'),
  seed: z.number().int().default(1),
  baseline: z.boolean().default(true),
  validationSeqmapPath: path.optional(),
  trialTimeout: duration.default(12 * 3600 * 1000),
  reevaluateTop: count(0, BUDGET_LIMITS.reevaluateTop).default(3),
});

export const initSchema = z.object({
  Exec: execSchema.prefault({}),
  Eval: z
    .object({
      metric: z
        .string()
        .transform((metric) => metric.toUpperCase())
        .pipe(z.enum(METRICS))
        .default('HOTA'),
    })
    .prefault({}),
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
