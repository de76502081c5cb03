import { byId, h, showText } from "../dom";
import { describeRequest, formatEta, isActive } from "../format";
import type { TaskFieldsFragment } from "../generated/graphql";

/**
 * The task being watched: its status, a progress bar, a countdown from the gateway's estimate,
 * and, once it succeeded, the video (muted, so browsers let it start by itself) with its thumbnail
 * as the poster; a failed task's `error.code` and message as the gateway words them.
 */
export class CurrentTaskView {
  private readonly body = byId("current-body", HTMLElement);
  private readonly status = byId("current-status", HTMLElement);
  private readonly eta = byId("current-eta", HTMLElement);
  private readonly progress = byId("current-progress", HTMLProgressElement);
  private readonly prompt = byId("current-prompt", HTMLElement);
  private readonly error = byId("current-error", HTMLElement);
  private readonly player = byId("current-player", HTMLElement);
  private etaDeadline: number | null = null;
  private ticker: number | undefined;

  show(task: TaskFieldsFragment): void {
    byId("current-empty", HTMLElement).hidden = true;
    this.body.hidden = false;
    this.body.dataset.taskId = task.id;
    this.body.dataset.status = task.status;
    this.status.textContent = task.status;
    this.status.dataset.status = task.status;
    this.progress.value = task.status === "SUCCEEDED" ? 100 : task.progress;
    this.progress.hidden = !isActive(task) && task.status !== "SUCCEEDED";
    this.prompt.textContent = `“${task.request.prompt}” · ${describeRequest(task)}`;
    showText(this.error, task.error ? `${task.error.code}: ${task.error.message}` : null);
    this.countDown(isActive(task) ? task.estimatedSecondsRemaining : null);
    this.showVideo(task.status === "SUCCEEDED" ? task.video : null);
  }

  /** A problem with watching itself (not the task's own failure). */
  showProblem(message: string): void {
    showText(this.error, message);
  }

  private showVideo(video: TaskFieldsFragment["video"]): void {
    if (!video) {
      this.player.replaceChildren();
      this.player.hidden = true;
      return;
    }
    // The same video again (a later event) must not restart playback.
    if (this.player.dataset.url === video.url) return;
    this.player.dataset.url = video.url;
    const player = h("video", {
      src: video.url,
      poster: video.thumbnailUrl,
      controls: true,
      autoplay: true,
      playsinline: true,
      preload: "auto",
      "aria-label": "The generated video",
    });
    // The attribute only mutes an element parsed with it; autoplay is allowed only when muted.
    player.muted = true;
    this.player.replaceChildren(
      player,
      h(
        "p",
        { class: "muted" },
        h("a", { href: video.url, target: "_blank", rel: "noopener" }, "Open the video file"),
        video.expiresAt
          ? ` · the link expires ${new Date(video.expiresAt).toLocaleString()}`
          : null,
      ),
    );
    this.player.hidden = false;
  }

  /** The estimate is as of the event; between events it counts down here, once a second. */
  private countDown(seconds: number | null): void {
    window.clearInterval(this.ticker);
    this.etaDeadline = seconds === null ? null : Date.now() + seconds * 1000;
    const render = () => {
      const left = this.etaDeadline === null ? null : (this.etaDeadline - Date.now()) / 1000;
      this.eta.textContent = left === null ? "" : formatEta(left);
    };
    render();
    if (this.etaDeadline !== null) this.ticker = window.setInterval(render, 1000);
  }
}
