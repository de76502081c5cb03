import type { SubscriptionCaps } from "../ports/subscription-caps";

export interface SubscriptionCapsOptions {
  /** Most concurrent subscriptions on one connection (`MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
  perConnection: number;
  /**
   * Most concurrent subscriptions of one principal over all its connections to this instance
   * (`MAX_SUBSCRIPTIONS_PER_CLIENT`).
   */
  perClient: number;
}

/** Subscription caps counted in this process (per instance in a cluster). */
export class InProcessSubscriptionCaps implements SubscriptionCaps {
  private readonly perConnection: number;
  private readonly perClient: number;
  private readonly held = new WeakMap<
    object,
    Map<string, { principalId: string; token: object }>
  >();
  private readonly closed = new WeakSet<object>();
  private readonly byPrincipal = new Map<string, number>();

  constructor(options: SubscriptionCapsOptions) {
    this.perConnection = options.perConnection;
    this.perClient = options.perClient;
  }

  acquire(
    connection: object,
    operationId: string,
    principalId: string,
    token: object,
  ): string | null {
    if (this.closed.has(connection)) return null; // the transport drops it; nothing to count
    const ops =
      this.held.get(connection) ?? new Map<string, { principalId: string; token: object }>();
    const previous = ops.get(operationId);
    if (previous) this.release(connection, operationId, previous.token);
    if (ops.size >= this.perConnection) {
      return `Too many concurrent subscriptions on this connection: the limit is ${this.perConnection}. Complete one before starting another.`;
    }
    const ofPrincipal = this.byPrincipal.get(principalId) ?? 0;
    if (ofPrincipal >= this.perClient) {
      return `Too many concurrent subscriptions for this client across its connections: the limit is ${this.perClient}. Complete one before starting another.`;
    }
    ops.set(operationId, { principalId, token });
    this.held.set(connection, ops);
    this.byPrincipal.set(principalId, ofPrincipal + 1);
    return null;
  }

  release(connection: object, operationId: string, token: object): void {
    const ops = this.held.get(connection);
    const entry = ops?.get(operationId);
    if (ops === undefined || entry === undefined || entry.token !== token) return;
    ops.delete(operationId);
    const { principalId } = entry;
    const left = (this.byPrincipal.get(principalId) ?? 1) - 1;
    if (left > 0) this.byPrincipal.set(principalId, left);
    else this.byPrincipal.delete(principalId);
  }

  releaseEnded(connection: object, isOver: (operationId: string) => boolean): void {
    for (const [operationId, entry] of [...(this.held.get(connection)?.entries() ?? [])]) {
      if (isOver(operationId)) this.release(connection, operationId, entry.token);
    }
  }

  releaseConnection(connection: object): void {
    this.closed.add(connection);
    this.releaseEnded(connection, () => true);
    this.held.delete(connection);
  }
}
