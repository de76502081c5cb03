/** One `extensions.fields` entry of a BAD_USER_INPUT error. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A GraphQL error as the gateway sends it; the page shows `message` as it is worded. */
export interface ApiError {
  message: string;
  extensions?: {
    code?: string;
    fields?: FieldProblem[];
    retryAfterSeconds?: number;
    taskId?: string;
    [key: string]: unknown;
  };
}

/** A request that came back with errors (or never came back). */
export class ApiFailure extends Error {
  override readonly name = "ApiFailure";

  constructor(readonly errors: ApiError[]) {
    super(errors.map((error) => error.message).join("; "));
  }

  has(code: string): boolean {
    return this.errors.some((error) => error.extensions?.code === code);
  }
}

/** Whatever a transport threw, as the errors to show. */
export function apiErrorsOf(error: unknown): ApiError[] {
  if (error instanceof ApiFailure) return error.errors;
  if (Array.isArray(error) && error.every(isApiError)) return error;
  if (isCloseEvent(error)) {
    const reason = error.reason ? ` ${error.reason}` : "";
    return [{ message: `The live connection was closed: ${error.code}${reason}.` }];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ message: `The gateway could not be reached (${message}).` }];
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" && value !== null && typeof Reflect.get(value, "message") === "string"
  );
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "code") === "number" &&
    typeof Reflect.get(value, "reason") === "string"
  );
}

/** The longest `retryAfterSeconds` among the errors, or null when none says when to retry. */
export function retryAfterSeconds(errors: ApiError[]): number | null {
  const waits = errors
    .map((error) => error.extensions?.retryAfterSeconds)
    .filter((seconds): seconds is number => typeof seconds === "number" && seconds > 0);
  return waits.length > 0 ? Math.max(...waits) : null;
}
