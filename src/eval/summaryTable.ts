/**
 * The tables TrackEval prints after an evaluation: one per metric, a row per sequence and COMBINED,
 * ratios ×100 with 5 significant digits (Python's "{:1.5g}"), counts as integers.
 */
import type { MetricResults, MetricsBlock } from './metrics.js';
import { COUNT_FIELDS, HOTA_ARRAY_FIELDS, HOTA_SCALAR_FIELDS } from './metrics.js';

const percent = (names: readonly string[]) => names.map((name) => ({ name, percent: true }));
const counts = (names: readonly string[]) => names.map((name) => ({ name, percent: false }));

/** The columns TrackEval prints per metric; ratios are shown as percent. */
const TABLES: { metric: keyof MetricResults; columns: { name: string; percent: boolean }[] }[] = [
  { metric: 'HOTA', columns: percent([...HOTA_ARRAY_FIELDS, ...HOTA_SCALAR_FIELDS]) },
  {
    metric: 'CLEAR',
    columns: [
      ...percent(['MOTA', 'MOTP', 'MODA', 'CLR_Re', 'CLR_Pr', 'MTR', 'PTR', 'MLR', 'sMOTA']),
      ...counts(['CLR_TP', 'CLR_FN', 'CLR_FP', 'IDSW', 'MT', 'PT', 'ML', 'Frag']),
    ],
  },
  { metric: 'Identity', columns: [...percent(['IDF1', 'IDR', 'IDP']), ...counts(['IDTP', 'IDFN', 'IDFP'])] },
  { metric: 'Count', columns: counts(COUNT_FIELDS) },
];

/** Python's `format(x, '1.5g')`. */
export function formatG5(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponentText] = x.toExponential(4).split('e') as [string, string];
  const exponent = Number(exponentText);
  const strip = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  if (exponent < -4 || exponent >= 5)
    return `${strip(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return strip(x.toFixed(4 - exponent));
}

function row(cells: string[]): string {
  return cells
    .map((cell, i) => cell.padEnd(i === 0 ? 35 : 10))
    .join('')
    .trimEnd();
}

/** All tables for a report's sequences (in order) and its combined block. */
export function formatSummaryTables(
  sequences: Record<string, MetricsBlock>,
  combined: MetricsBlock,
  label: string,
): string {
  const out: string[] = [];
  for (const { metric, columns } of TABLES) {
    if (!combined[metric]) continue;
    const cells = (block: MetricsBlock) =>
      columns.map(({ name, percent }) => {
        const value = block.summary[name]!;
        return percent ? formatG5(100 * value) : String(Math.round(value));
      });
    out.push('', row([`${metric}: ${label}`, ...columns.map((c) => c.name)]));
    for (const [seq, block] of Object.entries(sequences)) out.push(row([seq, ...cells(block)]));
    out.push(row(['COMBINED', ...cells(combined)]));
  }
  return `${out.join('\n')}\n`;
}
