import type { Authenticator } from "../auth/authenticator";
import type { Principal } from "../domain/principal";
import type { GenerationService } from "../generation/generation.service";
import type { TaskStore } from "../ports/task-store";
import type { TaskLoader, TaskService } from "../tasks/task.service";
import type { TaskSubscriptions } from "../tasks/task.subscriptions";
import { createTaskLoader } from "./task.loader";

export interface Services {
  generation: GenerationService;
  tasks: TaskService;
  subscriptions: TaskSubscriptions;
}

/** What every resolver gets, over every transport. */
export interface GatewayContext {
  principal: Principal;
  loaders: { task: TaskLoader };
  services: Services;
}

/**
 * The one context factory for every transport: the caller's `Authorization` value in, a context out.
 * Throws `UNAUTHENTICATED` for a missing or wrong credential.
 */
export function createContextFactory(deps: {
  authenticator: Pick<Authenticator, "authenticate">;
  store: Pick<TaskStore, "getMany">;
  services: Services;
}) {
  return async (authorization: string | undefined | null): Promise<GatewayContext> => {
    const principal = await deps.authenticator.authenticate(authorization);
    // Made on first use: most operations (every subscription) never load a task by id.
    let task: TaskLoader | undefined;
    const loaders = {
      get task() {
        return (task ??= createTaskLoader(deps.store));
      },
    };
    return { principal, loaders, services: deps.services };
  };
}

export type ContextFactory = ReturnType<typeof createContextFactory>;
