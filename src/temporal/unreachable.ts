/**
 * Whether a Temporal client error means the server cannot be reached right now: gRPC UNAVAILABLE (14),
 * directly or as the cause of a client error, or a connection that failed or never became ready (the
 * client and grpc-js say so in plain text only: "Failed to connect to Temporal server", "Failed to connect
 * before the deadline").
 */
export function serverUnreachable(err: unknown): boolean {
  const { code, cause, message } = (err ?? {}) as {
    code?: unknown;
    cause?: { code?: unknown };
    message?: unknown;
  };
  if (code === 14 || cause?.code === 14) return true;
  return (
    typeof message === 'string' && /^Failed to connect|UNAVAILABLE|ECONNREFUSED|ECONNRESET/.test(message)
  );
}
