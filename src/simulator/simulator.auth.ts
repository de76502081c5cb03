import { createHash, timingSafeEqual } from "node:crypto";

/**
 * True when `authorization` is `Bearer <token>` with the expected key, or with any non-empty token
 * when no key is configured.
 */
export function isAuthorized(
  authorization: string | undefined,
  apiKey: string | undefined,
): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return false;
  if (apiKey === undefined) return true;
  // Hashing first gives equal lengths, which timingSafeEqual needs.
  return timingSafeEqual(digest(match[1]), digest(apiKey));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
