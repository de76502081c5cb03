/** The Accept header Apollo Client 4's HttpLink sends with a subscription. */
export const APOLLO_CLIENT_ACCEPT =
  "multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/graphql-response+json,application/json;q=0.9";

export interface MultipartStream {
  status: number;
  headers: Headers;
  /** Every part's JSON body in arrival order, heartbeats (`{}`) included. */
  parts: unknown[];
  /** Everything received, byte for byte (as UTF-8). */
  raw: () => string;
  /** Resolves once the body has ended (normally or not). */
  ended: Promise<void>;
  /** Resolves with the first part that `match` accepts, counting those already received. */
  partWhere(match: (part: unknown) => boolean): Promise<unknown>;
  /** Drops the connection, as a client that goes away. */
  abort(): void;
}

/**
 * POSTs a GraphQL operation and reads the multipart answer as it streams, splitting it on the
 * boundary the Content-Type names. A non-multipart answer shows in `parts` as its one JSON body.
 */
export async function postMultipart(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<MultipartStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: APOLLO_CLIENT_ACCEPT, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: controller.signal,
  });
  const parts: unknown[] = [];
  const waiters: Array<{ match: (part: unknown) => boolean; resolve: (part: unknown) => void }> =
    [];
  let raw = "";
  const push = (part: unknown) => {
    parts.push(part);
    for (const waiter of waiters.filter((w) => w.match(part))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(part);
    }
  };
  const boundary = /boundary="?([^";]+)"?/.exec(response.headers.get("content-type") ?? "")?.[1];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        if (!boundary) continue;
        pending += text;
        const delimiter = `\r\n--${boundary}`;
        for (let at = pending.indexOf(delimiter); at >= 0; at = pending.indexOf(delimiter)) {
          const part = pending.slice(0, at);
          pending = pending.slice(at + delimiter.length);
          const bodyAt = part.indexOf("\r\n\r\n");
          if (bodyAt >= 0) push(JSON.parse(part.slice(bodyAt + 4)));
        }
      }
    } catch {
      // aborted, or the server cut the connection
    }
    if (!boundary && raw) push(JSON.parse(raw));
  })();
  return {
    status: response.status,
    headers: response.headers,
    parts,
    raw: () => raw,
    ended,
    partWhere: (match) => {
      const found = parts.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    abort: () => controller.abort(),
  };
}
