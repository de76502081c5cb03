import { apiErrorsOf, type ApiError } from "../api/api-error";
import type { HttpClient } from "../api/graphql.http";
import type { LiveConnection } from "../api/graphql.ws";
import { showErrors } from "../errors.view";
import { TasksDocument, TasksUpdatedDocument, type TaskFieldsFragment } from "../generated/graphql";
import type { RecentTasksView } from "./recent-tasks.view";
import { TaskList } from "./task-list";

const RECENT = 10;

/**
 * The caller's recent tasks: a `tasks(first: 10)` page kept live by `tasksUpdated`. It listens
 * before it reads, so a change made while the page loads is not lost; `tasksUpdated` sends no
 * snapshot, so after a dropped connection the page is read again.
 */
export class RecentTasks {
  private readonly tasks = new TaskList<TaskFieldsFragment>(RECENT);
  private stop: (() => void) | null = null;

  constructor(
    private readonly request: HttpClient,
    private readonly live: LiveConnection,
    private readonly view: RecentTasksView,
    private readonly alert: HTMLElement,
  ) {}

  async start(): Promise<void> {
    this.stop?.();
    this.stop = this.live.subscribe(
      TasksUpdatedDocument,
      { status: null },
      {
        next: ({ tasksUpdated }) => this.upsert(tasksUpdated),
        error: (errors) => this.problem(errors),
      },
    );
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const { tasks } = await this.request(TasksDocument, {
        first: RECENT,
        after: null,
        status: null,
      });
      this.tasks.reset(tasks.edges.map((edge) => edge.node));
      showErrors(this.alert, []);
      this.render();
    } catch (error) {
      this.problem(apiErrorsOf(error));
    }
  }

  upsert(task: TaskFieldsFragment): void {
    if (this.tasks.upsert(task)) this.render();
  }

  private render(): void {
    this.view.render(this.tasks.items());
  }

  private problem(errors: ApiError[]): void {
    showErrors(this.alert, errors);
  }
}
