import { z } from "zod";

/*
 * Zod schemas for APIMart's answers, tolerant of what UPSTREAM.md says varies: optional fields that are
 * absent, null or of an unexpected shape read as undefined instead of failing the whole answer; unknown
 * fields are dropped.
 */

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const text = z.string().trim().min(1);

/** A JSON number, or a string holding one (some models quote their numbers). */
export const numberLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** Unix seconds. Values this large can only be milliseconds (seconds would be past the year 5000). */
const unixTime = numberLike.transform((value) => new Date(value > 1e11 ? value : value * 1000));

const idLike = z.union([text, z.number().int().nonnegative().transform(String)]);

/** `url` is an array of strings in current answers and a plain string in older ones. */
const videoUrl = z.union([
  text,
  z
    .array(z.unknown())
    .transform((urls) => urls.map((url) => text.safeParse(url).data).find(Boolean)),
]);

/** `{"code":…,"message":…,"type":…}`; `code` may be an int or a string. Some servers send a bare string. */
export const wireError = z.union([
  z.object({
    code: lenient(z.union([text, z.number().transform(String)])),
    message: lenient(text),
    type: lenient(text),
  }),
  text.transform((message) => ({ code: undefined, message, type: undefined })),
]);
export type WireError = z.output<typeof wireError>;

const video = z.object({
  url: lenient(videoUrl),
  expires_at: lenient(unixTime),
  thumbnail_url: lenient(text),
});

export const taskData = z.object({
  id: lenient(idLike),
  task_id: lenient(idLike),
  status: text,
  progress: lenient(numberLike),
  created: lenient(unixTime),
  completed: lenient(unixTime),
  estimated_time: lenient(numberLike),
  result: lenient(
    z.object({
      videos: lenient(z.array(lenient(video))),
      thumbnail_url: lenient(text),
    }),
  ),
  error: lenient(wireError),
});
export type TaskData = z.output<typeof taskData>;

/** One element of submit's `data` (an array for kling-v3, an object for other models). */
export const submittedTask = z.object({ task_id: lenient(idLike), id: lenient(idLike) });

/** The outer `{"code":…,"data":…,"error":…}` of every answer, read before `data` is trusted. */
export const envelope = z.object({
  code: lenient(numberLike),
  data: z.unknown().optional(),
  error: lenient(wireError),
});

/** The body of a non-2xx answer: `{"error":{…}}`, or sometimes a top-level `message`. */
export const errorBody = z.object({ error: lenient(wireError), message: lenient(text) });
