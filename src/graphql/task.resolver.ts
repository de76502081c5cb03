import {
  Arg,
  Args,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Int,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import type { GatewayContext } from "./context";
import { TaskConnection } from "./task-connection.type";
import { TasksArgs } from "./task.args";
import { estimateSecondsRemaining } from "../domain/task-estimate";
import type { TaskRecord } from "../domain/task";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type TaskList } from "../tasks/task.service";
import { SHARED_STREAM, type SharedStream } from "./shared-stream";
import { TaskStatus } from "./task.enums";
import { Task } from "./task.type";

@Resolver((_of) => Task)
export class TaskResolver {
  @Query((_returns) => Task, {
    nullable: true,
    description:
      "One of the caller's tasks; null if unknown or owned by someone else (the two look the same).",
  })
  task(
    @Arg("id", (_type) => ID, { description: "The task's id, as a mutation returned it." })
    id: string,
    @Ctx() { principal, services, loaders }: GatewayContext,
  ): Promise<TaskRecord | null> {
    return services.tasks.findOwned(principal, id, loaders.task);
  }

  @Query((_returns) => TaskConnection, {
    description:
      "The caller's own tasks, newest first, a page at a time (a Relay cursor connection). A list screen that stays live reads this, then subscribes to `tasksUpdated`.",
    // A page costs its selection once per task asked for. A `first` out of 1..MAX_PAGE_SIZE is
    // refused before any read (BAD_USER_INPUT naming it), so it is priced as the nearest valid page.
    complexity: ({ childComplexity, args }) =>
      childComplexity *
      Math.min(MAX_PAGE_SIZE, Math.max(1, Number(args.first ?? DEFAULT_PAGE_SIZE) || 1)),
  })
  tasks(
    @Args((_type) => TasksArgs) args: TasksArgs,
    @Ctx() { principal, services }: GatewayContext,
  ): Promise<TaskList> {
    return services.tasks.list(principal, args);
  }

  @Subscription((_returns) => Task, {
    description:
      "Watches one of the caller's tasks. The first event is its current state (so a client that reconnects is up to date at once), then one event per stored change in increasing `version`; completes after a final status. NOT_FOUND if the task is unknown or someone else's.",
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { id: string }, GatewayContext>) =>
      context.services.subscriptions.watch(context.principal, args.id),
  })
  // Each event is the whole task and the first is its snapshot: watchers of one task share one stream.
  @Extensions({ [SHARED_STREAM]: "latest" satisfies SharedStream })
  taskUpdated(
    @Arg("id", (_type) => ID, { description: "The task to watch." }) _id: string,
    @Root() task: TaskRecord,
  ): TaskRecord {
    return task;
  }

  @Subscription((_returns) => Task, {
    description:
      "Changes to any of the caller's tasks, for list screens. Each event is a task's new state; a task's `version` only grows from event to event and none is sent twice (a client that falls behind gets each task's newest state rather than every step). No current state first: read `tasks`, then subscribe, and replace a row when an event's `version` is newer. A task created after subscribing arrives with its first change (the mutation's answer has its first version). Never completes on its own.",
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { status?: TaskStatus[] | null }, GatewayContext>) =>
      context.services.subscriptions.watchOwner(context.principal, args.status),
  })
  tasksUpdated(
    @Arg("status", (_type) => [TaskStatus], {
      nullable: true,
      description:
        "Only changes that leave a task in one of these statuses, e.g. [SUCCEEDED, FAILED] to hear when tasks finish; null or empty: every change.",
    })
    _status: TaskStatus[] | null,
    @Root() task: TaskRecord,
  ): TaskRecord {
    return task;
  }

  @FieldResolver((_type) => Int, { nullable: true })
  estimatedSecondsRemaining(@Root() task: TaskRecord): number | null {
    return estimateSecondsRemaining(task, Date.now());
  }
}
