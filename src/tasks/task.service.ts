import type { Principal } from "../domain/principal";
import type { TaskRecord, TaskStatus } from "../domain/task";
import { BadUserInputError } from "../errors/gateway-errors";
import type { TaskStore } from "../ports/task-store";
import { decodeCursor, encodeCursor } from "./task.cursor";

/** Loads tasks by id, batching and caching within one request (a DataLoader). */
export interface TaskLoader {
  load(id: string): Promise<TaskRecord | null>;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface TaskListArgs {
  first?: number | null;
  after?: string | null;
  status?: TaskStatus[] | null;
}

export interface TaskList {
  edges: Array<{ cursor: string; node: TaskRecord }>;
  pageInfo: {
    hasNextPage: boolean;
    /** Whether tasks come before this page: only ever true for a page read with `after`. */
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Reads tasks on behalf of a principal: nobody sees a task they do not own. */
export class TaskService {
  constructor(private readonly store: TaskStore) {}

  /** The task, or null when it does not exist or belongs to someone else (indistinguishable). */
  async findOwned(
    principal: Principal,
    id: string,
    loader?: TaskLoader,
  ): Promise<TaskRecord | null> {
    const task = loader ? await loader.load(id) : await this.store.get(id);
    return task && task.ownerId === principal.id ? task : null;
  }

  async list(principal: Principal, args: TaskListArgs): Promise<TaskList> {
    const problems = [];
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      problems.push({ path: "first", message: `must be between 1 and ${MAX_PAGE_SIZE}` });
    }
    const after = args.after == null ? undefined : decodeCursor(args.after);
    if (after === null) {
      problems.push({ path: "after", message: "is not a cursor returned by this API" });
    }
    if (problems.length > 0) throw new BadUserInputError(problems);
    const statuses = args.status ?? undefined;
    // Pages go forward only. Past the first page, something precedes it unless the newest matching
    // task is on it: one more read, of one row, instead of ordering positions outside the store.
    const [page, newest] = await Promise.all([
      this.store.listByOwner(principal.id, { first, after: after ?? undefined, statuses }),
      after ? this.store.listByOwner(principal.id, { first: 1, statuses }) : null,
    ]);
    const edges = page.tasks.map((node) => ({ cursor: encodeCursor(node), node }));
    const newestId = newest?.tasks[0]?.id;
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: newestId !== undefined && newestId !== page.tasks[0]?.id,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
