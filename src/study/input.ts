import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { StudyRef } from './types.js';

const absolute = (what: string) =>
  z.string().refine((p) => path.isAbsolute(p), { message: `${what} must be an absolute path` });

/**
 * The workflow's input as other systems send it (JSON): `{ study: { name, configPath, rootDir, outputDir,
 * maxIterations? }, carry?: { paused } }`. Validated by the first activity, so a bad trigger fails with a
 * message naming the field.
 */
export const studyRefSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  configPath: absolute('configPath'),
  rootDir: absolute('rootDir'),
  outputDir: absolute('outputDir'),
  maxIterations: z.number().int().positive().optional(),
});

export function validateStudyRef(value: unknown): StudyRef {
  const parsed = studyRefSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InputError(`workflow input study.${issue.path.join('.')}: ${issue.message}`);
}

/**
 * The workflow input other systems send: `{ study }` (the workflow also accepts its own internal
 * `carry` across continue-as-new, which is not part of this contract). Its JSON Schema is
 * docs/workflow-input.schema.json (`npm run schema` writes it; a test checks it is current).
 */
export const workflowInputSchema = z
  .object({ study: studyRefSchema })
  .describe('Input of the tuningStudy workflow (task queue pipetune-control)');

export function workflowInputJsonSchema(): unknown {
  return z.toJSONSchema(workflowInputSchema, { io: 'input' });
}
