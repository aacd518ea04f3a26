import type { ParamValue } from '../space/types.js';
import type { AnalysedTrial, BoundFlag, StudyAnalysis } from './analysis.js';
import { paretoFolder } from './best.js';
import { formatDelta, formatRelative, formatScore } from './format.js';
import { paramsKey, type RankedConfig } from './ranking.js';
import { feasibilityLine, type StudySummary } from './summary.js';

import type { ValidatedConfig } from './validation.js';
import { effectText } from './views/importance.js';
import { shortName } from './views/types.js';

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Parameter values as a person compares them: six significant digits for non-integers. */
function showParam(value: ParamValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(6)));
  return String(value);
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
th.param{font-weight:normal;font-size:12px;max-width:140px;word-break:break-all}tr.ref td{color:#777;font-style:italic}
figure{margin:8px 0 20px}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:13px;max-width:1000px}
.flag{background:#fff7e0;border-left:4px solid #ff9f1c;padding:6px 10px;margin:6px 0}
pre{background:#f7f7f7;padding:6px;margin:4px 0;white-space:pre-wrap;font-size:12px}
.note{color:#555;font-size:13px}`;

function summarySection(s: StudySummary): string {
  const direction = s.minimize ? 'lower is better' : 'higher is better';
  const rows: Array<[string, string]> = [
    ['Metric', `${s.metric} (${direction}), in points (fraction × 100)`],
  ];
  if (s.baseline)
    rows.push(['Baseline (your original config)', `${formatScore(s.baseline.mean)}${runs(s.baseline)}`]);
  if (s.best) {
    const b = s.best.record;
    rows.push([
      'Best',
      `${formatScore(s.best.mean)}${runs(s.best)}, trial ${b.trial} (${escapeHtml(b.optimizer)}, iteration ${b.iteration}), ${escapeHtml(b.checkpoint)}`,
    ]);
  } else rows.push(['Best', 'no successful trial yet']);
  if (s.improvement !== undefined) {
    const relative = s.relativeImprovement === undefined ? '' : ` (${formatRelative(s.relativeImprovement)})`;
    rows.push(['Improvement over baseline', `${formatDelta(s.improvement)} points${relative}`]);
  }
  const heldOut = s.validation
    ? `; plus ${s.validation.runs} held-out validation run${s.validation.runs === 1 ? '' : 's'} (${s.validation.failed} failed), not counted as trials`
    : '';
  const pruned = s.pruned ? `, ${s.pruned} pruned` : '';
  rows.push([
    'Trials',
    `${s.trials} run, ${s.ok} ${s.pruned ? 'complete' : 'succeeded'}${pruned}, ${s.failed} failed${heldOut}`,
  ]);
  if (s.feasibility)
    rows.push(['Constraints', escapeHtml(feasibilityLine(s.feasibility).replace(/^constraints /, ''))]);
  const saved = s.pruned ? `; pruning saved ~${s.cost.savedSeconds.toFixed(1)} s (estimated)` : '';
  rows.push([
    'Pipeline time',
    `${s.cost.pipelineSeconds.toFixed(1)} s, ${s.cost.frames.toLocaleString('en-US')} frames${saved}`,
  ]);
  const perOptimizer = s.optimizers
    .map(
      (o) =>
        `<tr><td>${escapeHtml(o.optimizer)}</td><td class="num">${o.trials}</td><td class="num">${o.failed}</td>` +
        `<td class="num">${o.best ? formatScore(o.best.mean) : '–'}</td><td class="num">${o.best ? o.best.record.trial : '–'}</td></tr>`,
    )
    .join('\n');
  return `<h2>Summary</h2>
<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('\n')}</table>
<h3>Per optimizer</h3>
<table><tr><th>optimizer</th><th>trials</th><th>failed</th><th>best ${escapeHtml(s.metric)}</th><th>at trial</th></tr>
${perOptimizer}</table>`;
}

function runs(config: RankedConfig): string {
  return config.count > 1 ? ` (mean of ${config.count} runs: trials ${config.trials.join(', ')})` : '';
}

function topSection(s: StudySummary, top: RankedConfig[]): string {
  const names = [...new Set(top.flatMap((c) => Object.keys(c.record.params)))];
  const paramCells = (config: RankedConfig) =>
    names.map((n) => `<td class="num">${escapeHtml(showParam(config.record.params[n]))}</td>`).join('');
  const row = (config: RankedConfig, rank: string, cls = '') =>
    `<tr${cls}><td>${rank}</td><td class="num">${formatScore(config.mean)}</td><td class="num">${config.count}</td>` +
    `<td class="num">${config.record.trial}</td><td>${escapeHtml(config.record.optimizer)}</td>${paramCells(config)}</tr>`;
  const rows = top.map((c, i) => row(c, String(i + 1)));
  // The baseline as a reference row when it did not make the top.
  const baseline = s.baseline;
  if (baseline && !top.some((c) => paramsKey(c.record.params) === paramsKey(baseline.record.params))) {
    rows.push(row(baseline, 'baseline', ' class="ref"'));
  }
  return `<h2>Top ${top.length} configurations</h2>
<p class="note">Distinct parameter sets ranked by their mean ${escapeHtml(s.metric)} over all their successful runs
(repeats and re-evaluations); the trial is the first run, whose checkpoint holds the rendered configs.</p>
<div class="scroll"><table><tr><th>rank</th><th>${escapeHtml(s.metric)}</th><th>runs</th><th>trial</th><th>optimizer</th>
${names.map((n) => `<th class="param">${escapeHtml(n)}</th>`).join('')}</tr>
${rows.join('\n')}</table></div>`;
}

/** The validated configs: tuning score (mean over its runs), held-out score and the difference. */
function validationSection(s: StudySummary): string {
  if (!s.validation) return '';
  const metric = escapeHtml(s.metric);
  const rank = (c: ValidatedConfig) => {
    const place = c.rank === undefined ? '–' : String(c.rank);
    return c.baseline ? `${place} (baseline)` : place;
  };
  const rows = s.validation.configs.map((c) => {
    const tuning = c.tuning
      ? `${formatScore(c.tuning.mean)}${c.tuning.count > 1 ? ` (${c.tuning.count} runs)` : ''}`
      : '–';
    const ok = c.runs.filter((r) => r.status === 'ok').length;
    const failures = c.runs
      .filter((r) => r.status === 'failed')
      .map(
        (r) =>
          `failed (trial ${r.trial}): ${escapeHtml(r.error?.message ?? 'no score')}, log ${escapeHtml(r.error?.logFile ?? r.checkpoint)}`,
      );
    const heldOut =
      c.heldOut === undefined
        ? failures.join('<br>')
        : `${formatScore(c.heldOut)}${ok > 1 ? ` (${ok} runs)` : ''}${failures.length ? `<br>${failures.join('<br>')}` : ''}`;
    const optimizer = c.tuning ? escapeHtml(c.tuning.record.optimizer) : '–';
    return (
      `<tr><td class="num">${c.trial}</td><td>${rank(c)}</td><td>${optimizer}</td><td class="num">${tuning}</td>` +
      `<td class="num">${heldOut}</td><td class="num">${c.difference === undefined ? '–' : formatDelta(c.difference)}</td>` +
      `<td class="num">${c.runs.map((r) => r.trial).join(', ')}</td></tr>`
    );
  });
  return `<h2>Held-out validation</h2>
<p class="note">The baseline and the best configurations re-run at the end and scored on the held-out seqmap
(<code>validationSeqmapPath</code>), sequences no optimizer saw. The tuning score is the mean over the config's
tuning runs, as it is ranked; a held-out score well below it means the config fits the tuning sequences more than
the task. These runs are not tuning trials: they do not count for the best configuration, the charts above or the
importance.</p>
<table><tr><th>config trial</th><th>rank</th><th>optimizer</th><th>tuning ${metric}</th><th>held-out ${metric}</th>
<th>held-out − tuning</th><th>validation trial</th></tr>
${rows.join('\n')}</table>`;
}

/** Two-objective studies: the Pareto configs as a table beside the chart, the picked one first-marked. */
function paretoSection(s: StudySummary): string {
  if (!s.pareto?.points.length) return '';
  const { objectives, points } = s.pareto;
  const picked = s.best?.record.trial;
  const rows = points.map(
    (p) =>
      `<tr><td class="num">${p.record.trial}${p.record.trial === picked ? ' (best/)' : ''}</td><td>${escapeHtml(p.record.optimizer)}</td>` +
      `${p.values.map((v) => `<td class="num">${v.toFixed(3)}</td>`).join('')}<td>best/pareto/${paretoFolder(p.record.trial)}</td></tr>`,
  );
  const heads = objectives.map((o) => `<th>${escapeHtml(o.metric)} (${o.goal})</th>`).join('');
  return `<table><tr><th>trial</th><th>optimizer</th>${heads}<th>folder</th></tr>\n${rows.join('\n')}</table>`;
}

/** Importance and effect of every parameter, as a table beside the chart. */
function importanceSection(a: StudyAnalysis): string {
  if (!a.importance.length) return '';
  const rows = a.importance.map(
    (p) =>
      `<tr><td title="${escapeHtml(p.name)}">${escapeHtml(shortName(p.name))}</td><td class="num">${(p.importance * 100).toFixed(1)} %</td><td>${escapeHtml(effectText(p))}</td></tr>`,
  );
  return `<table><tr><th>parameter</th><th>importance</th><th>effect</th></tr>\n${rows.join('\n')}</table>`;
}

const showRange = (low: number, high: number) => `[${showParam(low)}, ${showParam(high)}]`;

/** Parameters whose best values sit at a bound of their range, with a wider range to try. */
function boundsSection(flags: readonly BoundFlag[], note?: string): string {
  const items = flags.map((f) => {
    const widen = f.suggested
      ? `try widening it to ${showRange(...f.suggested)}`
      : 'the range already starts at 0, so the optimum is likely the bound itself';
    return `<p class="flag"><b>${escapeHtml(f.name)}</b>: the best value ${escapeHtml(showParam(f.best))} sits at the ${f.bound} end of its range ${showRange(f.low, f.high)}, and ${f.atBound} of the ${f.of} best configurations in its ${f.bound} quarter: the optimum may lie beyond the range; ${widen}.</p>`;
  });
  const noteHtml = note ? `<p class="note">${escapeHtml(note)}</p>` : '';
  if (!items.length) return noteHtml;
  return `<h2>Ranges to widen</h2>\n${items.join('\n')}${noteHtml}`;
}

function failuresSection(failed: readonly AnalysedTrial[]): string {
  if (!failed.length) return '<h2>Failed trials</h2>\n<p>None.</p>';
  const rows = failed.map((r) => {
    const lines = r.error?.lines.length ? `<pre>${escapeHtml(r.error.lines.join('\n'))}</pre>` : '';
    return (
      `<tr><td class="num">${r.trial}</td><td>${escapeHtml(r.optimizer)}</td><td class="num">${r.iteration}</td>` +
      `<td class="num">${r.exitCode ?? '–'}</td><td>${escapeHtml(r.error?.message ?? '')}${lines}</td>` +
      `<td>${escapeHtml(r.error?.logFile ?? r.checkpoint)}</td></tr>`
    );
  });
  return `<h2>Failed trials (${failed.length})</h2>
<table><tr><th>trial</th><th>optimizer</th><th>iteration</th><th>exit</th><th>error</th><th>log</th></tr>
${rows.join('\n')}</table>`;
}

/** Where the pruner stopped trials: how many at each stage, and each with its partial score and reason. */
function prunedSection(pruned: readonly AnalysedTrial[]): string {
  if (!pruned.length) return '';
  const stages = pruned[0]!.pruned?.stages?.of ?? 0;
  const counts = Array.from(
    { length: stages },
    (_, k) => pruned.filter((r) => r.pruned?.stages?.reached === k + 1).length,
  );
  const rows = pruned.map((r) => {
    const p = r.pruned!;
    return (
      `<tr><td class="num">${r.trial}</td><td>${escapeHtml(r.optimizer)}</td><td class="num">${p.stages?.reached}/${p.stages?.of}</td>` +
      `<td class="num">${p.partialScore === null ? '–' : formatScore(p.partialScore)}</td><td class="num">${((p.savedMs ?? 0) / 1000).toFixed(1)}</td>` +
      `<td>${escapeHtml(p.reason ?? '')}</td></tr>`
    );
  });
  return `<h2>Pruned trials (${pruned.length})</h2>
<p>Stopped after stage ${counts.map((n, k) => `${k + 1}: ${n}`).join(', ')}. Partial scores cover the stages run and never rank.</p>
<table><tr><th>trial</th><th>optimizer</th><th>stage</th><th>partial score</th><th>seconds saved</th><th>reason</th></tr>
${rows.join('\n')}</table>`;
}

/** A view as the report embeds it: the chart's SVG document, inline. */
export interface ReportChart {
  id: string;
  title: string;
  caption: string;
  svg: string;
}

function figure(chart: ReportChart | undefined, extra = ''): string {
  if (!chart) return '';
  return `<h2 id="${chart.id}">${escapeHtml(chart.title)}</h2>
<figure data-view="${chart.id}">${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>${extra}`;
}

export interface ReportLinks {
  /** File name of the accuracy CSV, beside report.html. */
  csv: string;
  /** best/ exists. */
  best: boolean;
}

/** The report's content: headline, summary, ranges to widen, every chart, top configs, failures. */
export function reportBody(a: StudyAnalysis, charts: readonly ReportChart[], links: ReportLinks): string {
  const chart = (id: string) => charts.find((c) => c.id === id);
  const validation = chart('validation');
  return `<h1>Study ${escapeHtml(a.name)}</h1>
<p class="sub">${escapeHtml(a.configPath)} · created ${escapeHtml(a.createdAt)} ·
every trial in <a href="${encodeURIComponent(links.csv)}">${escapeHtml(links.csv)}</a>${links.best ? ' · best config in <a href="best/README.txt">best/</a>' : ''}</p>
${summarySection(a.summary)}
${boundsSection(a.boundFlags, a.spaceNote)}
${figure(chart('convergence'))}
${figure(chart('pareto'), paretoSection(a.summary))}
${figure(chart('importance'), importanceSection(a))}
${figure(chart('parallel'))}
${figure(chart('slices'))}
${figure(chart('sequences'))}
${validationSection(a.summary)}${validation ? `<figure data-view="validation">${validation.svg}<figcaption>${escapeHtml(validation.caption)}</figcaption></figure>` : ''}
${figure(chart('timeline'))}
${topSection(a.summary, a.top)}
${prunedSection(a.trials.filter((t) => t.status === 'pruned'))}
${failuresSection(a.trials.filter((t) => t.status === 'failed'))}`;
}

/** A whole page around a body, CSS inline; `head` adds to <head> (the dashboard's script). */
export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${CSS}</style>${head}</head><body>
${body}
</body></html>
`;
}

/** The study report: one offline HTML page, CSS and every chart (SVG) inline; `head` adds the interactive script. */
export function renderReport(
  a: StudyAnalysis,
  charts: readonly ReportChart[],
  links: ReportLinks,
  head = '',
): string {
  return htmlPage(`pipetune: ${a.name}`, reportBody(a, charts, links), head);
}
