import { createHash } from "node:crypto";
import type { GenerationRequest } from "../domain/generation-request";
import { BadUserInputError } from "../errors/gateway-errors";

/** 1..255 visible ASCII characters (0x21..0x7E): safe in logs, headers and SQL, and unambiguous. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Throws BAD_USER_INPUT naming `idempotencyKey` when the key is not acceptable. */
export function checkIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new BadUserInputError([
      {
        path: "idempotencyKey",
        message: "must be 1 to 255 visible ASCII characters (no spaces or control characters)",
      },
    ]);
  }
}

/** A stable fingerprint of the validated input: the same input always hashes the same. */
export function requestFingerprint(request: GenerationRequest): string {
  const canonical = JSON.stringify(request, Object.keys(request).sort());
  return createHash("sha256").update(canonical).digest("hex");
}
