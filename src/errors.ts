// The one error the domain branches on. Everything else a service can foresee is a result (e.g.
// `{ kind: 'stale' }`), and everything it cannot is rethrown for the caller to retry or report.

/** An optimistic-concurrency conflict (ETag mismatch or an entity that already exists). */
export class ConflictError extends Error {
  constructor(message = 'The record was changed by someone else.') {
    super(message);
    this.name = 'ConflictError';
  }
}
