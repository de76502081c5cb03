import { GENERATE_FROM_TEXT, TASK, TASKS, type TaskView } from "../helpers/operations";
import {
  startTestGateway,
  tempDatabase,
  TEST_STORE_NAME,
  waitFor,
  type TestGateway,
} from "../helpers/test-gateway";
import { startTestSimulator } from "../helpers/simulator";

const ALICE = "alice-secret-0123456789";
const BOB = "bob-secret-0123456789abc";
const KEYS = { GATEWAY_API_KEYS: `alice:${ALICE},bob:${BOB}` };

type Generated = { generateVideoFromText: TaskView };
type Read = { task: TaskView | null };
type Listed = {
  tasks: {
    edges: Array<{ cursor: string; node: { id: string; status: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe("tasks: submit, track, read, list", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(KEYS);
  });
  afterAll(() => gateway.stop());

  const submit = async (token: string, prompt = "a lighthouse at dusk") => {
    const { body } = await gateway.gql<Generated>(GENERATE_FROM_TEXT, { input: { prompt } }, token);
    expect(body.errors).toBeUndefined();
    return body.data!.generateVideoFromText;
  };
  const read = async (id: string, token: string) =>
    (await gateway.gql<Read>(TASK, { id }, token)).body.data!.task;

  it("a submitted task reaches SUCCEEDED with a video URL, observable with task(id)", async () => {
    const created = await submit(ALICE);
    const done = await waitFor(async () => {
      const task = await read(created.id, ALICE);
      return task?.status === "SUCCEEDED" ? task : null;
    });
    expect(done.progress).toBe(100);
    expect(done.version).toBeGreaterThan(created.version);
    expect(done.video?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp4$/);
    expect(new Date(done.video!.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    expect(done.completedAt).not.toBeNull();
    expect(done.estimatedSecondsRemaining).toBe(0);
    const video = await fetch(done.video!.url);
    expect(video.headers.get("content-type")).toBe("video/mp4");
  });

  it("a job the upstream fails ends FAILED with a message safe to show", async () => {
    const created = await submit(ALICE, "a storm [sim:fail]");
    const failed = await waitFor(async () => {
      const task = await read(created.id, ALICE);
      return task?.status === "FAILED" ? task : null;
    });
    expect(failed.error).toEqual({ code: "GENERATION_FAILED", message: expect.any(String) });
    expect(failed.video).toBeNull();
  });

  it("one principal cannot read or list another's task", async () => {
    const mine = await submit(ALICE);
    expect(await read(mine.id, BOB)).toBeNull();
    expect(await read(mine.id, ALICE)).toMatchObject({ id: mine.id });
    const bobs = await gateway.gql<Listed>(TASKS, { first: 100 }, BOB);
    expect(bobs.body.data!.tasks.edges.map((e) => e.node.id)).not.toContain(mine.id);
  });

  it("an unknown id reads as null", async () => {
    expect(await read("vt_does-not-exist", ALICE)).toBeNull();
  });

  it("lists the caller's tasks newest first, a page at a time, filtered by status", async () => {
    const carol = await startTestGateway({ GATEWAY_API_KEYS: `carol:carol-secret-0123456789` });
    try {
      const token = "carol-secret-0123456789";
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { body } = await carol.gql<Generated>(
          GENERATE_FROM_TEXT,
          { input: { prompt: `p${i}` } },
          token,
        );
        ids.push(body.data!.generateVideoFromText.id);
      }
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { body }: { body: { data?: Listed | null } } = await carol.gql<Listed>(
          TASKS,
          { first: 2, after },
          token,
        );
        const page: Listed["tasks"] = body.data!.tasks;
        seen.push(...page.edges.map((edge) => edge.node.id));
        pages += 1;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      const succeeded = await waitFor(async () => {
        const { body } = await carol.gql<Listed>(TASKS, { status: ["SUCCEEDED"] }, token);
        return body.data!.tasks.edges.length === 5 ? body.data!.tasks.edges : null;
      });
      expect(succeeded.every((edge) => edge.node.status === "SUCCEEDED")).toBe(true);
      const queued = await carol.gql<Listed>(TASKS, { status: ["QUEUED"] }, token);
      expect(queued.body.data!.tasks.edges).toEqual([]);
    } finally {
      await carol.stop();
    }
  });

  it("refuses a bad page size and a forged cursor, naming the argument", async () => {
    const big = await gateway.gql<Listed>(TASKS, { first: 1000 }, ALICE);
    expect(big.body.errors![0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path: "first", message: expect.any(String) }],
    });
    const forged = await gateway.gql<Listed>(TASKS, { after: "bm90LWEtY3Vyc29y" }, ALICE);
    expect(forged.body.errors![0].extensions).toMatchObject({ fields: [{ path: "after" }] });
  });

  it.each([
    ["no credential", undefined],
    ["a wrong key", "wrong-secret-0123456789"],
  ])("%s is UNAUTHENTICATED with HTTP 401", async (_what, token) => {
    const { status, body } = await gateway.gql(TASKS, {}, token);
    expect(status).toBe(401);
    expect(body.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("durability", () => {
  it(`a restart on the same ${TEST_STORE_NAME} keeps every task, and polling resumes to completion`, async () => {
    const database = await tempDatabase();
    // An upstream that outlives both gateway runs, as the real one does.
    const upstream = await startTestSimulator({
      apiKey: "upstream-key",
      queuedMs: 100,
      processingMs: 1500,
    });
    const env = {
      ...KEYS,
      APIMART_API_KEY: "upstream-key",
      APIMART_BASE_URL: upstream.url,
    };
    try {
      const first = await startTestGateway(env, database);
      const ids: string[] = [];
      for (const prompt of ["one", "two", "three"]) {
        const { body } = await first.gql<Generated>(
          GENERATE_FROM_TEXT,
          { input: { prompt } },
          ALICE,
        );
        ids.push(body.data!.generateVideoFromText.id);
      }
      await first.stop();
      const second = await startTestGateway(env, database);
      try {
        expect(await second.scheduler.scheduled()).toBe(3);
        for (const id of ids) {
          const done = await waitFor(async () => {
            const { body } = await second.gql<Read>(TASK, { id }, ALICE);
            return body.data?.task?.status === "SUCCEEDED" ? body.data.task : null;
          });
          expect(done.request.prompt).toMatch(/one|two|three/);
        }
      } finally {
        await second.stop();
      }
    } finally {
      await upstream.close();
      await database.cleanup();
    }
  });
});
