import { basename } from 'node:path';
import type { ParamValue } from '../space/types.js';
import type { StudyManifest, TrialRecord } from '../study/records.js';
import { writeFileAtomic } from './atomic.js';
import { type ParameterCorrelation, parameterCorrelations } from './correlation.js';
import { formatDelta, formatRelative, formatScore } from './format.js';
import { resultsLayout } from './paths.js';
import { renderConvergencePlot } from './plot.js';
import { paramsKey, type RankedConfig, type Ranking, rankConfigs, rankingFor } from './ranking.js';
import { type StudySummary, summarizeStudy } from './summary.js';
import type { ValidatedConfig } from './validation.js';

const TOP = 10;

const escapeHtml = (text: string) =>
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
.bar{display:inline-block;height:10px;background:#1f77b4;vertical-align:middle}.bar.neg{background:#d62728}
pre{background:#f7f7f7;padding:6px;margin:4px 0;white-space:pre-wrap;font-size:12px}img{max-width:100%;border:1px solid #eee}
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
  return `<h2>Top ${Math.min(TOP, top.length)} configurations</h2>
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
the task. These runs are not tuning trials: they do not count for the best configuration, the plot or the
correlations.</p>
<table><tr><th>config trial</th><th>rank</th><th>optimizer</th><th>tuning ${metric}</th><th>held-out ${metric}</th>
<th>held-out − tuning</th><th>validation trial</th></tr>
${rows.join('\n')}</table>`;
}

function correlationSection(s: StudySummary, correlations: ParameterCorrelation[]): string {
  const rows = correlations.map((c) => {
    if (c.kind === 'categorical') {
      const means = c.choices
        .map((ch) => `${escapeHtml(ch.value)}: ${formatScore(ch.mean)} (n=${ch.n})`)
        .join('; ');
      return `<tr><td>${escapeHtml(c.name)}</td><td colspan="2">mean ${escapeHtml(s.metric)} per choice: ${means}</td></tr>`;
    }
    if (c.rho === null)
      return `<tr><td>${escapeHtml(c.name)}</td><td colspan="2">constant or too few runs (n=${c.n})</td></tr>`;
    const bar = `<span class="bar${c.rho < 0 ? ' neg' : ''}" style="width:${Math.round(Math.abs(c.rho) * 120)}px"></span>`;
    return `<tr><td>${escapeHtml(c.name)}</td><td class="num">${c.rho.toFixed(2)} (n=${c.n})</td><td>${bar}</td></tr>`;
  });
  return `<h2>Parameter correlation with ${escapeHtml(s.metric)}</h2>
<p class="note">Spearman rank correlation between each parameter's value and ${escapeHtml(s.metric)} over the successful
runs. It is a hint, not a measured importance: it only sees monotonic relations one parameter at a time, misses
interactions, and the optimizers sample the space unevenly (they concentrate where scores are good).</p>
<table><tr><th>parameter</th><th>rho</th><th></th></tr>
${rows.join('\n')}</table>`;
}

function failuresSection(failed: TrialRecord[]): string {
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
function prunedSection(pruned: TrialRecord[]): string {
  if (!pruned.length) return '';
  const stages = pruned[0]!.stages?.of ?? 0;
  const counts = Array.from(
    { length: stages },
    (_, k) => pruned.filter((r) => r.stages?.reached === k + 1).length,
  );
  const rows = pruned.map(
    (r) =>
      `<tr><td class="num">${r.trial}</td><td>${escapeHtml(r.optimizer)}</td><td class="num">${r.stages?.reached}/${r.stages?.of}</td>` +
      `<td class="num">${r.score === null ? '–' : formatScore(r.score)}</td><td class="num">${((r.savedMs ?? 0) / 1000).toFixed(1)}</td>` +
      `<td>${escapeHtml(r.pruneReason ?? '')}</td></tr>`,
  );
  return `<h2>Pruned trials (${pruned.length})</h2>
<p>Stopped after stage ${counts.map((n, k) => `${k + 1}: ${n}`).join(', ')}. Partial scores cover the stages run and never rank.</p>
<table><tr><th>trial</th><th>optimizer</th><th>stage</th><th>partial score</th><th>seconds saved</th><th>reason</th></tr>
${rows.join('\n')}</table>`;
}

export interface ReportInput {
  manifest: StudyManifest;
  records: readonly TrialRecord[];
  ranking: Ranking;
  /** The convergence plot, embedded as a data URI so the report is one self-contained file. */
  plotPng: Buffer;
}

/** The study report: one HTML page with inline CSS and the plot inlined. */
export function renderReport({ manifest, records, ranking, plotPng }: ReportInput): string {
  const ordered = [...records].sort((a, b) => a.trial - b.trial);
  const summary = summarizeStudy(manifest, ordered, ranking);
  const top = rankConfigs(ordered, ranking).slice(0, TOP);
  const failed = ordered.filter((r) => r.status === 'failed');
  const csv = basename(resultsLayout('.', manifest).csv);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pipetune: ${escapeHtml(manifest.name)}</title>
<style>${CSS}</style></head><body>
<h1>Study ${escapeHtml(manifest.name)}</h1>
<p class="sub">${escapeHtml(manifest.configPath)} · created ${escapeHtml(manifest.createdAt)} ·
every trial in <a href="${encodeURIComponent(csv)}">${escapeHtml(csv)}</a>${summary.best ? ' · best config in <a href="best/README.txt">best/</a>' : ''}</p>
${summarySection(summary)}
${validationSection(summary)}
<h2>Convergence</h2>
<img alt="${escapeHtml(summary.metric)} per trial, best so far per optimizer and overall" src="data:image/png;base64,${plotPng.toString('base64')}">
${topSection(summary, top)}
${correlationSection(summary, parameterCorrelations(ordered, ranking))}
${prunedSection(ordered.filter((r) => r.status === 'pruned'))}
${failuresSection(failed)}
</body></html>
`;
}

/** Writes `results/report.html`; returns its path. */
export async function writeReport(
  outputDir: string,
  manifest: StudyManifest,
  records: readonly TrialRecord[],
  ranking: Ranking = rankingFor(manifest),
): Promise<string> {
  const path = resultsLayout(outputDir, manifest).report;
  const plotPng = renderConvergencePlot(records, manifest, ranking);
  await writeFileAtomic(path, renderReport({ manifest, records, ranking, plotPng }));
  return path;
}
