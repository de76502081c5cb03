import type { Authenticator } from "./auth/authenticator";
import type { Principal } from "./auth/principal";
import type { GenerationService } from "./generation/generation.service";
import type { TaskStore } from "./store/task-store";
import { createTaskLoader, type TaskLoader } from "./tasks/task.loader";
import type { TaskService } from "./tasks/task.service";
import type { TaskSubscriptions } from "./tasks/task.subscriptions";

export interface Services {
  generation: GenerationService;
  tasks: TaskService;
  subscriptions: TaskSubscriptions;
}

/** What every resolver gets, over HTTP and WebSocket alike. */
export interface GatewayContext {
  principal: Principal;
  loaders: { task: TaskLoader };
  services: Services;
}

/**
 * The one context factory for both transports: the caller's `Authorization` value in, a context out.
 * Throws `UNAUTHENTICATED` for a missing or wrong credential.
 */
export function createContextFactory(deps: {
  authenticator: Authenticator;
  store: TaskStore;
  services: Services;
}) {
  return async (authorization: string | undefined | null): Promise<GatewayContext> => ({
    principal: await deps.authenticator.authenticate(authorization),
    loaders: { task: createTaskLoader(deps.store) },
    services: deps.services,
  });
}

export type ContextFactory = ReturnType<typeof createContextFactory>;
