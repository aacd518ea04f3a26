/** The human summary `pipetune check` prints: the study's settings and its search space as a table. */

import { basename } from 'node:path';
import { describeRange } from '../space/dimensions.js';
import { describeConstraint, describeObjectives } from '../study/objectives.js';
import { displayPath } from './paths.js';
import type { ParamTarget, StudyConfig } from './types.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function describeStudy(config: StudyConfig): string {
  const root = config.exec.rootPath;
  const label = (path: string) => displayPath(root, path);
  // The files are listed in full above the table; rows name them by file name and line.
  const where = (t: ParamTarget) =>
    t.line === undefined ? basename(t.file) : `${basename(t.file)}:${t.line}`;
  const optimizers = config.bbo.optimizers.map(
    (o) => `${o.name} × ${o.maxIteration} (redundancy ${o.redundancy}, batch ${o.batchSize})`,
  );
  const { thresholdZeroScores, thresholdDsAppFails } = config.optimManager;
  const lines = [
    `study           ${config.name} (root ${root})`,
    `pipeline        ${config.exec.pipeline}; metric ${config.metric} (${config.bbo.problemTypeIsMin ? 'minimised' : 'maximised'})`,
    ...(config.objectives
      ? [
          `objectives      ${describeObjectives(config.objectives)}: the study keeps the Pareto set; best/ holds one folder per Pareto config`,
        ]
      : []),
    ...(config.constraints
      ? [
          `constraints     ${config.constraints.map(describeConstraint).join(', ')}: trials that miss one are infeasible and never best`,
        ]
      : []),
    `optimizers      ${optimizers.join('; ')}; ${config.workers} worker(s)`,
    `stops           after ${thresholdZeroScores} zero scores or ${thresholdDsAppFails} pipeline failures`,
    `dataset         ${label(config.exec.datasetPath)} (seqmap ${label(config.exec.seqmapPath)})`,
    ...(config.exec.validationSeqmapPath
      ? [
          `validation      seqmap ${label(config.exec.validationSeqmapPath)} (baseline and best configs re-run on it at the end)`,
        ]
      : []),
    ...Object.values(config.files).map(
      (f) => `${`${f.role} config`.padEnd(16)}${label(f.path)} (${f.format})`,
    ),
    '',
    `search space: ${config.parameters.length} dimension(s)`,
    table(
      ['parameter', 'file', 'range', 'scale', 'type', 'original'],
      config.parameters.map((p) => {
        const d = p.dimension;
        return [
          p.name,
          where(p),
          describeRange(d),
          d.kind === 'choice' ? '-' : d.log ? 'log' : 'linear',
          d.kind,
          show(p.original),
        ];
      }),
    ),
  ];
  if (config.fixed.length > 0) {
    lines.push('', `fixed settings: ${config.fixed.length} (written into every trial)`);
    lines.push(
      table(
        ['parameter', 'file', 'value', 'original'],
        config.fixed.map((f) => [f.name, where(f), show(f.value), show(f.original)]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
