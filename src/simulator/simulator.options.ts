export interface SimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** Where to listen (`SIMULATOR_HOST`). */
  host: string;
  /**
   * When set, requests must carry `Authorization: Bearer <apiKey>`; when unset any non-empty bearer
   * token is accepted.
   */
  apiKey?: string;
  /** Time a task spends in `pending` (`SIMULATOR_QUEUED_MS`). */
  queuedMs: number;
  /** Time a task spends in `processing`, progress rising from 0 to 99 (`SIMULATOR_PROCESSING_MS`). */
  processingMs: number;
  /** Probability (0..1) that a task ends `failed`, decided at submit (`SIMULATOR_FAILURE_RATE`). */
  failureRate: number;
  /** `estimated_time` reported, in seconds. @default (queuedMs + processingMs) / 1000, rounded up */
  estimatedSeconds?: number;
  /**
   * Absolute http(s) URL that every link handed out (video and thumbnail) starts with, e.g.
   * `http://192.168.1.20:4010` so a phone on the LAN can open them. A trailing slash is dropped.
   * @default the address the simulator listens on
   */
  publicUrl?: string;
  /**
   * A file that keeps every task and `Idempotency-Key` across restarts (created, with its folder,
   * if missing). One simulator at a time per file. Absent: tasks live in memory and end with the
   * process.
   */
  statePath?: string;
}

export type ResolvedSimulatorOptions = Required<
  Omit<SimulatorOptions, "apiKey" | "publicUrl" | "statePath">
> &
  Pick<SimulatorOptions, "apiKey" | "publicUrl" | "statePath">;

/** Applies defaults; throws a RangeError naming the first invalid option. */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const { port = 0, host, apiKey, failureRate, statePath, queuedMs, processingMs } = options;
  const { estimatedSeconds = Math.ceil((queuedMs + processingMs) / 1000) } = options;
  const check = (valid: boolean, message: string): void => {
    if (!valid) throw new RangeError(`Invalid simulator option: ${message}`);
  };
  check(Number.isInteger(port) && port >= 0 && port <= 65535, "port must be an integer 0..65535");
  check(host !== "", "host must not be empty");
  check(apiKey === undefined || apiKey !== "", "apiKey must not be empty when set");
  check(isNonNegative(queuedMs), "queuedMs must be a finite number >= 0");
  check(isNonNegative(processingMs), "processingMs must be a finite number >= 0");
  check(failureRate >= 0 && failureRate <= 1, "failureRate must be between 0 and 1");
  check(isNonNegative(estimatedSeconds), "estimatedSeconds must be a finite number >= 0");
  check(statePath === undefined || statePath !== "", "statePath must not be empty when set");
  const publicUrl = options.publicUrl === undefined ? undefined : toBaseUrl(options.publicUrl);
  check(publicUrl !== null, `publicUrl ${PUBLIC_URL_RULE}`);
  const base = { port, host, apiKey, queuedMs, processingMs, failureRate, estimatedSeconds };
  return { ...base, publicUrl: publicUrl ?? undefined, statePath };
}

export const PUBLIC_URL_RULE =
  "must be an absolute http(s) URL without credentials, query or fragment";

/**
 * `value` as a base for links (`http://host:port` or `http://host:port/prefix`, no trailing slash),
 * or null when it is not an absolute http(s) URL or carries credentials, a query or a fragment.
 */
export function toBaseUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  const plain = !url.username && !url.password && !url.search && !url.hash;
  if (!["http:", "https:"].includes(url.protocol) || !plain || /[?#]/.test(value)) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
