import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { serverUnreachable } from '../../src/temporal/unreachable.js';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

describe('serverUnreachable', () => {
  it('knows the ways a lost or absent server shows in the client', () => {
    expect(serverUnreachable(grpcError(14, '14 UNAVAILABLE: No connection established'))).toBe(true);
    expect(serverUnreachable(new ServiceError('call failed', { cause: grpcError(14, 'x') }))).toBe(true);
    // The server died while the client was connecting: the cause is not UNAVAILABLE.
    const deadline = grpcError(4, '4 DEADLINE_EXCEEDED: Deadline exceeded');
    expect(
      serverUnreachable(new ServiceError('Failed to connect to Temporal server', { cause: deadline })),
    ).toBe(true);
    expect(serverUnreachable(new Error('Failed to connect before the deadline'))).toBe(true);
  });

  it('leaves other failures to be reported as they are', () => {
    expect(serverUnreachable(grpcError(5, '5 NOT_FOUND: workflow not found'))).toBe(false);
    expect(serverUnreachable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(serverUnreachable(undefined)).toBe(false);
  });
});
