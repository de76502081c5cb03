import { h } from "../dom";
import { describeRequest, isActive } from "../format";
import type { TaskFieldsFragment } from "../generated/graphql";

/** The recent-tasks list; each entry opens its task in the player. */
export class RecentTasksView {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly empty: HTMLElement,
    private readonly onSelect: (task: TaskFieldsFragment) => void,
  ) {}

  render(tasks: TaskFieldsFragment[]): void {
    this.empty.hidden = tasks.length > 0;
    const existing = new Map(
      [...this.list.children].map((item) => [(item as HTMLElement).dataset.taskId, item]),
    );
    const items = tasks.map((task) => {
      const item = existing.get(task.id) as HTMLLIElement | undefined;
      if (item && item.dataset.version === String(task.version)) return item;
      const fresh = this.item(task);
      if (item) {
        const hadFocus = item.contains(document.activeElement);
        item.replaceWith(fresh); // in place: a keyboard user's neighbours do not move
        if (hadFocus) fresh.querySelector("button")?.focus();
      }
      return fresh;
    });
    const inOrder =
      items.length === this.list.children.length &&
      items.every((item, index) => this.list.children[index] === item);
    if (!inOrder) this.list.replaceChildren(...items);
  }

  private item(task: TaskFieldsFragment): HTMLLIElement {
    const thumbnail =
      task.status === "SUCCEEDED" && task.video?.thumbnailUrl
        ? h("img", { src: task.video.thumbnailUrl, alt: "", loading: "lazy", class: "thumb" })
        : h("span", { class: "thumb placeholder", "aria-hidden": "true" });
    const button = h(
      "button",
      { type: "button", class: "task-item" },
      thumbnail,
      h(
        "span",
        { class: "task-text" },
        h("span", { class: "task-prompt" }, task.request.prompt),
        h("span", { class: "task-meta" }, describeRequest(task)),
        isActive(task)
          ? h("progress", { max: 100, value: task.progress, "aria-label": "Progress" })
          : null,
        task.error
          ? h("span", { class: "task-error" }, `${task.error.code}: ${task.error.message}`)
          : null,
      ),
      h("span", { class: "badge", "data-status": task.status }, task.status),
    );
    button.addEventListener("click", () => this.onSelect(task));
    return h(
      "li",
      { "data-task-id": task.id, "data-status": task.status, "data-version": task.version },
      button,
    );
  }
}
