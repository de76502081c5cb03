import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium (`.ci/run` installs it); elsewhere point CHROMIUM_PATH at a Chromium. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where browser tests leave screenshots (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts");
/** Generous: a loaded 2-core machine runs the gateway, the simulator and a browser at once. */
export const STEP_MS = 60_000;

/** Records media events (they do not bubble, so in the capture phase) before any page script runs. */
const RECORD_MEDIA_EVENTS = `
  window.mediaEvents = [];
  for (const type of ["playing", "timeupdate", "ended", "error"]) {
    document.addEventListener(type, (event) => {
      window.mediaEvents.push({ type, currentTime: event.target.currentTime });
    }, true);
  }
`;

/**
 * What in-page functions use. The tests' tsconfig has no DOM types, and the demo page's policy
 * forbids eval, so page-side checks are typed functions (which Playwright runs outside that
 * policy), not strings.
 */
export interface InPage {
  mediaEvents: Array<{ type: string; currentTime: number }>;
  document: { querySelector(selector: string): { value: number } | null };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, and no traffic of its own (this machine has no internet). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install -y chromium (Debian), or set CHROMIUM_PATH`,
    );
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "browser-test-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
      viewport: { width: 1280, height: 900 },
      timeout: STEP_MS,
    });
    context.setDefaultTimeout(STEP_MS);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return {
      context,
      close: async () => {
        await context.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation is reported as a console error). */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** A new tab at `url`, recording what it requests, logs as errors, and its media events. */
export async function openPage(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const watched: WatchedPage = { page, problems: [], requests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") watched.problems.push(message.text());
  });
  page.on("pageerror", (error) => watched.problems.push(error.message));
  page.on("request", (request) => watched.requests.push(request.url()));
  await page.addInitScript({ content: RECORD_MEDIA_EVENTS });
  await page.goto(url);
  return watched;
}
