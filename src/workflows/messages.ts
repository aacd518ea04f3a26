import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { StudyStatus } from '../study/types.js';

/** Per optimizer done/total and best, overall best, ETA. Needs a control worker polling. */
export const statusQuery = defineQuery<StudyStatus>('status');
/** Graceful stop: no new trials; running ones finish. `now: true` cancels them (their processes are killed). */
export const stopUpdate = defineUpdate<StudyStatus, [{ now: boolean }]>('stop');
/** No new trials until `resume`; running ones finish. */
export const pauseUpdate = defineUpdate<StudyStatus>('pause');
export const resumeUpdate = defineUpdate<StudyStatus>('resume');
