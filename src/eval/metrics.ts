/**
 * Running a chosen set of metrics over sequences, combining them as TrackEval's COMBINED_SEQ, and the
 * headline `summary` of a block (HOTA-family arrays averaged over the alphas; fractions, not percent).
 */
import { CLEAR_FIELDS, type ClearResult, combineClear, computeClear } from './clear.js';
import { type CountResult, combineCount, computeCount } from './count.js';
import { combineHota, computeHota, type HotaResult } from './hota.js';
import { combineIdentity, computeIdentity, type IdentityResult } from './identity.js';
import { mean } from './sums.js';
import type { SequenceData } from './types.js';

export const METRIC_NAMES = ['HOTA', 'CLEAR', 'Identity'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricResults {
  HOTA?: HotaResult;
  CLEAR?: ClearResult;
  Identity?: IdentityResult;
  Count: CountResult;
}

/** A sequence's or the combined results, with the headline numbers first. */
export interface MetricsBlock extends MetricResults {
  summary: Record<string, number>;
}

export const HOTA_ARRAY_FIELDS = [
  'HOTA',
  'DetA',
  'AssA',
  'DetRe',
  'DetPr',
  'AssRe',
  'AssPr',
  'LocA',
  'OWTA',
] as const;
export const HOTA_SCALAR_FIELDS = ['HOTA(0)', 'LocA(0)', 'HOTALocA(0)'] as const;
export const IDENTITY_FIELDS = ['IDF1', 'IDR', 'IDP', 'IDTP', 'IDFN', 'IDFP'] as const;
export const COUNT_FIELDS = ['Dets', 'GT_Dets', 'IDs', 'GT_IDs'] as const;

export function evaluateSequence(
  data: SequenceData,
  metrics: readonly MetricName[],
  thresholds = { clear: 0.5, identity: 0.5 },
): MetricResults {
  return {
    ...(metrics.includes('HOTA') && { HOTA: computeHota(data) }),
    ...(metrics.includes('CLEAR') && { CLEAR: computeClear(data, thresholds.clear) }),
    ...(metrics.includes('Identity') && { Identity: computeIdentity(data, thresholds.identity) }),
    Count: computeCount(data),
  };
}

/** COMBINED_SEQ over sequences given in sorted name order. */
export function combineResults(
  perSequence: readonly MetricResults[],
  metrics: readonly MetricName[],
): MetricResults {
  const all = <K extends keyof MetricResults>(key: K) =>
    perSequence.map((r) => r[key] as NonNullable<MetricResults[K]>);
  return {
    ...(metrics.includes('HOTA') && { HOTA: combineHota(all('HOTA')) }),
    ...(metrics.includes('CLEAR') && { CLEAR: combineClear(all('CLEAR')) }),
    ...(metrics.includes('Identity') && { Identity: combineIdentity(all('Identity')) }),
    Count: combineCount(all('Count')),
  };
}

export function summarize(results: MetricResults): Record<string, number> {
  const summary: Record<string, number> = {};
  const { HOTA, CLEAR, Identity, Count } = results;
  if (HOTA) {
    for (const field of HOTA_ARRAY_FIELDS) summary[field] = mean(HOTA[field]);
    for (const field of HOTA_SCALAR_FIELDS) summary[field] = HOTA[field];
  }
  if (CLEAR) for (const field of CLEAR_FIELDS) if (field !== 'MOTP_sum') summary[field] = CLEAR[field];
  if (Identity) for (const field of IDENTITY_FIELDS) summary[field] = Identity[field];
  for (const field of COUNT_FIELDS) summary[field] = Count[field];
  return summary;
}

export function metricsBlock(results: MetricResults): MetricsBlock {
  return { summary: summarize(results), ...results };
}
