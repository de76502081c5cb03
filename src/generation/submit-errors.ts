import type { GraphQLError } from "graphql";
import {
  BadUserInputError,
  InsufficientUpstreamBalanceError,
  UpstreamUnavailableError,
} from "../errors/gateway-errors";
import type { Logger } from "../observability/logger";
import type { UpstreamError } from "../ports/upstream-client";

/** When the upstream gives no Retry-After, clients are told to wait this long before retrying. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Turns a failed upstream submit into what the client is told; operator faults are logged here. */
export function submitErrorToClientError(error: UpstreamError, logger: Logger): GraphQLError {
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((error.details.retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000) / 1000),
  );
  switch (error.kind) {
    case "payment_required":
      logger.error("upstream balance exhausted: submits are refused until it is topped up");
      return new InsufficientUpstreamBalanceError();
    case "bad_request":
      // The input passed our rules, so the upstream's text is for the operator, not the end user.
      logger.warn({ upstreamMessage: error.message }, "upstream refused a validated request");
      return new BadUserInputError([
        {
          path: "input",
          message:
            "the video service refused this request; for image-to-video, check that the frame URLs are public and reachable",
        },
      ]);
    case "misconfigured":
      logger.error(
        { httpStatus: error.details.httpStatus },
        "upstream rejected the gateway's credentials: check APIMART_API_KEY",
      );
      return new UpstreamUnavailableError(
        "The video service is unavailable right now; the request was not submitted.",
      );
    default:
      logger.warn(
        { kind: error.kind, httpStatus: error.details.httpStatus },
        "upstream submit failed",
      );
      return new UpstreamUnavailableError(
        `The video service is unavailable right now (${describe(error.kind)}); retry in ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
  }
}

function describe(kind: UpstreamError["kind"]): string {
  switch (kind) {
    case "rate_limited":
      return "too many requests";
    case "timeout":
      return "no answer in time";
    default:
      return "temporary fault";
  }
}
