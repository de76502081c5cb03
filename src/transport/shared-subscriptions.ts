import {
  getOperationAST,
  subscribe,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql";
import type { GatewayContext } from "../graphql/context";
import { SHARED_STREAM, type SharedStream } from "../graphql/shared-stream";

type Source = AsyncIterator<ExecutionResult> & { return?: () => Promise<unknown> };

/**
 * graphql-ws's `subscribe`, sharing work between watchers of one stream: for a field that declares
 * a {@link SharedStream}, the first watcher of a (document, operation, variables, principal) starts
 * one graphql-js subscription; each of its events is executed once and the same result goes to
 * every watcher of that key, and a watcher that joins later starts from the latest result. A key names its
 * principal, so nothing is ever shared across principals: the ownership check the first watcher
 * passed holds for all. The shared stream ends when its source ends (each watcher completes) or when
 * its last watcher leaves.
 */
export function createSharedSubscribe(schema: GraphQLSchema) {
  const groups = new Map<string, Group>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  const keyOf = (args: ExecutionArgs): string | null => {
    if (sharing(schema, args) !== "latest") return null;
    const principal = (args.contextValue as GatewayContext | undefined)?.principal?.id;
    if (principal === undefined) return null;
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
    const variables = JSON.stringify(args.variableValues ?? {});
    return JSON.stringify([documentId, args.operationName ?? null, principal, variables]);
  };
  return async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const key = keyOf(args);
    if (key === null) return subscribe(args);
    let group = groups.get(key);
    if (!group) {
      const created = new Group(subscribe(args), () => {
        if (groups.get(key) === created) groups.delete(key);
      });
      groups.set(key, (group = created));
    }
    return group.join();
  };
}

function sharing(schema: GraphQLSchema, args: ExecutionArgs): SharedStream | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  const selections = operation?.selectionSet.selections ?? [];
  if (operation?.operation !== "subscription" || selections.length !== 1) return undefined;
  const root = selections[0];
  if (root.kind !== "Field" || root.directives?.length) return undefined;
  const field = schema.getSubscriptionType()?.getFields()[root.name.value];
  return field?.extensions?.[SHARED_STREAM] as SharedStream | undefined;
}

/** One shared stream and its watchers. */
class Group {
  private readonly members = new Set<Member>();
  private latest: ExecutionResult | null = null;
  private ended = false;
  private source: Source | null = null;

  constructor(
    private readonly started: Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>,
    private readonly forget: () => void,
  ) {
    started.then(
      (outcome) => {
        if (!isAsyncIterator(outcome)) return this.end(); // refused (e.g. NOT_FOUND): said to all
        this.source = outcome;
        if (this.members.size === 0) return void this.stop();
        void this.pump(outcome);
      },
      (error) => this.end(error),
    );
  }

  /** A new watcher: the refusal every watcher gets, or its own view of the shared stream. */
  async join(): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const member = new Member(() => this.leave(member));
    if (this.latest) member.push(this.latest);
    this.members.add(member);
    const outcome = await this.started.catch(() => null);
    if (outcome && !isAsyncIterator(outcome)) {
      this.members.delete(member);
      return outcome;
    }
    return member;
  }

  private async pump(source: Source): Promise<void> {
    try {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        this.latest = next.value;
        for (const member of this.members) member.push(next.value);
      }
      this.end();
    } catch (error) {
      this.end(error);
    }
  }

  private end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.forget();
    for (const member of this.members) member.finish(error);
  }

  private leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0) void this.stop();
  }

  private async stop(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.forget();
    await this.source?.return?.();
  }
}

/** One watcher's view: the shared results in order, then the end (or the stream's error). */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private done = false;
  private error: unknown = undefined;
  private waiter: (() => void) | null = null;

  constructor(private readonly onLeave: () => void) {}

  push(result: ExecutionResult): void {
    if (this.done) return;
    this.queue.push(result);
    this.wake();
  }

  finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    this.wake();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      const result = this.queue.shift();
      if (result) return { value: result, done: false };
      if (this.done) {
        const error = this.error;
        this.error = undefined;
        if (error !== undefined) throw error;
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.done) {
      this.done = true;
      this.queue.length = 0;
      this.wake();
      this.onLeave();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}

function isAsyncIterator(value: unknown): value is AsyncIterableIterator<ExecutionResult> {
  return typeof (value as { next?: unknown })?.next === "function";
}
