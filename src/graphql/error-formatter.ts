import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode, RequestErrorCode } from "../domain/error-codes";
import { GatewayError } from "../errors/gateway-errors";
import type { Logger } from "../observability/logger";

/** Codes graphql-js and Apollo give malformed requests; they say nothing secret. */
const REQUEST_CODES: ReadonlySet<string> = new Set(Object.values(RequestErrorCode));

const MASKED_MESSAGE = "Internal server error";

export interface ErrorFormatterOptions {
  /** Drop graphql-js "Did you mean …?" hints, which reveal schema names (production). */
  hideSuggestions: boolean;
}

/**
 * The one formatter for both transports: our own errors and graphql-js protocol errors pass through;
 * anything else is logged in full and masked for the client.
 */
export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions) {
  const shown = (formatted: GraphQLFormattedError): GraphQLFormattedError =>
    options.hideSuggestions
      ? { ...formatted, message: formatted.message.replace(SUGGESTION, "").trim() }
      : formatted;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    // Over WebSocket nothing labels graphql-js's variable errors as Apollo does over HTTP.
    const unlabelledVariableError =
      formatted.extensions?.code === undefined && /^Variable "\$/.test(formatted.message);
    if (unlabelledVariableError) {
      formatted = {
        ...formatted,
        extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT },
      };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GatewayError) {
      return shown({ ...formatted, extensions: withoutStacktrace(formatted.extensions) });
    }
    // graphql-js and Apollo report malformed operations as GraphQLErrors; a crash is any other Error.
    if (
      original instanceof GraphQLError &&
      typeof code === "string" &&
      (REQUEST_CODES.has(code) || code === ErrorCode.BAD_USER_INPUT)
    ) {
      return shown(withoutEchoedValue(formatted));
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error while resolving");
    return {
      message: MASKED_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** `Variable "$input" got invalid value <the value> at "input.mode"; <reason>` */
const INVALID_VARIABLE =
  /^Variable "\$([^"]+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([^;]*)$/;

/**
 * graphql-js quotes the whole offending variable (a user's entire input) in coercion errors. Keep the
 * path and the reason, as `fields` like our own BAD_USER_INPUT, and drop the value.
 */
function withoutEchoedValue(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!/^Variable "\$[^"]+" got invalid value /.test(formatted.message)) return formatted;
  const match = INVALID_VARIABLE.exec(formatted.message);
  const path = match?.[2] ?? match?.[1] ?? formatted.message.split('"')[1].slice(1);
  const message = match?.[3] ?? "has an invalid value";
  return {
    ...formatted,
    message: `${path}: ${message}`,
    extensions: { ...formatted.extensions, fields: [{ path, message }] },
  };
}

/** graphql-js's hints: `Did you mean "status"?`, `Did you mean the enum value "QUEUED"?`, … */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function withoutStacktrace(extensions: GraphQLFormattedError["extensions"]) {
  if (!extensions) return extensions;
  const { stacktrace: _stacktrace, http: _http, ...rest } = extensions;
  return rest;
}
