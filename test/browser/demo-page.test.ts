import path from "node:path";
import {
  ARTIFACTS,
  launchBrowser,
  openPage,
  type Browser,
  type InPage,
  type WatchedPage,
} from "../helpers/browser";
import { GENERATE_FROM_TEXT } from "../helpers/operations";
import { startTestGateway, type TestGateway } from "../helpers/test-gateway";

jest.setTimeout(240_000);

interface VideoState {
  readyState: number;
  currentTime: number;
  ended: boolean;
  error: unknown;
  poster: string;
  src: string;
}

describe("the demo page at /", () => {
  let gateway: TestGateway;
  let browser: Browser;
  let pageUrl: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    pageUrl = gateway.url.replace(/graphql$/, "");
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  afterEach(() => gateway.simulator?.release()); // a failed test must not leave jobs held

  /** The page, once its form is built from videoModels and its WebSocket is up (unless not `ready`). */
  async function open(url = pageUrl, { ready = true } = {}): Promise<WatchedPage> {
    const watched = await openPage(browser.context, url);
    if (ready) {
      await watched.page.locator("#submit:enabled").waitFor();
      await watched.page.locator('#live-state[data-state="live"]').waitFor();
    }
    return watched;
  }

  it("plays the video for a typed prompt, one task however often the button is clicked", async () => {
    const { page, problems, requests } = await open();
    const simulator = gateway.simulator!;
    const submitsBefore = simulator.stats().submits;
    simulator.hold(); // the task stays PROCESSING until released, so its live status can be seen

    await page
      .getByLabel("Prompt", { exact: true })
      .fill("a paper boat drifting down a rainy street at dusk");
    await page.getByLabel("10 s", { exact: true }).check();
    await page.getByRole("button", { name: "Generate video" }).dblclick();

    const current = page.locator("#current-body");
    await current.and(page.locator('[data-status="PROCESSING"]')).waitFor();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as InPage).document.querySelector("#current-progress")!.value > 0,
    );
    await page.locator("#current-eta", { hasText: /left|finishing/ }).waitFor();
    expect(simulator.stats().submits - submitsBefore).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page-processing.png") });

    simulator.release();
    await current.and(page.locator('[data-status="SUCCEEDED"]')).waitFor();
    const video = page.locator("#current-player video");
    await page.waitForFunction(() =>
      (globalThis as unknown as InPage).mediaEvents.some(
        (event) =>
          event.type === "ended" ||
          ((event.type === "playing" || event.type === "timeupdate") && event.currentTime > 0),
      ),
    );
    const state = await video.evaluate((element: VideoState) => ({
      readyState: element.readyState,
      currentTime: element.currentTime,
      ended: element.ended,
      error: element.error,
      poster: element.poster,
      src: element.src,
    }));
    expect(state.readyState).toBeGreaterThanOrEqual(2);
    expect(state.error).toBeNull();
    expect(state.currentTime > 0 || state.ended).toBe(true);
    expect(state.src).toMatch(/\.mp4$/);
    expect(state.poster).toMatch(/\.jpg$/);

    const { body } = await gateway.gql<{ tasks: { edges: Array<{ node: { id: string } }> } }>(
      "{ tasks(first: 10) { edges { node { id } } } }",
    );
    const [task] = body.data!.tasks.edges.map((edge) => edge.node);
    expect(body.data!.tasks.edges).toHaveLength(1);
    expect(simulator.stats().submits - submitsBefore).toBe(1);
    await page
      .locator(`#recent-tasks li[data-task-id="${task.id}"][data-status="SUCCEEDED"]`)
      .waitFor();

    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page.png"), fullPage: true });
    const gatewayOrigin = new URL(pageUrl).origin;
    const simulatorOrigin = new URL(state.src).origin;
    const elsewhere = requests.filter(
      (url) =>
        !url.startsWith("data:") && ![gatewayOrigin, simulatorOrigin].includes(new URL(url).origin),
    );
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a task made elsewhere in the recent list and follows it to SUCCEEDED through tasksUpdated", async () => {
    const { page, problems } = await open();
    const { body } = await gateway.gql<{ generateVideoFromText: { id: string } }>(
      GENERATE_FROM_TEXT,
      { input: { prompt: "made by another client" } },
    );
    const id = body.data!.generateVideoFromText.id;
    // The page read its list before this task existed and reads it again only after a reconnect.
    await page.locator(`#recent-tasks li[data-task-id="${id}"][data-status="SUCCEEDED"]`).waitFor();
    await expect(
      page.locator(`#recent-tasks li[data-task-id="${id}"]`).textContent(),
    ).resolves.toContain("made by another client");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("offers only the durations videoModels lists for the mode and the kind of request", async () => {
    const { page } = await open();
    const { body } = await gateway.gql<{
      videoModels: Array<{
        modes: Array<{
          mode: string;
          textToVideoDurations: number[];
          imageToVideoDurations: number[];
        }>;
      }>;
    }>("{ videoModels { modes { mode textToVideoDurations imageToVideoDurations } } }");
    const offered = () =>
      page
        .locator('input[name="durationSeconds"]')
        .evaluateAll((inputs: Array<{ value: string }>) =>
          inputs.map((input) => Number(input.value)),
        );
    const firstFrame = page.getByLabel("First frame URL");
    await page.getByText("Start from an image").click();
    for (const mode of body.data!.videoModels[0].modes) {
      await firstFrame.fill("");
      await page.locator(`input[name="mode"][value="${mode.mode}"]`).check();
      await expect(offered()).resolves.toEqual(mode.textToVideoDurations);
      await firstFrame.fill("https://example.com/first.jpg");
      await expect(offered()).resolves.toEqual(mode.imageToVideoDurations);
    }
    await page.close();
  });

  it("shows a refused input's message from the API next to its field, with no upstream submit", async () => {
    const { page, problems } = await open();
    const submitsBefore = gateway.simulator!.stats().submits;
    const blank = "   ";
    const { body } = await gateway.gql(GENERATE_FROM_TEXT, { input: { prompt: blank } });
    const [refusal] = body.errors!;
    const fields = refusal.extensions!.fields as Array<{ path: string; message: string }>;
    expect(fields.map((field) => field.path)).toEqual(["input.prompt"]);

    await page.getByLabel("Prompt", { exact: true }).fill(blank);
    await page.getByRole("button", { name: "Generate video" }).click();
    const fieldError = page.locator("#prompt-error");
    await fieldError.waitFor();
    await expect(fieldError.textContent()).resolves.toBe(fields[0].message);
    await expect(page.locator("#form-error").textContent()).resolves.toContain(refusal.message);
    await expect(
      page.getByLabel("Prompt", { exact: true }).getAttribute("aria-invalid"),
    ).resolves.toBe("true");
    expect(gateway.simulator!.stats().submits).toBe(submitsBefore);
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page-refused.png") });
    // Console errors here would be the browser's, not the page's: the refusal is an answer, not a fault.
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a failed task's error code and message as the gateway gives them", async () => {
    const { page, problems } = await open();
    await page.getByLabel("Prompt", { exact: true }).fill("a storm at sea [sim:fail]");
    await page.getByRole("button", { name: "Generate video" }).click();
    const current = page.locator("#current-body");
    await current.and(page.locator('[data-status="FAILED"]')).waitFor();
    const id = await current.getAttribute("data-task-id");
    const { body } = await gateway.gql<{ task: { error: { code: string; message: string } } }>(
      "query($id: ID!) { task(id: $id) { error { code message } } }",
      { id },
    );
    const { code, message } = body.data!.task.error;
    await expect(page.locator("#current-error").textContent()).resolves.toBe(`${code}: ${message}`);
    await expect(page.locator("#current-player").isHidden()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("asks a gateway that requires a credential for one, then sends it over HTTP and WebSocket", async () => {
    const secret = "demo-page-secret-0123456789";
    const secured = await startTestGateway({ GATEWAY_API_KEYS: `web:${secret}` });
    try {
      const { page } = await open(secured.url.replace(/graphql$/, ""), { ready: false });
      const { body } = await secured.gql("{ videoModels { name } }");
      await page.locator("#form-error", { hasText: body.errors![0].message }).waitFor();
      await page.locator('#live-state[data-state="refused"]').waitFor();

      await page.getByLabel("Client key or JWT").fill(secret);
      await page.getByRole("button", { name: "Use credential" }).click();
      await page.locator("#submit:enabled").waitFor();
      await page.locator('#live-state[data-state="live"]').waitFor();
      await page.getByLabel("Prompt", { exact: true }).fill("a lighthouse in fog");
      await page.getByRole("button", { name: "Generate video" }).click();
      await page.locator('#current-body[data-status="SUCCEEDED"]').waitFor();
      await page.locator('#recent-tasks li[data-status="SUCCEEDED"]').waitFor();
      await expect(
        page.evaluate("sessionStorage.getItem('video-gateway.credential')"),
      ).resolves.toBe(secret);
      await page.close();
    } finally {
      await secured.stop();
    }
  });

  it("shows RATE_LIMITED as the gateway words it and counts down its retryAfterSeconds", async () => {
    const limited = await startTestGateway({ RATE_LIMIT_SUBMITS_PER_MINUTE: "1" });
    try {
      const { page, problems } = await open(limited.url.replace(/graphql$/, ""));
      const prompt = page.getByLabel("Prompt", { exact: true });
      const button = page.locator("#submit");
      await prompt.fill("the first video of the minute");
      await button.click();
      await page.locator("#current-body[data-task-id]").waitFor();
      await prompt.fill("one too many");
      await button.click();

      const alert = page.locator("#form-error");
      await alert.locator("code", { hasText: "RATE_LIMITED" }).waitFor();
      const { body } = await limited.gql(GENERATE_FROM_TEXT, { input: { prompt: "one too many" } });
      const refusal = body.errors![0];
      expect(refusal.extensions!.code).toBe("RATE_LIMITED");
      // The wait in the message may have ticked down by a second between the two refusals.
      const worded = (message: string) => message.replace(/\d+ s\b/g, "N s");
      expect(worded((await alert.locator("p").textContent())!)).toBe(
        worded(`${refusal.message}RATE_LIMITED`),
      );
      await expect(button.isDisabled()).resolves.toBe(true);
      await expect(button.textContent()).resolves.toMatch(/^Try again in \d+ s$/);
      expect(limited.simulator!.stats().submits).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await limited.stop();
    }
  });

  it("fits a phone's width without sideways scrolling", async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page-phone.png"), fullPage: true });
    await page.close();
  });
});
