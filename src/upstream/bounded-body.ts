/** A response body read up to a limit. */
export interface BoundedBody {
  /** The body as UTF-8, or its first `limit` bytes when it is longer. */
  text: string;
  /** True when the body (or its declared Content-Length) exceeded the limit; the rest was not read. */
  overLimit: boolean;
}

/**
 * Reads at most `limit` bytes of a response body, as a stream: a longer body is cut off at the limit
 * and the rest cancelled (which closes the connection), so an upstream that answers with gigabytes
 * costs the gateway no more than `limit` bytes of memory. A declared `Content-Length` over the limit
 * is refused before a byte of the body is read.
 */
export async function readBoundedBody(response: Response, limit: number): Promise<BoundedBody> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return { text: "", overLimit: true };
  }
  const reader = response.body?.getReader();
  if (!reader) return { text: "", overLimit: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks), overLimit: false };
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      await reader.cancel().catch(() => undefined);
      return { text: decode(chunks), overLimit: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}

const decode = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString("utf8");
