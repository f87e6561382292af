// Domain errors: a code a program can branch on and a message key a user may read.

export type ErrorCode =
  'not_found' | 'conflict' | 'forbidden' | 'invalid_input' | 'closed' | 'storage_unavailable';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** An optimistic-concurrency conflict (ETag mismatch or an entity that already exists). */
export class ConflictError extends DomainError {
  constructor(message = 'The record was changed by someone else.') {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}
