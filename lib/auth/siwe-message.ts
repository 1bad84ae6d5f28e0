import { checksumAddress } from "viem";

import { UnauthorizedError } from "@/lib/errors";
import { ADDRESS_PATTERN } from "@/lib/address";

/**
 * A strict reader of EIP-4361 (Sign-In with Ethereum) messages: the whole ABNF of the standard,
 * with RFC 3986 for the domain, URI, Request ID and Resources, and RFC 3339 for times (checked as
 * real calendar times). Anything the grammar does not produce is refused — a present field that
 * cannot be read is never skipped. Where the ABNF leaves room, SpruceID's reference parser decides
 * (a non-empty domain; the statement's character set, which excludes line breaks and non-ASCII).
 */
export interface SiweMessage {
  scheme?: string;
  /** RFC 3986 authority, exactly as written (e.g. `localhost:3000`, `[::1]:3400`). */
  domain: string;
  /** EIP-55 checksummed. */
  address: `0x${string}`;
  statement?: string;
  uri: string;
  version: "1";
  chainId: number;
  nonce: string;
  /** RFC 3339 date-times, as written; `rfc3339Instant` reads them. */
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

// RFC 3986 (appendix A), built once. IPv4address needs no rule of its own: it is also a reg-name.
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT_ENCODED = "%[0-9A-Fa-f]{2}";
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT_ENCODED})`;
const SCHEME = "[A-Za-z][A-Za-z0-9+\\-.]*";
const H16 = "[0-9A-Fa-f]{1,4}";
const DEC_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const LS32 = `(?:${H16}:${H16}|${DEC_OCTET}(?:\\.${DEC_OCTET}){3})`;
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join("|");
const IP_LITERAL = `\\[(?:${IPV6}|v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT_ENCODED})*`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT_ENCODED})*`;
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const HIER_PART = `(?://${AUTHORITY}(?:/${PCHAR}*)*|/(?:${PCHAR}+(?:/${PCHAR}*)*)?|${PCHAR}+(?:/${PCHAR}*)*|)`;
const QUERY_OR_FRAGMENT = `(?:${PCHAR}|[/?])*`;
const URI = `${SCHEME}:${HIER_PART}(?:\\?${QUERY_OR_FRAGMENT})?(?:#${QUERY_OR_FRAGMENT})?`;

const HEADER_SUFFIX = " wants you to sign in with your Ethereum account:";
const HEADER = new RegExp(`^(?:(${SCHEME})://)?(${AUTHORITY})${HEADER_SUFFIX}$`);
const URI_RE = new RegExp(`^${URI}$`);
const REQUEST_ID_RE = new RegExp(`^${PCHAR}*$`);
// reserved / unreserved / " " — printable ASCII without `"%<>\^\`{|}`, and no line break.
const STATEMENT_RE = new RegExp(`^[${UNRESERVED}${SUB_DELIMS}:/?#\\[\\]@ ]*$`);
const NONCE_RE = /^[A-Za-z0-9]{8,}$/;
const CHAIN_ID_RE = /^[0-9]+$/;
// RFC 3339 date-time; ABNF literals are case-insensitive, so `t` and `z` are valid too (§5.6).
const DATE_TIME_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;

const invalid = (rule: string): never => {
  throw new UnauthorizedError(`Invalid SIWE message: ${rule}`);
};

/** Parses an EIP-4361 message, or throws a 401 naming the first rule it breaks. */
export function parseSiweMessage(text: string): SiweMessage {
  const lines = text.split("\n");
  const header = HEADER.exec(lines[0]!);
  if (!header) {
    return invalid(lines[0]!.endsWith(HEADER_SUFFIX) ? "domain is not an RFC 3986 authority" : `line 1 must be "<domain>${HEADER_SUFFIX}"`);
  }
  const scheme = header[1];
  const domain = header[2]!;
  if (domain === "") return invalid("domain is missing");
  const address = readAddress(lines[1] ?? "");
  if (lines[2] !== "") return invalid("line 3 must be empty");

  // `[ statement LF ] LF`: an empty line 4 means no statement (or an empty one, if line 5 is empty too).
  const statement = lines[3] === undefined || (lines[3] === "" && lines[4] !== "") ? undefined : lines[3];
  if (statement !== undefined) {
    if (!STATEMENT_RE.test(statement)) return invalid("statement has characters outside EIP-4361's set (ASCII letters, digits, spaces, RFC 3986 reserved)");
    if (lines[4] !== "") return invalid("statement must be a single line followed by an empty line");
  }

  const fields = new FieldReader(lines, statement === undefined ? 4 : 5);
  const message: SiweMessage = {
    ...(scheme !== undefined && { scheme }),
    domain,
    address,
    ...(statement !== undefined && { statement }),
    uri: fields.required("URI", (v) => URI_RE.test(v) || invalid("URI is not an RFC 3986 URI")),
    version: fields.required("Version", (v) => v === "1" || invalid("Version must be 1")) as "1",
    chainId: readChainId(fields.required("Chain ID")),
    nonce: fields.required("Nonce", (v) => NONCE_RE.test(v) || invalid("Nonce must be at least 8 ASCII letters or digits")),
    issuedAt: fields.required("Issued At", timeCheck("Issued At")),
  };
  const expirationTime = fields.optional("Expiration Time", timeCheck("Expiration Time"));
  const notBefore = fields.optional("Not Before", timeCheck("Not Before"));
  const requestId = fields.optional("Request ID", (v) => REQUEST_ID_RE.test(v) || invalid("Request ID may hold only RFC 3986 pchar characters (no spaces)"));
  const resources = fields.resources();
  fields.end();
  return {
    ...message,
    ...(expirationTime !== undefined && { expirationTime }),
    ...(notBefore !== undefined && { notBefore }),
    ...(requestId !== undefined && { requestId }),
    ...(resources !== undefined && { resources }),
  };
}

/** Walks the `Label: value` lines in the ABNF's order; a line that is not the next expected one is refused. */
class FieldReader {
  constructor(
    private readonly lines: string[],
    private at: number,
  ) {}

  required(label: string, check?: (value: string) => unknown): string {
    return this.optional(label, check) ?? invalid(`line ${this.at + 1}: expected "${label}: " (field missing or out of order)`);
  }

  optional(label: string, check?: (value: string) => unknown): string | undefined {
    const line = this.lines[this.at];
    if (line === undefined || !line.startsWith(`${label}: `)) return undefined;
    this.at += 1;
    const value = line.slice(label.length + 2);
    check?.(value);
    return value;
  }

  resources(): string[] | undefined {
    if (this.lines[this.at] !== "Resources:") return undefined;
    const out: string[] = [];
    for (this.at += 1; this.at < this.lines.length; this.at += 1) {
      const line = this.lines[this.at]!;
      if (!line.startsWith("- ")) return invalid(`line ${this.at + 1}: after "Resources:" only "- <URI>" lines may follow, one resource each`);
      const uri = line.slice(2);
      if (!URI_RE.test(uri)) return invalid(`line ${this.at + 1}: resource is not an RFC 3986 URI`);
      out.push(uri);
    }
    return out;
  }

  end(): void {
    if (this.at < this.lines.length) {
      invalid(`line ${this.at + 1}: unexpected content (a field out of order or repeated, or trailing data after the last field)`);
    }
  }
}

function readAddress(line: string): `0x${string}` {
  if (!ADDRESS_PATTERN.test(line)) return invalid("line 2 must be the address: 0x and 40 hex digits");
  // EIP-4361 requires the EIP-55 mixed-case form; all-lowercase is not it (SpruceID agrees).
  if (checksumAddress(line as `0x${string}`) !== line) return invalid("address is not in EIP-55 checksum form");
  return line as `0x${string}`;
}

function readChainId(value: string): number {
  if (!CHAIN_ID_RE.test(value)) return invalid("Chain ID must be decimal digits");
  const chainId = Number(value);
  // Larger values would be silently rounded: unreadable, so refused.
  if (!Number.isSafeInteger(chainId)) return invalid("Chain ID is too large");
  return chainId;
}

const timeCheck = (label: string) => (value: string) => rfc3339Instant(value) ?? invalid(`${label} is not a valid RFC 3339 date-time`);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The instant an RFC 3339 date-time names, or undefined if it names none: month 1–12, a day the
 * month has, hour ≤ 23, minute ≤ 59, second ≤ 59 (60 only for a leap second, i.e. at 23:59 UTC),
 * offset hour ≤ 23 and minute ≤ 59. Never rolled over the way `new Date()` does.
 */
export function rfc3339Instant(value: string): Date | undefined {
  const m = DATE_TIME_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (maxDay === undefined || day < 1 || day > maxDay || hour > 23 || minute > 59 || second > 60) return undefined;
  const [offsetHour, offsetMinute] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (offsetHour > 23 || offsetMinute > 59) return undefined;
  const offsetMs = (m[8] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute) * 60_000;
  const millis = Number(((m[7] ?? ".").slice(1) + "000").slice(0, 3));

  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0–99 to 1900–1999
  instant.setUTCHours(hour, minute, second, millis);
  instant.setTime(instant.getTime() - offsetMs);
  if (second === 60) {
    // A leap second ends a UTC day; as a Date it is the next day's first instant.
    const before = new Date(instant.getTime() - 1000);
    if (before.getUTCHours() !== 23 || before.getUTCMinutes() !== 59) return undefined;
  }
  return instant;
}
