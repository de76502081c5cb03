import { mapProviderStatus } from "../../src/upstream/provider-status";
import { TaskStatus } from "../../src/domain/task";

describe("mapProviderStatus", () => {
  it.each([
    ["submitted", TaskStatus.QUEUED],
    ["pending", TaskStatus.QUEUED],
    ["queued", TaskStatus.QUEUED],
    ["processing", TaskStatus.PROCESSING],
    ["running", TaskStatus.PROCESSING],
    ["in_progress", TaskStatus.PROCESSING],
    ["completed", TaskStatus.SUCCEEDED],
    ["succeeded", TaskStatus.SUCCEEDED],
    ["success", TaskStatus.SUCCEEDED],
    ["failed", TaskStatus.FAILED],
    ["error", TaskStatus.FAILED],
    ["cancelled", TaskStatus.CANCELLED],
    ["canceled", TaskStatus.CANCELLED],
  ])("maps %s to %s", (providerStatus, expected) => {
    expect(mapProviderStatus(providerStatus)).toBe(expected);
  });

  it("ignores case and surrounding spaces", () => {
    expect(mapProviderStatus(" Completed ")).toBe(TaskStatus.SUCCEEDED);
    expect(mapProviderStatus("IN_PROGRESS")).toBe(TaskStatus.PROCESSING);
  });

  it.each(["", "paused", "moderation_review", "toString", "__proto__"])(
    "returns null for the unknown status %p so callers keep the previous status",
    (providerStatus) => {
      expect(mapProviderStatus(providerStatus)).toBeNull();
    },
  );
});
