import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { formatLogEntry } from '../../src/worker/logger.js';

const at = 1_764_730_000_000n * 1_000_000n;

describe('worker log lines', () => {
  it('show an activity failure as one line with its root cause, without task tokens or raw JSON', () => {
    const cause = ApplicationFailure.nonRetryable('cannot run "deepstream-app": not found', 'InputError');
    const error = Object.assign(new Error('Activity task failed'), { cause });
    const line = formatLogEntry({
      level: 'WARN',
      message: 'Activity failed',
      timestampNanos: at,
      meta: {
        taskToken: 'CiQ4ZjQ3YjM1Zi1hNzA0LTQ5',
        activityType: 'pipeExec',
        workflowId: 'pipetune-sdg-mot',
        attempt: 1,
        error,
      },
    });
    expect(line).toBe(
      '2025-12-03T02:46:40.000Z [WARN] Activity failed (activityType pipeExec; workflowId pipetune-sdg-mot; attempt 1; error: cannot run "deepstream-app": not found)\n',
    );
  });

  it('keep a message without meta as it is', () => {
    expect(formatLogEntry({ level: 'ERROR', message: 'Worker failed', timestampNanos: at })).toBe(
      '2025-12-03T02:46:40.000Z [ERROR] Worker failed\n',
    );
  });
});
