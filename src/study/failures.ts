/**
 * Temporal wraps failures (WorkflowFailedError → ActivityFailure → ApplicationFailure…); the outer
 * messages say only "Activity task failed". No Node imports: the workflow bundle uses these too.
 */
interface Chained {
  message?: string;
  cause?: unknown;
  type?: string;
}

/** The innermost message of a failure chain: the one that says what went wrong. */
export function rootMessage(err: unknown): string {
  let current = err as Chained | undefined;
  let message = current?.message ?? String(err);
  while (current?.cause) {
    current = current.cause as Chained;
    if (current.message) message = current.message;
  }
  return message;
}

/** True when some failure in the chain is one of the user's input (config, program, files). */
export function isInputFailure(err: unknown): boolean {
  for (let current = err as Chained | undefined; current; current = current.cause as Chained | undefined)
    if (current.type === 'InputError') return true;
  return false;
}
