import { existsSync } from 'node:fs';
import { formatDelta, formatRelative, formatScore } from './format.js';
import type { ParetoSummary } from './pareto.js';
import { resultsLayout } from './paths.js';
import { rankingFor } from './ranking.js';
import type { StudyResults } from './refresh.js';
import { readStudyManifest, readTrialStore } from './store.js';
import { feasibilityLine, type StudySummary, summarizeStudy } from './summary.js';
import type { ValidatedConfig } from './validation.js';

/** How a validated config is named: by its place in the tuning ranking, or as the baseline. */
function validatedName(c: ValidatedConfig): string {
  if (c.rank === 1) return c.baseline ? 'best config (the baseline)' : 'best config';
  if (c.baseline) return 'baseline';
  return c.rank === undefined ? 'config' : `config #${c.rank}`;
}

/** `best config 48.123 (trial 12; tuning 52.883)`, or `… failed on the held-out sequences (…; log …)`. */
function validatedPhrase(c: ValidatedConfig): string {
  const ok = c.runs.filter((r) => r.status === 'ok').length;
  const failed = c.runs.length - ok;
  const details: string[] = [];
  if (!c.baseline || c.rank === 1) details.push(`trial ${c.trial}`);
  if (c.heldOut !== undefined && ok > 1) details.push(`mean of ${ok} runs`);
  if (c.heldOut !== undefined && failed) details.push(`${failed} of ${c.runs.length} runs failed`);
  details.push(c.tuning ? `tuning ${formatScore(c.tuning.mean)}` : 'no successful tuning run');
  const lastFailure = c.runs.filter((r) => r.status === 'failed').at(-1);
  if (c.heldOut === undefined && lastFailure)
    details.push(`log ${lastFailure.error?.logFile ?? lastFailure.checkpoint}`);
  const score = c.heldOut === undefined ? 'failed on the held-out sequences' : formatScore(c.heldOut);
  return `${validatedName(c)} ${score} (${details.join('; ')})`;
}

/**
 * `held-out HOTA: best config 48.123 (trial 12; tuning 52.883), baseline 45.000 (tuning 47.300), …`:
 * the best config and the baseline on the first line, any other validated configs on a second.
 */
function heldOutLines(s: StudySummary): string[] {
  const configs = s.validation?.configs ?? [];
  if (!configs.length) return [];
  const best = configs.find((c) => c.rank === 1);
  const baseline = configs.find((c) => c.baseline && c !== best);
  const headline = [best, baseline].filter((c): c is ValidatedConfig => c !== undefined);
  const others = configs
    .filter((c) => !headline.includes(c))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
  const lines = [headline, others]
    .filter((group) => group.length)
    .map((group) => group.map(validatedPhrase).join(', '));
  if (best?.heldOut !== undefined && baseline?.heldOut !== undefined) {
    const gain = s.minimize ? baseline.heldOut - best.heldOut : best.heldOut - baseline.heldOut;
    lines[0] += `, improvement ${formatDelta(gain)} points`;
  }
  return lines.map((line) => `held-out ${s.metric}: ${line}`);
}

/**
 * `Pareto set of HOTA (max) × fps (max): 4 configs, hypervolume 812.4` and one line per config; the
 * picked one (best/) is marked.
 */
export function paretoLines(pareto: ParetoSummary, pick?: string): string[] {
  const names = pareto.objectives.map((o) => `${o.metric} (${o.goal})`).join(' × ');
  const rule = pick === undefined ? `best ${pareto.objectives[0]!.metric}` : `--pick "${pick}"`;
  return [
    `Pareto set of ${names}: ${pareto.points.length} config${pareto.points.length === 1 ? '' : 's'}, hypervolume ${pareto.hypervolume.toFixed(3)}; best/ holds the one chosen by ${rule}, best/pareto/ all of them`,
    ...pareto.points.map(
      (p) =>
        `  trial ${p.record.trial}: ${p.values.map((v, i) => `${pareto.objectives[i]!.metric} ${v.toFixed(3)}`).join(', ')} (${p.record.optimizer})`,
    ),
  ];
}

/** `pipeline time 412.3 s for 25 trials (345,600 frames); pruning saved ~298.1 s (estimated)` */
function costLine(s: StudySummary): string {
  const frames = s.cost.frames ? ` (${s.cost.frames.toLocaleString('en-US')} frames)` : '';
  const saved = s.pruned ? `; pruning saved ~${s.cost.savedSeconds.toFixed(1)} s (estimated)` : '';
  return `pipeline time ${s.cost.pipelineSeconds.toFixed(1)} s for ${s.trials} trials${frames}${saved}`;
}

/**
 * The summary `pipetune results` prints, and `tune`/`resume` at the end of a study: trial counts, best
 * and baseline in points, the improvement, the held-out scores of the validated configs beside their
 * tuning scores (`validationSeqmapPath`), and the paths of the results.
 */
export function formatResultsSummary({
  manifest,
  summary: s,
  csv,
  plot,
  plots,
  report,
  best,
}: StudyResults): string {
  const heldOutRuns = s.validation
    ? `, plus ${s.validation.runs} held-out validation run${s.validation.runs === 1 ? '' : 's'}`
    : '';
  const counts = s.pruned
    ? `${s.ok} complete, ${s.pruned} pruned, ${s.failed} failed`
    : `${s.ok} succeeded, ${s.failed} failed`;
  const lines = [`study ${manifest.name}: ${s.trials} trials, ${counts}${heldOutRuns}`];
  if (s.best) {
    const r = s.best.record;
    const runs = s.best.count > 1 ? `, mean of ${s.best.count} runs` : '';
    const fps = r.fps === undefined ? '' : `, ${r.fps.toFixed(1)} fps`;
    lines.push(
      `best ${s.metric} ${formatScore(s.best.mean)} at trial ${r.trial} (${r.optimizer}, iteration ${r.iteration}${runs}${fps})`,
    );
  } else lines.push('no successful trial yet: best/ not written');
  if (s.baseline) {
    const relative = s.relativeImprovement === undefined ? '' : ` (${formatRelative(s.relativeImprovement)})`;
    const gain =
      s.improvement === undefined ? '' : `, improvement ${formatDelta(s.improvement)} points${relative}`;
    lines.push(`baseline ${s.metric} ${formatScore(s.baseline.mean)}${gain}`);
  }
  lines.push(...heldOutLines(s));
  if (s.pareto) lines.push(...paretoLines(s.pareto, s.pick));
  if (s.feasibility) lines.push(feasibilityLine(s.feasibility));
  lines.push(costLine(s));
  if (report)
    lines.push(
      `csv     ${csv}`,
      `plot    ${plot}`,
      `plots   ${plots}/ (every chart as SVG and PNG)`,
      `report  ${report}`,
    );
  else lines.push('results not written yet: `pipetune results` writes the CSV, charts, report and best/');
  if (best) lines.push(`best    ${best}/ (README.txt says which original files the configs replace)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The study's results as the study's end (finalizeStudy) wrote them. Reads only: when they were never
 * written (a study that failed before it could), the summary says so. Undefined when no trial was
 * recorded.
 */
export async function readStudyResults(
  outputDir: string,
  warn?: (message: string) => void,
): Promise<StudyResults | undefined> {
  const records = await readTrialStore(outputDir, warn);
  if (records.length === 0) return undefined;
  const manifest = await readStudyManifest(outputDir);
  const files = resultsLayout(outputDir, manifest);
  const summary = summarizeStudy(manifest, records, rankingFor(manifest));
  if (!existsSync(files.report)) return { manifest, summary };
  return {
    manifest,
    summary,
    csv: files.csv,
    plot: files.plot,
    plots: files.plots,
    report: files.report,
    ...(summary.best && existsSync(files.best) ? { best: files.best } : {}),
  };
}
