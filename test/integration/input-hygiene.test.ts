import { GENERATE_FROM_IMAGE, GENERATE_FROM_TEXT } from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";
import {
  NEVER_FRAME_URLS,
  PRIVATE_FRAME_URLS,
  PUBLIC_FRAME_URLS,
  REFUSED_FRAME_URLS,
  UNUSABLE_TEXTS,
  USABLE_TEXTS,
} from "../helpers/hostile-inputs";

const FRAME = "https://cdn.example.com/first.png";

describe("input hygiene before spend", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.stop());

  const submits = () => gateway.simulator!.stats().submits;

  /** Submits, and expects BAD_USER_INPUT naming exactly `path`, with no upstream call made. */
  async function expectRefused(
    kind: "text" | "image",
    input: Record<string, unknown>,
    path: string,
  ) {
    const before = submits();
    const { body } = await gateway.gql(kind === "text" ? GENERATE_FROM_TEXT : GENERATE_FROM_IMAGE, {
      input: kind === "image" ? { firstFrameUrl: FRAME, ...input } : input,
    });
    expect(body.data).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path, message: expect.any(String) }],
    });
    expect(submits()).toBe(before);
  }

  it.each(UNUSABLE_TEXTS)(
    "a prompt of %s is BAD_USER_INPUT on input.prompt and costs no upstream call",
    async (_what, prompt) => {
      await expectRefused("text", { prompt }, "input.prompt");
      await expectRefused("image", { prompt }, "input.prompt");
    },
  );

  it.each(UNUSABLE_TEXTS)(
    "a negative prompt of %s is BAD_USER_INPUT on input.negativePrompt and costs no upstream call",
    async (_what, negativePrompt) => {
      await expectRefused("text", { prompt: "a boat", negativePrompt }, "input.negativePrompt");
    },
  );

  it.each(REFUSED_FRAME_URLS)(
    "a frame URL %s is BAD_USER_INPUT naming the field and costs no upstream call",
    async (url) => {
      await expectRefused("image", { prompt: "a boat", firstFrameUrl: url }, "input.firstFrameUrl");
      await expectRefused("image", { prompt: "a boat", lastFrameUrl: url }, "input.lastFrameUrl");
    },
  );

  it("a frame URL at the gateway's own address is refused", async () => {
    const own = new URL("/graphql", gateway.url).href;
    await expectRefused("image", { prompt: "a boat", firstFrameUrl: own }, "input.firstFrameUrl");
  });

  it("usable prompts and public frame URLs reach the upstream as sent", async () => {
    const before = submits();
    for (const [, prompt] of USABLE_TEXTS) {
      const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt } });
      expect(body.errors).toBeUndefined();
    }
    for (const firstFrameUrl of PUBLIC_FRAME_URLS) {
      const { body } = await gateway.gql(GENERATE_FROM_IMAGE, {
        input: { prompt: "a boat", firstFrameUrl },
      });
      expect(body.errors).toBeUndefined();
    }
    const sent = gateway
      .simulator!.stats()
      .requests.filter((request) => request.route === "submit")
      .slice(before)
      .map((request) => JSON.parse(request.body!));
    expect(sent.slice(0, USABLE_TEXTS.length).map((body) => body.prompt)).toEqual(
      USABLE_TEXTS.map(([, prompt]) => prompt),
    );
    expect(submits() - before).toBe(USABLE_TEXTS.length + PUBLIC_FRAME_URLS.length);
  });
});

describe("ALLOW_PRIVATE_FRAME_URLS=true", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ ALLOW_PRIVATE_FRAME_URLS: "true" });
  });
  afterAll(() => gateway.stop());

  const submit = (firstFrameUrl: string) =>
    gateway.gql(GENERATE_FROM_IMAGE, { input: { prompt: "a boat", firstFrameUrl } });

  it.each(PRIVATE_FRAME_URLS)("accepts the private %s", async (url) => {
    const { body } = await submit(url);
    expect(body.errors).toBeUndefined();
  });

  it.each(NEVER_FRAME_URLS)("still refuses %s, at no upstream cost", async (url) => {
    const before = gateway.simulator!.stats().submits;
    const { body } = await submit(url);
    expect(body.errors![0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      fields: [{ path: "input.firstFrameUrl" }],
    });
    expect(gateway.simulator!.stats().submits).toBe(before);
  });
});
