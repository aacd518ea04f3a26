/**
 * A GPU worker's policy from its flags and its `--policy FILE` (YAML or JSON). Flags add to the file:
 * lists are joined, a yes from either side (`any`, `network`, `rootUser`) is a yes, and `--study-root`
 * replaces the file's `studyRoot`. Relative folders in the file are relative to the file.
 */
import { dirname, resolve } from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { InputError, inputError } from '../errors.js';
import { readInputText } from '../inputFiles.js';
import type { AllowedBind, WorkerPolicy } from './policy.js';

/** An allowed bind folder: `DIR` or `DIR:ro`. */
const BIND = /^[^:]+(:ro)?$/;

const names = z.union([z.array(z.string().min(1)), z.literal('any')]);

const fileSchema = z.strictObject({
  programs: names.default([]),
  images: names.default([]),
  studyRoot: z.string().min(1).optional(),
  network: z.boolean().default(false),
  /** `DIR` or `DIR:ro` (containers may mount DIR only read-only). */
  binds: z.array(z.string().regex(BIND, 'expected DIR or DIR:ro')).default([]),
  rootUser: z.boolean().default(false),
});

export interface PolicyFlags {
  policy?: string;
  'allow-program'?: string[];
  'allow-image'?: string[];
  'allow-any-program'?: boolean;
  'allow-any-image'?: boolean;
  'allow-network'?: boolean;
  'allow-bind'?: string[];
  'allow-root-user'?: boolean;
  'study-root'?: string;
}

type PolicyFile = Omit<z.output<typeof fileSchema>, 'binds'> & { binds: AllowedBind[] };

const EMPTY: PolicyFile = { ...fileSchema.parse({}), binds: [] };

/** The policy file, validated; errors name the file and the key. */
export function readPolicyFile(file: string): PolicyFile {
  const text = readInputText(file, { what: 'worker policy file', limit: 1024 * 1024 });
  let data: unknown;
  try {
    data = load(text);
  } catch (err) {
    throw inputError(file, undefined, `not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw inputError(
      file,
      undefined,
      `${key}${issue.message}; expected programs, images (lists or "any"), studyRoot, network, binds, rootUser (docs/trust.md)`,
    );
  }
  const base = dirname(resolve(file));
  const { studyRoot, binds } = parsed.data;
  return {
    ...parsed.data,
    ...(studyRoot ? { studyRoot: resolve(base, studyRoot) } : {}),
    binds: binds.map((bind) => allowedBind(bind, base)),
  };
}

const joined = (a: readonly string[] | 'any', b: string[] | undefined, any: boolean | undefined) =>
  any || a === 'any' ? 'any' : [...new Set([...a, ...(b ?? [])])];

/** `DIR` or `DIR:ro`, DIR relative to `base`. */
function allowedBind(bind: string, base: string): AllowedBind {
  const readOnly = bind.endsWith(':ro');
  return { path: resolve(base, readOnly ? bind.slice(0, -3) : bind), readOnly };
}

function bindFlag(bind: string): AllowedBind {
  if (!BIND.test(bind))
    throw new InputError(`pipetune worker --allow-bind ${JSON.stringify(bind)}: expected DIR or DIR:ro`);
  return allowedBind(bind, process.cwd());
}

/** Flags and file merged (see above); nothing allowed when neither says so. */
export function workerPolicy(flags: PolicyFlags): WorkerPolicy {
  const file = flags.policy ? readPolicyFile(flags.policy) : EMPTY;
  const studyRoot = flags['study-root'] ? resolve(flags['study-root']) : file.studyRoot;
  return {
    programs: joined(file.programs, flags['allow-program'], flags['allow-any-program']),
    images: joined(file.images, flags['allow-image'], flags['allow-any-image']),
    ...(studyRoot ? { studyRoot } : {}),
    network: file.network || (flags['allow-network'] ?? false),
    binds: [...file.binds, ...(flags['allow-bind'] ?? []).map(bindFlag)],
    rootUser: file.rootUser || (flags['allow-root-user'] ?? false),
  };
}
