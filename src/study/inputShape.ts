/**
 * The workflow input's shape, checked inside the workflow before anything else (so a study started by
 * another system with a missing or malformed input fails at once, listing every problem). No imports:
 * this module is bundled into the workflow sandbox. `./input.ts` checks the same fields with zod for the
 * activities; the JSON Schema in docs/ is generated from that one.
 */
const NAME = /^[A-Za-z0-9._-]+$/;
const STUDY_KEYS = ['name', 'configPath', 'rootDir', 'outputDir', 'maxIterations'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function studyInputProblems(input: unknown): string[] {
  if (!isObject(input))
    return [
      `workflow input: expected an object { study: { name, configPath, rootDir, outputDir } }, got ${input === null ? 'null' : typeof input}`,
    ];
  const problems: string[] = [];
  for (const key of Object.keys(input))
    if (key !== 'study' && key !== 'carry') problems.push(`workflow input.${key}: unknown field`);
  const { study, carry } = input;
  if (!isObject(study)) {
    problems.push('workflow input.study: missing; expected { name, configPath, rootDir, outputDir }');
  } else {
    for (const key of Object.keys(study))
      if (!STUDY_KEYS.includes(key)) problems.push(`workflow input.study.${key}: unknown field`);
    if (typeof study.name !== 'string' || !NAME.test(study.name))
      problems.push('workflow input.study.name: expected letters, digits, dot, dash and underscore only');
    for (const key of ['configPath', 'rootDir', 'outputDir'])
      if (typeof study[key] !== 'string' || !(study[key] as string).startsWith('/'))
        problems.push(`workflow input.study.${key}: expected an absolute path`);
    const max = study.maxIterations;
    if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0))
      problems.push('workflow input.study.maxIterations: expected a positive integer');
  }
  if (carry !== undefined && !(isObject(carry) && typeof carry.paused === 'boolean'))
    problems.push('workflow input.carry: expected { paused: true|false }');
  return problems;
}
