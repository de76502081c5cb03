/**
 * Counts live subscriptions per connection and per principal. A connection is any object that stays
 * the same for its lifetime. Releasing is idempotent, so a subscription that ends through several
 * paths (complete, unsubscribe, socket close) is counted off once.
 */
export interface SubscriptionCaps {
  /**
   * Counts the subscription in, or returns why it may not start (nothing is counted then). `token`
   * identifies this start of the operation: a client may reuse an id, and the earlier stream's late
   * release must not count off the new one.
   */
  acquire(
    connection: object,
    operationId: string,
    principalId: string,
    token: object,
  ): string | null;
  /** Counts off the operation started with `token` (a no-op for any other start of the same id). */
  release(connection: object, operationId: string, token: object): void;
  /** Releases those of the connection's subscriptions that `isOver` says have ended. */
  releaseEnded(connection: object, isOver: (operationId: string) => boolean): void;
  /** Releases everything the connection holds; later acquisitions on it count nothing. */
  releaseConnection(connection: object): void;
}
