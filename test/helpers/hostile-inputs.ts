/**
 * Inputs a hostile or careless client sends, shared by the unit tests of the rules and the
 * integration tests that prove a refusal costs no upstream call.
 */

/** Prompts (and negative prompts) with nothing to generate from, or with bytes nobody should pay for. */
export const UNUSABLE_TEXTS: Array<[string, string]> = [
  ["zero-width characters only", "\u200b\u200c\u200d\u2060\ufeff"],
  ["NUL only", "\u0000"],
  ["a NUL inside", "a paper\u0000boat"],
  ["a bell", "a paper boat\u0007"],
  ["an ANSI escape sequence", "\u001b[31ma red boat"],
  ["DEL", "a boat\u007f"],
  ["a C1 control (NEL)", "a boat\u0085on a lake"],
  ["a carriage return not followed by a newline", "a boat\ron a lake"],
  ["a vertical tab", "a boat\u000bon a lake"],
  ["a form feed", "a boat\u000con a lake"],
  ["a lone high surrogate", "a boat \ud83c on a lake"],
  ["a lone low surrogate", "\udfac"],
  ["variation selectors only", "\ufe0f\ufe0e\u{e0100}"],
  ["Hangul fillers only", "\u3164\u115f\u1160\uffa0"],
  ["the blank braille pattern", "\u2800\u2800"],
  ["no-break, em and ideographic spaces", "\u00a0\u2003\u3000"],
  ["line and paragraph separators", "\u2028\u2029"],
  ["tag characters", "\u{e0041}\u{e0042}\u{e007f}"],
  ["a soft hyphen and a word joiner", "\u00ad\u2060"],
  ["bidi controls", "\u202e\u202d\u2066\u2069"],
  ["combining marks without a base", "\u0301\u0302\u0303"],
  ["spaces, tabs and newlines", " \t\n\r\n "],
  ["nothing", ""],
];

/** Text that looks odd but is fine: it must reach the upstream unchanged. */
export const USABLE_TEXTS: Array<[string, string]> = [
  ["tabs, newlines and CRLF between words", "a paper boat\ton a rainy street\nat dusk\r\nslowly"],
  ["emoji, with a variation selector and a ZWJ sequence", "a boat ⛵️ and a family 👨‍👩‍👧"],
  ["a zero-width joiner inside a word", "pa\u200dper boat"],
  ["Japanese with an ideographic space", "紙の船\u3000雨の通り"],
  ["a single visible character", "ß"],
  ["punctuation only", "…?!"],
  ["a combining mark on a letter", "cafe\u0301"],
];

/** Frame URLs the upstream must never be asked to fetch, with the refusal's kind. */
export const REFUSED_FRAME_URLS: Array<[string, "host" | "credentials"]> = [
  ["http://127.0.0.1/a.png", "host"],
  ["http://127.1/a.png", "host"],
  ["http://0x7f000001/a.png", "host"],
  ["http://2130706433/a.png", "host"],
  ["http://0177.0.0.1/a.png", "host"],
  ["http://0x7f.0.0.1/a.png", "host"],
  ["http://%31%32%37.0.0.1/a.png", "host"],
  ["http://\uff11\uff12\uff17.0.0.1/a.png", "host"],
  ["http://[::1]/a.png", "host"],
  ["http://[0:0:0:0:0:0:0:1]/a.png", "host"],
  ["http://[::ffff:127.0.0.1]/a.png", "host"],
  ["http://[::ffff:7f00:1]/a.png", "host"],
  ["http://[::ffff:0:7f00:1]/a.png", "host"],
  ["http://[::127.0.0.1]/a.png", "host"],
  ["http://[64:ff9b::127.0.0.1]/a.png", "host"],
  ["http://[64:ff9b::10.0.0.5]/a.png", "host"],
  ["http://[64:ff9b:1::a00:5]/a.png", "host"],
  ["http://[2002:7f00:1::]/a.png", "host"],
  ["http://[2002:a9fe:a9fe::1]/a.png", "host"],
  ["http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/a.png", "host"],
  ["http://10.0.0.5/a.png", "host"],
  ["http://172.16.0.1/a.png", "host"],
  ["http://172.31.255.254/a.png", "host"],
  ["http://192.168.1.1/a.png", "host"],
  ["http://100.64.0.1/a.png", "host"],
  ["http://169.254.169.254/latest/meta-data/", "host"],
  ["http://169.254.170.2/v2/credentials", "host"],
  ["http://100.100.100.200/latest/meta-data/", "host"],
  ["http://[fd00:ec2::254]/latest/meta-data/", "host"],
  ["http://[::ffff:169.254.169.254]/latest/meta-data/", "host"],
  ["http://[fe80::1]/a.png", "host"],
  ["http://[fc00::1]/a.png", "host"],
  ["http://[fd12:3456:789a::1]/a.png", "host"],
  ["http://0.0.0.0/a.png", "host"],
  ["http://0/a.png", "host"],
  ["http://[::]/a.png", "host"],
  ["http://255.255.255.255/a.png", "host"],
  ["http://224.0.0.1/a.png", "host"],
  ["http://[ff02::1]/a.png", "host"],
  ["http://192.0.2.10/a.png", "host"],
  ["http://198.18.0.1/a.png", "host"],
  ["http://240.0.0.1/a.png", "host"],
  ["http://[2001:db8::1]/a.png", "host"],
  ["http://localhost/a.png", "host"],
  ["http://LOCALHOST:4000/graphql", "host"],
  ["http://localhost./a.png", "host"],
  ["http://app.localhost/a.png", "host"],
  ["http://printer.local/a.png", "host"],
  ["http://db.internal/a.png", "host"],
  ["http://router.home.arpa/a.png", "host"],
  ["http://metadata.google.internal/computeMetadata/v1/", "host"],
  ["http://metadata/computeMetadata/v1/", "host"],
  ["http://intranet/a.png", "host"],
  ["https://user:pass@cdn.example.com/a.png", "credentials"],
  ["https://user@cdn.example.com/a.png", "credentials"],
  ["https://:secret@cdn.example.com/a.png", "credentials"],
];

/** Public frame URLs, some in unusual notations, that must pass. */
export const PUBLIC_FRAME_URLS: string[] = [
  "https://cdn.example.com/a.png",
  "https://images.example.com.:8443/a/b.jpg?size=large#x",
  "http://8.8.8.8/a.png",
  "http://[2606:4700:4700::1111]/a.png",
  "http://[64:ff9b::8.8.8.8]/a.png",
  "http://[2002:808:808::1]/a.png",
  "https://xn--bcher-kva.example/a.png",
  "https://localhost.example.com/a.png",
];

/** Refused by default, accepted with ALLOW_PRIVATE_FRAME_URLS=true. */
export const PRIVATE_FRAME_URLS: string[] = [
  "http://10.0.0.5/a.png",
  "http://192.168.1.1/a.png",
  "http://100.64.0.1/a.png",
  "http://[fd12:3456:789a::1]/a.png",
  "http://127.0.0.1:8080/a.png",
  "http://[::1]/a.png",
  "http://files.internal/a.png",
  "http://nas.local/a.png",
  "http://intranet/a.png",
];

/** Refused whatever the setting: metadata, link-local, special addresses, credentials. */
export const NEVER_FRAME_URLS: string[] = [
  "http://169.254.169.254/latest/meta-data/",
  "http://[fd00:ec2::254]/latest/meta-data/",
  "http://100.100.100.200/latest/meta-data/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://metadata/computeMetadata/v1/",
  "http://[fe80::1]/a.png",
  "http://0.0.0.0/a.png",
  "http://224.0.0.1/a.png",
  "https://user:pass@files.internal/a.png",
];
