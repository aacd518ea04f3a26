import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StudyStatus } from '../study/types.js';

/** Per optimizer done/total and best, overall best, ETA. Answered from the first instant (`starting`). */
export const statusQuery = defineQuery<StudyStatus>('status');
/**
 * Graceful stop: no new trials; running ones finish. `{ now: true }` cancels them (their processes are
 * killed). No argument (or `{}`) is a graceful stop.
 */
export const stopUpdate = defineUpdate<StudyStatus, [StopRequest | undefined]>('stop');
/** No new trials until `resume`; running ones finish. */
export const pauseUpdate = defineUpdate<StudyStatus>('pause');
export const resumeUpdate = defineUpdate<StudyStatus>('resume');

/** The same requests as signals, for systems that cannot send updates (no answer, no validation). */
export const stopSignal = defineSignal<[StopRequest | undefined]>('stop');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');

export interface StopRequest {
  now?: boolean;
}

/** A stop request's argument, or why it is refused (the validator rejects it before it reaches history). */
export function stopRequestProblem(request: unknown): string | undefined {
  if (request === undefined || request === null) return undefined;
  if (typeof request !== 'object' || Array.isArray(request))
    return `stop: expected no argument or { now: true|false }, got ${JSON.stringify(request)}`;
  const unknown = Object.keys(request).filter((key) => key !== 'now');
  if (unknown.length) return `stop: unknown field ${unknown.join(', ')}; expected { now: true|false }`;
  const { now } = request as { now?: unknown };
  if (now !== undefined && typeof now !== 'boolean')
    return `stop: now must be true or false, got ${JSON.stringify(now)}`;
  return undefined;
}
