import { literalScope, type AddressScope } from "./address-scope";
import { checkHttpUrl, MAX_URL_LENGTH } from "./http-url";

/** How far from the public internet a frame URL may point. */
export interface FrameUrlPolicy {
  /**
   * Accept hosts on a private network: RFC 1918, CGNAT, ULA and loopback addresses, and local names
   * (`localhost`, `*.local`, `*.internal`, single-label names). For an upstream that fetches frames
   * from inside the operator's network (`ALLOW_PRIVATE_FRAME_URLS`). Link-local, metadata, multicast
   * and other special addresses stay refused.
   */
  allowPrivate: boolean;
}

export const STRICT_FRAME_URLS: FrameUrlPolicy = { allowPrivate: false };

export const FRAME_URL_PROBLEMS = {
  url: `must be an absolute http:// or https:// URL of at most ${MAX_URL_LENGTH} characters`,
  credentials: "must not carry credentials (user:password@)",
  host: "must point to a public host, not localhost, a local, internal or single-label name, or a loopback, private, link-local, metadata or other special address",
} as const;

/** Instance metadata services by name: refused whatever the policy. */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** Names that only ever resolve inside a network (RFC 6761, 6762, 8375, ICANN's `.internal`). */
const LOCAL_SUFFIXES = ["localhost", "local", "localdomain", "internal", "home.arpa"];

/**
 * Why a frame URL must not be sent upstream, in words for the end user, or null when it may. The
 * upstream fetches it, so a URL into the gateway's (or the upstream's) own network would make it a
 * proxy for the caller. IP literals are judged in whatever notation the WHATWG parser accepts
 * (`0x7f000001`, `2130706433`, `127.1`, `[::ffff:127.0.0.1]` are all 127.0.0.1 to it). A DNS name
 * that resolves to a private address is not caught here: that needs the upstream's own resolver.
 */
export function frameUrlProblem(text: string, policy: FrameUrlPolicy): string | null {
  const check = checkHttpUrl(text);
  if (check.problem === "credentials") return FRAME_URL_PROBLEMS.credentials;
  if (check.problem !== undefined) return FRAME_URL_PROBLEMS.url;
  const scope = hostScope(check.url.hostname);
  return scope === "public" || (scope === "private" && policy.allowPrivate)
    ? null
    : FRAME_URL_PROBLEMS.host;
}

function hostScope(hostname: string): AddressScope {
  const literal = literalScope(hostname);
  if (literal !== null) return literal;
  const name = hostname.replace(/\.+$/, "");
  if (METADATA_NAMES.has(name)) return "forbidden";
  // A single label is completed by the resolver's search domains: a name on the local network.
  if (!name.includes(".")) return "private";
  if (LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))) {
    return "private";
  }
  return "public";
}
