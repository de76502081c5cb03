export interface SimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /**
   * When set, requests must carry `Authorization: Bearer <apiKey>`; when unset any non-empty bearer
   * token is accepted.
   */
  apiKey?: string;
  /** Time a task spends in `pending`. @default 2000 */
  queuedMs?: number;
  /** Time a task spends in `processing`, progress rising from 0 to 99. @default 18000 */
  processingMs?: number;
  /** Probability (0..1) that a task ends `failed`, decided at submit. @default 0 */
  failureRate?: number;
  /** `estimated_time` reported, in seconds. @default (queuedMs + processingMs) / 1000, rounded up */
  estimatedSeconds?: number;
}

export type ResolvedSimulatorOptions = Required<Omit<SimulatorOptions, "apiKey">> &
  Pick<SimulatorOptions, "apiKey">;

/** Applies defaults; throws a RangeError naming the first invalid option. */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const { port = 0, host = "127.0.0.1", apiKey, failureRate = 0 } = options;
  const { queuedMs = 2000, processingMs = 18000 } = options;
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
  return { port, host, apiKey, queuedMs, processingMs, failureRate, estimatedSeconds };
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
