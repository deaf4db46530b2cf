/** A mistake in how the command was called or in the files it was given: exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
