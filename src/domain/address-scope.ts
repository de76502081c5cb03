import ipaddr from "ipaddr.js";

/**
 * Where an IP address leads: the public internet, a private network (reachable only from inside it),
 * or nowhere a fetch on a client's behalf should ever go (link-local, metadata, multicast, reserved…).
 */
export type AddressScope = "public" | "private" | "forbidden";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** ipaddr.js range names (from IANA's special-purpose registries) of private networks. */
const PRIVATE_RANGES: ReadonlySet<string> = new Set([
  "private",
  "loopback",
  "carrierGradeNat",
  "uniqueLocal",
]);

/**
 * Cloud instance metadata services, which hand out credentials: AWS, GCP, Azure and others
 * (169.254.169.254, also over IPv6), AWS ECS tasks, Alibaba Cloud. Link-local ones are forbidden
 * anyway; these are listed so that no setting ever lets one through.
 */
const METADATA = ["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"].map(
  (text) => ipaddr.parse(text).toNormalizedString(),
);

/**
 * The scope of an address. Only global unicast (ipaddr.js's `unicast`) is public, so every range the
 * library knows as special (reserved, benchmarking, documentation, 6to4 relays…) is refused without a
 * list of our own. IPv6 forms that carry an IPv4 address (mapped, translated, NAT64, 6to4, IPv4-
 * compatible) take the scope of the address they carry.
 */
export function addressScope(address: Address): AddressScope {
  if (METADATA.includes(address.toNormalizedString())) return "forbidden";
  if (address.kind() === "ipv6") {
    const carried = carriedIPv4(address as ipaddr.IPv6);
    if (carried !== undefined) return carried === null ? "forbidden" : addressScope(carried);
  }
  const range = address.range();
  if (range === "unicast") return "public";
  return PRIVATE_RANGES.has(range) ? "private" : "forbidden";
}

/**
 * The IPv4 address an IPv6 transition form carries; null for a form whose layout is not fixed
 * (Teredo, local-use NAT64), which is refused; undefined for an address that is no such form.
 */
function carriedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null | undefined {
  const p = address.parts;
  const ipv4 = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return ipv4(p[6], p[7]);
    case "rfc6052": // the well-known NAT64 prefix 64:ff9b::/96; 64:ff9b:1::/48 is laid out per network
      return p[1] === 0xff9b && p.slice(2, 6).every((part) => part === 0) ? ipv4(p[6], p[7]) : null;
    case "6to4": // 2002:aabb:ccdd::/48
      return ipv4(p[1], p[2]);
    case "teredo":
      return null;
  }
  // IPv4-compatible ::a.b.c.d (deprecated), which ipaddr.js counts as unicast; :: and ::1 are not.
  if (p.slice(0, 6).every((part) => part === 0) && (p[6] !== 0 || p[7] > 1)) {
    return ipv4(p[6], p[7]);
  }
  return undefined;
}

/** The scope of an IP literal as the WHATWG URL parser writes a hostname (`127.0.0.1`, `[::1]`). */
export function literalScope(hostname: string): AddressScope | null {
  try {
    if (hostname.startsWith("[") && hostname.endsWith("]")) {
      return addressScope(ipaddr.IPv6.parse(hostname.slice(1, -1)));
    }
    if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) {
      return addressScope(ipaddr.IPv4.parse(hostname));
    }
  } catch {
    return "forbidden";
  }
  return null;
}
