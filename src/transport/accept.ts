/** One media range of an `Accept` header: `type/subtype` in lower case, its parameters, its q-value. */
export interface MediaRange {
  type: string;
  /** Parameter names in lower case; quoted values unquoted. `q` is not among them. */
  params: Record<string, string>;
  q: number;
}

/**
 * Parses an `Accept` header leniently (RFC 9110 §12.5.1): ranges separated by commas, parameters by
 * semicolons, values quoted or not, whitespace anywhere. A range that cannot be read is skipped.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return splitOutsideQuotes(header, ",").flatMap((range) => {
    const [type, ...rawParams] = splitOutsideQuotes(range, ";").map((part) => part.trim());
    if (!/^[\w!#$&^.+-]+\/[\w!#$&^.+*-]+$|^\*\/\*$/.test(type)) return [];
    const params: Record<string, string> = {};
    let q = 1;
    for (const param of rawParams) {
      const equals = param.indexOf("=");
      if (equals < 0) continue;
      const name = param.slice(0, equals).trim().toLowerCase();
      const value = unquote(param.slice(equals + 1).trim());
      if (name === "q") q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[name] = value;
    }
    return [{ type: type.toLowerCase(), params, q }];
  });
}

/** Whether the client offers Apollo's multipart subscription protocol (`subscriptionSpec=1.0`). */
export function acceptsMultipartSubscriptions(header: string | undefined): boolean {
  return parseAccept(header).some(
    (range) =>
      range.q > 0 && range.type === "multipart/mixed" && range.params.subscriptionspec === "1.0",
  );
}

/** The JSON media types a GraphQL answer can have, as Apollo Server writes them. */
export const JSON_MEDIA_TYPES = {
  json: "application/json; charset=utf-8",
  graphqlResponse: "application/graphql-response+json; charset=utf-8",
} as const;

/**
 * The JSON type for an answer that is not a stream, as Apollo Server picks it: the GraphQL-over-HTTP
 * type when the client prefers it (Apollo Client 4 does, and then reads the errors of a 4xx), else
 * `application/json`.
 */
export function preferredJsonType(header: string | undefined): string {
  const ranges = parseAccept(header);
  const qOf = (type: string) => ranges.find((range) => range.type === type)?.q;
  const graphqlResponse = qOf("application/graphql-response+json") ?? 0;
  const json = qOf("application/json") ?? qOf("*/*") ?? 0;
  return graphqlResponse > 0 && graphqlResponse >= json
    ? JSON_MEDIA_TYPES.graphqlResponse
    : JSON_MEDIA_TYPES.json;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, "$1")
    : value;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\" && quoted) {
      current += char + (text[++i] ?? "");
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
