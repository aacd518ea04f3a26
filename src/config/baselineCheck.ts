/**
 * Where the optimizers see the baseline: a baseline value outside its tuned range is projected onto
 * the range (src/space/projection.ts), so `check` says which keys moved and where to; a choice the
 * space does not offer cannot be projected, and the optimizers then do not learn from the baseline.
 */
import { originalParams } from '../render/index.js';
import { projectParams } from '../space/projection.js';
import type { StudyConfig } from './types.js';

export function baselineWarnings(config: StudyConfig): string[] {
  if (!config.exec.baseline) return [];
  const yamlPath = (name: string) => config.parameters.find((p) => p.name === name)?.yamlPath ?? name;
  const baseline = originalParams(config);
  const projected = projectParams(config.space, baseline);
  if (!projected) {
    const off = config.parameters.filter(
      (p) => p.dimension.kind === 'choice' && !p.dimension.choices.includes(baseline[p.name]!),
    );
    return off.map(
      (p) =>
        `${p.yamlPath}: the baseline value ${JSON.stringify(baseline[p.name])} is not one of the choices, so the optimizers cannot learn from the baseline trial; add it to the choices`,
    );
  }
  return projected.moved.map(
    ({ name, from, to }) =>
      `${yamlPath(name)}: the baseline value ${from} lies outside the tuned range; the optimizers learn the baseline's score as if at ${to} (projected), which may not score the same: widen the range to include ${from} to be exact`,
  );
}
