import type { ListPosition } from "../ports/task-store";

/** Opaque cursors: base64url of `<createdAt ms>:<task id>`. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}:${position.id}`, "utf8").toString(
    "base64url",
  );
}

/** Null when the cursor was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string): ListPosition | null {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(\d{1,15}):(.{1,200})$/.exec(text);
  if (!match) return null;
  const position = { createdAt: new Date(Number(match[1])), id: match[2] };
  // Only the canonical encoding counts: no padded or otherwise re-spelled variants.
  return encodeCursor(position) === cursor ? position : null;
}
