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

/** True when some failure in the chain has this type (the name of the error an activity threw). */
function hasFailureType(err: unknown, type: string): boolean {
  for (let current = err as Chained | undefined; current; current = current.cause as Chained | undefined)
    if (current.type === type) return true;
  return false;
}

/** True when some failure in the chain is one of the user's input (config, program, files). */
export function isInputFailure(err: unknown): boolean {
  return hasFailureType(err, 'InputError');
}

/** True when the disk refused a write (src/storageErrors.ts): full, over quota or read-only. */
export function isStorageFailure(err: unknown): boolean {
  return hasFailureType(err, 'StorageError');
}
