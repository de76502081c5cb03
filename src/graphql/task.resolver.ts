import {
  Arg,
  Args,
  Ctx,
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
import { TaskStatus } from "./task.enums";
import { Task } from "./task.type";

@Resolver((_of) => Task)
export class TaskResolver {
  @Query((_returns) => Task, {
    nullable: true,
    description: "Null if unknown or owned by someone else.",
  })
  task(
    @Arg("id", (_type) => ID) id: string,
    @Ctx() { principal, services, loaders }: GatewayContext,
  ): Promise<TaskRecord | null> {
    return services.tasks.findOwned(principal, id, loaders.task);
  }

  @Query((_returns) => TaskConnection, {
    description: "The caller's own tasks, newest first.",
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
      "First event: the current snapshot; then each change; completes after a terminal status.",
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { id: string }, GatewayContext>) =>
      context.services.subscriptions.watch(context.principal, args.id),
  })
  taskUpdated(@Arg("id", (_type) => ID) _id: string, @Root() task: TaskRecord): TaskRecord {
    return task;
  }

  @Subscription((_returns) => Task, {
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { status?: TaskStatus[] | null }, GatewayContext>) =>
      context.services.subscriptions.watchOwner(context.principal, args.status),
  })
  tasksUpdated(
    @Arg("status", (_type) => [TaskStatus], { nullable: true }) _status: TaskStatus[] | null,
    @Root() task: TaskRecord,
  ): TaskRecord {
    return task;
  }

  @FieldResolver((_type) => Int, { nullable: true })
  estimatedSecondsRemaining(@Root() task: TaskRecord): number | null {
    return estimateSecondsRemaining(task, Date.now());
  }
}
