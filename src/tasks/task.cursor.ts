import type { ListPosition } from "../store/task-store";

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
  if (!match || encodeCursorRaw(text) !== cursor) return null;
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

const encodeCursorRaw = (text: string) => Buffer.from(text, "utf8").toString("base64url");
