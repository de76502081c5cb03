import { TaskList } from "../../src/web/task/task-list";

const task = (id: string, version: number, createdAt: string, status = "QUEUED") => ({
  id,
  version,
  createdAt,
  status,
});

describe("the demo page's recent-task list", () => {
  it("keeps the newest tasks first, at most its limit", () => {
    const list = new TaskList<ReturnType<typeof task>>(2);
    list.reset([task("a", 1, "2026-01-01T00:00:01Z"), task("b", 1, "2026-01-01T00:00:02Z")]);
    list.upsert(task("c", 1, "2026-01-01T00:00:03Z"));
    expect(list.items().map((item) => item.id)).toEqual(["c", "b"]);
  });

  it("drops an event whose version it already has or has passed", () => {
    const list = new TaskList<ReturnType<typeof task>>(10);
    expect(list.upsert(task("a", 3, "2026-01-01T00:00:01Z", "PROCESSING"))).toBe(true);
    expect(list.upsert(task("a", 3, "2026-01-01T00:00:01Z", "PROCESSING"))).toBe(false);
    expect(list.upsert(task("a", 2, "2026-01-01T00:00:01Z", "QUEUED"))).toBe(false);
    expect(list.get("a")?.status).toBe("PROCESSING");
  });

  it("keeps an event newer than a page read before it arrived", () => {
    const list = new TaskList<ReturnType<typeof task>>(10);
    list.upsert(task("a", 5, "2026-01-01T00:00:01Z", "SUCCEEDED"));
    list.reset([task("a", 4, "2026-01-01T00:00:01Z", "PROCESSING")]);
    expect(list.get("a")?.status).toBe("SUCCEEDED");
  });
});
