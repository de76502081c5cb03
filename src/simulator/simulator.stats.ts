export type SimulatorRoute = "submit" | "status" | "other";

export interface SimulatorRequestRecord {
  /** `Date.now()` when the request arrived. */
  at: number;
  route: SimulatorRoute;
  /** For status polls, the id asked for; for submits, the id created (if one was). */
  taskId?: string;
  /** True when a fault (including "slow") applied to the request. */
  faulted: boolean;
  /** For submits, the raw request body as received. */
  body?: string;
}

/** What reached the simulator, so tests can assert exactly what reached "the upstream". */
export interface SimulatorStats {
  /** Every `POST /v1/videos/generations` received, including faulted and refused ones. */
  submits: number;
  /** Submits that created a task (including those then dropped or hung by an `afterAccept` fault). */
  acceptedSubmits: number;
  /** Every `GET /v1/tasks/{id}` received. */
  statusPolls: number;
  pollsByTask: Record<string, number>;
  /** Ids of the tasks created, in creation order. */
  acceptedTaskIds: string[];
  /** Every request, in arrival order. */
  requests: SimulatorRequestRecord[];
}

export class StatsRecorder {
  private readonly requests: SimulatorRequestRecord[] = [];
  private readonly acceptedTaskIds: string[] = [];

  /** Records an arriving request; the returned record may still be updated while it is handled. */
  arrived(route: SimulatorRoute, taskId?: string): SimulatorRequestRecord {
    const record: SimulatorRequestRecord = { at: Date.now(), route, faulted: false };
    if (taskId !== undefined) record.taskId = taskId;
    this.requests.push(record);
    return record;
  }

  accepted(record: SimulatorRequestRecord, taskId: string): void {
    record.taskId = taskId;
    this.acceptedTaskIds.push(taskId);
  }

  snapshot(): SimulatorStats {
    const polls = new Map<string, number>();
    let submits = 0;
    let statusPolls = 0;
    for (const { route, taskId } of this.requests) {
      if (route === "submit") submits += 1;
      if (route === "status") {
        statusPolls += 1;
        if (taskId !== undefined) polls.set(taskId, (polls.get(taskId) ?? 0) + 1);
      }
    }
    return {
      submits,
      acceptedSubmits: this.acceptedTaskIds.length,
      statusPolls,
      // fromEntries, not assignment, so an id like "__proto__" stays a plain key
      pollsByTask: Object.fromEntries(polls),
      acceptedTaskIds: [...this.acceptedTaskIds],
      requests: this.requests.map((record) => ({ ...record })),
    };
  }
}
