import { ApplicationFailure } from '@temporalio/common';
import { InputError } from '../errors.js';

/** Configuration errors will not heal by retrying: fail the activity for good, keeping the message. */
export async function inputErrorsAreFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InputError) throw ApplicationFailure.nonRetryable(err.message, 'InputError');
    throw err;
  }
}
