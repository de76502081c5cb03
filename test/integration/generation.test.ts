import { GENERATE_FROM_IMAGE, GENERATE_FROM_TEXT, type TaskView } from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

type Generated = { generateVideoFromText?: TaskView; generateVideoFromImage?: TaskView };

const FIRST = "https://images.example.com/first.png";
const LAST = "https://images.example.com/last.png";

const SUPPORTED = [
  { kind: "text", mode: "STD", durationSeconds: 5 },
  { kind: "text", mode: "STD", durationSeconds: 10 },
  { kind: "text", mode: "STD", durationSeconds: 15 },
  { kind: "text", mode: "PRO", durationSeconds: 5 },
  { kind: "text", mode: "PRO", durationSeconds: 10 },
  { kind: "image", mode: "STD", durationSeconds: 5 },
  { kind: "image", mode: "STD", durationSeconds: 10 },
  { kind: "image", mode: "PRO", durationSeconds: 5 },
  { kind: "image", mode: "PRO", durationSeconds: 10 },
] as const;

const UNSUPPORTED = [
  { kind: "text", mode: "PRO", durationSeconds: 15, says: "only available in STD mode" },
  { kind: "image", mode: "STD", durationSeconds: 15, says: "only available for text-to-video" },
  { kind: "image", mode: "PRO", durationSeconds: 15, says: "only available for text-to-video" },
  { kind: "text", mode: "STD", durationSeconds: 7, says: "not offered" },
  { kind: "text", mode: "STD", durationSeconds: 0, says: "not offered" },
  { kind: "image", mode: "PRO", durationSeconds: -5, says: "not offered" },
] as const;

describe("generating videos through GraphQL", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.stop());

  const submit = (kind: "text" | "image", input: Record<string, unknown>) =>
    gateway.gql<Generated>(kind === "text" ? GENERATE_FROM_TEXT : GENERATE_FROM_IMAGE, {
      input: kind === "text" ? input : { firstFrameUrl: FIRST, ...input },
    });

  const lastSubmitBody = () => {
    const submits = gateway.simulator!.stats().requests.filter((r) => r.route === "submit");
    return JSON.parse(submits.at(-1)!.body!);
  };

  it.each(SUPPORTED)(
    "accepts $kind-to-video in $mode mode for $durationSeconds s and sends the exact upstream body",
    async ({ kind, mode, durationSeconds }) => {
      const { status, body } = await submit(kind, {
        prompt: "a fox in snow",
        mode,
        durationSeconds,
      });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const task = body.data?.generateVideoFromText ?? body.data?.generateVideoFromImage;
      expect(task).toMatchObject({ status: "QUEUED", version: 1, progress: 0 });
      expect(task?.request).toMatchObject({ mode, durationSeconds });
      expect(lastSubmitBody()).toEqual({
        model: "kling-v3",
        prompt: "a fox in snow",
        mode: mode.toLowerCase(),
        duration: durationSeconds,
        ...(kind === "text" ? { aspect_ratio: "16:9" } : { image_urls: [FIRST] }),
      });
    },
  );

  it("sends first and last frame as image_urls [first, last] with every optional field", async () => {
    const input = {
      prompt: "the sun sets",
      negativePrompt: "blurry",
      mode: "PRO",
      durationSeconds: 10,
      firstFrameUrl: FIRST,
      lastFrameUrl: LAST,
      aspectRatio: "SQUARE_1_1",
      watermark: false,
    };
    const { body } = await gateway.gql<Generated>(GENERATE_FROM_IMAGE, { input });
    expect(body.data?.generateVideoFromImage?.request).toEqual({
      kind: "IMAGE_TO_VIDEO",
      model: "KLING_V3",
      ...input,
    });
    expect(lastSubmitBody()).toEqual({
      model: "kling-v3",
      prompt: "the sun sets",
      negative_prompt: "blurry",
      mode: "pro",
      duration: 10,
      aspect_ratio: "1:1",
      image_urls: [FIRST, LAST],
      watermark: false,
    });
  });

  describe("refuses what the model does not offer, before any upstream call", () => {
    let submitsBefore: number;
    beforeEach(() => {
      submitsBefore = gateway.simulator!.stats().submits;
    });
    afterEach(() => {
      expect(gateway.simulator!.stats().submits).toBe(submitsBefore);
    });

    it.each(UNSUPPORTED)(
      "$kind-to-video in $mode mode for $durationSeconds s is BAD_USER_INPUT naming durationSeconds",
      async ({ kind, mode, durationSeconds, says }) => {
        const { body } = await submit(kind, { prompt: "a fox", mode, durationSeconds });
        expect(body.data).toBeNull();
        expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
        const fields = body.errors?.[0].extensions?.fields as Array<{
          path: string;
          message: string;
        }>;
        expect(fields).toHaveLength(1);
        expect(fields[0].path).toBe("input.durationSeconds");
        expect(fields[0].message).toContain(says);
      },
    );

    it.each([
      ["a blank prompt", { prompt: "   " }, "input.prompt", "must not be blank"],
      [
        "a prompt over 2500 characters",
        { prompt: "x".repeat(2501) },
        "input.prompt",
        "at most 2500",
      ],
      [
        "a negative prompt over 2500 characters",
        { prompt: "ok", negativePrompt: "n".repeat(2501) },
        "input.negativePrompt",
        "at most 2500",
      ],
    ])(
      "%s is BAD_USER_INPUT naming the field, without echoing it",
      async (_what, input, path, says) => {
        const { body } = await submit("text", input);
        const error = body.errors![0];
        expect(error.extensions?.code).toBe("BAD_USER_INPUT");
        expect(error.extensions?.fields).toEqual([
          { path, message: expect.stringContaining(says) },
        ]);
        expect(JSON.stringify(body)).not.toContain("x".repeat(100));
        expect(JSON.stringify(body)).not.toContain("n".repeat(100));
      },
    );

    it.each(["/relative.png", "ftp://host/a.png", "javascript:alert(1)", "not a url", "https://"])(
      "a first frame URL of %j is BAD_USER_INPUT naming input.firstFrameUrl",
      async (url) => {
        const { body } = await submit("image", { prompt: "ok", firstFrameUrl: url });
        expect(body.errors?.[0].extensions?.fields).toEqual([
          { path: "input.firstFrameUrl", message: expect.stringContaining("absolute http") },
        ]);
      },
    );

    it("names every bad field at once", async () => {
      const { body } = await submit("image", {
        prompt: "",
        mode: "PRO",
        durationSeconds: 15,
        lastFrameUrl: "file:///etc/passwd",
      });
      const paths = (body.errors?.[0].extensions?.fields as Array<{ path: string }>).map(
        (f) => f.path,
      );
      expect(paths.sort()).toEqual(["input.durationSeconds", "input.lastFrameUrl", "input.prompt"]);
    });

    it("an unknown enum value is refused by GraphQL itself", async () => {
      const { status, body } = await submit("text", { prompt: "ok", mode: "ULTRA" });
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    });
  });
});

describe("GraphQL's own input errors", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.stop());

  it.each([
    [
      "an unknown field",
      { prompt: "my whole private prompt; with a semicolon", bogus: 1 },
      "input",
    ],
    [
      "a wrong type",
      { prompt: "my whole private prompt", durationSeconds: "ten" },
      "input.durationSeconds",
    ],
    ["an unknown enum value", { prompt: "my whole private prompt", mode: "ULTRA" }, "input.mode"],
  ])("%s names the field and never echoes the rest of the input", async (_what, input, path) => {
    const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input });
    const error = body.errors![0];
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path, message: expect.any(String) }],
    });
    expect(JSON.stringify(body)).not.toContain("private prompt");
  });
});
