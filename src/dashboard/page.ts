/**
 * The dashboard's HTML: a shell page whose small script listens to the server's event stream and
 * swaps in the new content when trials land (no reload), and the content itself: the report's
 * sections plus every trial with a link to the study's workflow in the Temporal UI.
 */
import type { AnalysedTrial, StudyAnalysis } from '../results/analysis.js';
import { formatScore } from '../results/format.js';
import { escapeHtml, htmlPage, type ReportChart, reportBody } from '../results/report.js';

export interface TemporalLink {
  /** The Temporal UI, e.g. http://127.0.0.1:8233 */
  ui: string;
  namespace: string;
  workflowId: string;
}

/** The workflow that ran the study's trials, in the Temporal UI (its history lists every activity). */
export function workflowUrl({ ui, namespace, workflowId }: TemporalLink): string {
  return `${ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/history`;
}

function trialRow(t: AnalysedTrial, url: string): string {
  const score = t.score === null ? '–' : formatScore(t.score);
  return (
    `<tr data-trial="${t.trial}"><td class="num">${t.trial}</td><td>${escapeHtml(t.optimizer)}</td><td class="num">${t.iteration}</td>` +
    `<td>${t.status}</td><td class="num">${score}</td><td>${escapeHtml(t.worker ?? '–')}</td><td>${escapeHtml(t.finishedAt)}</td>` +
    `<td><a href="${escapeHtml(url)}" target="_blank" rel="noopener">workflow</a></td></tr>`
  );
}

/** Everything below the live status line, newest trials first. */
export function dashboardContent(
  a: StudyAnalysis,
  charts: readonly ReportChart[],
  temporal: TemporalLink,
): string {
  const url = workflowUrl(temporal);
  const rows = [...a.trials].reverse().map((t) => trialRow(t, url));
  return `<p class="sub" id="trial-count">${a.trials.length} trials · workflow <a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(temporal.workflowId)}</a> in the Temporal UI</p>
${reportBody(a, charts, { csv: '', best: false })}
<h2 id="trials">Trials</h2>
<div class="scroll"><table><tr><th>trial</th><th>optimizer</th><th>iteration</th><th>status</th><th>${escapeHtml(a.metric)}</th><th>worker</th><th>finished</th><th>Temporal</th></tr>
${rows.join('\n')}</table></div>`;
}

/** Listens to /events; on `update`, fetches /content and swaps it in. */
const SCRIPT = `<script>
(() => {
  const status = () => document.getElementById('live');
  const refresh = async () => {
    const response = await fetch('content', { cache: 'no-store' });
    if (!response.ok) { status().textContent = 'could not read the study: ' + (await response.text()); return; }
    document.getElementById('content').innerHTML = await response.text();
    status().textContent = 'live · updated ' + new Date().toLocaleTimeString();
  };
  const events = new EventSource('events');
  events.addEventListener('update', () => refresh().catch((e) => { status().textContent = 'update failed: ' + e.message; }));
  events.onerror = () => { status().textContent = 'disconnected; retrying…'; };
})();
</script>`;

/** The page a browser opens: the content as of now, kept up to date by the script. */
export function dashboardPage(name: string, content: string): string {
  return htmlPage(
    `pipetune dashboard: ${name}`,
    `<p class="note" id="live">live</p>\n<div id="content">${content}</div>`,
    SCRIPT,
  );
}
