/**
 * What a prompt must be before anyone pays for it: text a person can read. Pure rules, read by the
 * GraphQL input validators; and what an upstream string is cleaned to before it is stored.
 */

/** C0 and C1 controls (and DEL) other than tab and newline; a carriage return only before a newline. */
const CONTROL = /(?![\t\n\r])\p{Cc}|\r(?!\n)/u;

/** With the `u` flag a well-formed pair is one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Characters that render as nothing: zero-width and other format characters (`\p{Cf}`), variation
 * selectors, Hangul fillers, tags (all `Default_Ignorable_Code_Point`), and the blank braille pattern.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** A letter, digit, punctuation mark or symbol: something that shows. Spaces and lone marks do not. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

export const TEXT_PROBLEMS = {
  blank: "must not be blank",
  control: "must not contain control characters (only tab and newline are allowed)",
  surrogate: "must be valid Unicode text (it contains a lone surrogate)",
} as const;

/**
 * Why `text` is not acceptable as a prompt, in words for the end user, or null when it is: it must
 * show at least one visible character once whitespace and invisible characters are set aside, and
 * hold no control characters (tab, newline and CRLF excepted) and no lone surrogates.
 */
export function textProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return TEXT_PROBLEMS.surrogate;
  if (CONTROL.test(text)) return TEXT_PROBLEMS.control;
  if (!VISIBLE.test(text.replace(INVISIBLE, ""))) return TEXT_PROBLEMS.blank;
  return null;
}

/** Every control character but tab and newline, and every lone surrogate, for replacing. */
const UNSTORABLE = /(?![\t\n])\p{Cc}|(\p{Cs})/gu;

/**
 * `text` as the gateway stores and shows a string it did not choose (an upstream's message or
 * status): control characters but tab and newline removed, NUL included (PostgreSQL's `text` and
 * `jsonb` refuse it, so one would make the store refuse the whole change), and lone surrogates
 * (which `jsonb` refuses too) replaced with U+FFFD.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (_, surrogate: string | undefined) =>
    surrogate ? "\uFFFD" : "",
  );
}
