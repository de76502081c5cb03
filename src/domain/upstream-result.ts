import { checkHttpUrl, HTTP_URL_PROBLEMS } from "./http-url";
import type { TaskVideo } from "./task";

/** One unusable URL in an upstream result, with the reason; `value` is cut short for a log line. */
export interface ResultUrlProblem {
  field: "url" | "thumbnailUrl";
  problem: string;
  value: string;
}

/** How much of a refused URL a log line keeps. */
const LOGGED_URL_LENGTH = 200;

/**
 * The URLs of an upstream result that the gateway will not store or serve: each must be an absolute
 * http(s) URL of sane length, or a client could be handed `javascript:…` as its video link. Empty
 * when the result is usable.
 */
export function resultUrlProblems(video: TaskVideo): ResultUrlProblem[] {
  const candidates: Array<[ResultUrlProblem["field"], string | null]> = [
    ["url", video.url],
    ["thumbnailUrl", video.thumbnailUrl],
  ];
  return candidates.flatMap(([field, value]) => {
    if (value === null) return [];
    const { problem } = checkHttpUrl(value);
    return problem === undefined
      ? []
      : [{ field, problem: HTTP_URL_PROBLEMS[problem], value: cut(value) }];
  });
}

const cut = (value: string) =>
  value.length > LOGGED_URL_LENGTH ? `${value.slice(0, LOGGED_URL_LENGTH)}…` : value;
