import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../errors.js';
import { StorageError } from '../storageErrors.js';

/**
 * Configuration errors will not heal by retrying: fail the activity for good, keeping the message.
 * `storageToo`: a disk that refuses the write is final as well (a study that cannot make its output
 * folder does not start; a running one holds instead, see the workflow).
 */
export async function inputErrorsAreFinal<T>(fn: () => Promise<T>, { storageToo = false } = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError || (storageToo && err instanceof StorageError))
      throw ApplicationFailure.nonRetryable((err as Error).message, 'InputError');
    throw err;
  }
}
