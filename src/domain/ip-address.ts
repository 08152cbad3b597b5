// Recognises IP address literals in every spelling a URL parser or inet_aton accepts, and normalises them.
import { isIPv6 } from 'node:net';

/*
 * Which parsing is ours and why: the SSRF rules must read a host exactly as `new URL()` and undici will connect to it.
 * - IPv4 stays ours: ipaddr.js (2.5) refuses WHATWG spellings that do connect ("0x", "0x.1", a trailing dot).
 * - IPv6 is validated by node:net's isIPv6; ipaddr.js reads "::127.0.0.1" as ::ffff:7f00:1 and accepts
 *   "::ffff:0x7f.0.0.1" and "::ffff:1.2.3.04", which the URL parser refuses, so only the group expansion is ours.
 * - RFC 5952 formatting stays ours: a dozen lines, pinned against the URL parser's own serialisation in the tests.
 * Range classification is node:net's BlockList in url-safety.ts, with the forbidden list as the product's policy.
 */

export interface IpLiteral {
  family: 4 | 6;
  /** Dotted-quad for IPv4; RFC 5952 compressed lowercase hex for IPv6 (embedded IPv4 shown as hex, as WHATWG URL does). */
  address: string;
}

function parseIpv4Number(part: string): number | null {
  let digits = part;
  let radix = 10;
  if (/^0[xX]/.test(digits)) {
    digits = digits.slice(2);
    radix = 16;
  } else if (digits.length > 1 && digits.startsWith('0')) {
    digits = digits.slice(1);
    radix = 8;
  }
  // WHATWG treats a bare "0x" as zero.
  if (digits === '') return 0;
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(digits) ? parseInt(digits, radix) : null;
}

/*
 * WHATWG URL's IPv4 parser (a superset of inet_aton): one to four parts, each decimal, 0x-hex or
 * 0-octal; the last part fills all remaining bytes, so `127.1` is 127.0.0.1 and `2130706433` is too.
 */
export function parseIpv4(host: string): number | null {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4 || parts.includes('')) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Number(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function groupsOf(text: string): number[] {
  if (text === '') return [];
  return text.split(':').flatMap((group) => {
    if (!group.includes('.')) return [parseInt(group, 16)];
    const v4 = parseIpv4(group)!;
    return [Math.floor(v4 / 65536), v4 % 65536];
  });
}

/** The eight 16-bit groups of an IPv6 address (zone id ignored), or null if it is not one. */
export function parseIpv6(host: string): number[] | null {
  const withoutZone = host.replace(/%.*$/, '');
  if (!isIPv6(withoutZone)) return null;
  const [head, tail] = withoutZone.split('::') as [string, string | undefined];
  const headGroups = groupsOf(head);
  if (tail === undefined) return headGroups;
  const tailGroups = groupsOf(tail);
  return [...headGroups, ...new Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups collapsed to `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; i++) {
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The address a host denotes if it is an IP literal (brackets optional for IPv6), else null for a hostname. */
export function parseIpLiteral(host: string): IpLiteral | null {
  const trimmed = host.trim();
  const unbracketed = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1).replace(/%25/, '%') : trimmed;
  if (unbracketed.includes(':')) {
    const groups = parseIpv6(unbracketed);
    return groups ? { family: 6, address: formatIpv6(groups) } : null;
  }
  const v4 = parseIpv4(unbracketed);
  return v4 === null ? null : { family: 4, address: formatIpv4(v4) };
}
