// SSRF rules for destination URLs: which addresses Hookline must never call, and which URLs may be saved.
import { BlockList } from 'node:net';
import { formatIpv4, parseIpLiteral, parseIpv6 } from './ip-address';
import { TemplateError, parseTextTemplate, unknownVariableReason, type TemplateSegment } from './template-syntax';

export { parseIpLiteral, type IpLiteral } from './ip-address';

/** Thrown when a connection would reach a forbidden address (a hostname that resolved privately, or a redirect). */
export class ForbiddenAddressError extends Error {
  override name = 'ForbiddenAddressError';
  constructor(
    readonly address: string,
    readonly hostname?: string,
    why = 'private, loopback or reserved address',
  ) {
    super(`refusing to connect to ${hostname ? `${hostname} (${address})` : address}: ${why}`);
  }
}

const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including broadcast 255.255.255.255
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed privately by some networks
  ['fc00::', 7], // unique local
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/*
 * IPv6 forms that carry an IPv4 address, which the host may route to that IPv4 destination:
 * mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and local-use 64:ff9b:1::/48)
 * and 6to4 (2002:aabb:ccdd::/16). NAT64 of a public address is legitimate on IPv6-only networks,
 * so these are judged by the IPv4 address they embed.
 */
function embeddedIpv4(groups: readonly number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const low32 = formatIpv4(g6 * 65536 + g7);
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && (g5 === 0xffff || g5 === 0)) return low32;
  if (g0 === 0x64 && g1 === 0xff9b && (g2 === 0 || g2 === 1)) return low32;
  if (g0 === 0x2002) return formatIpv4(g1 * 65536 + g2);
  return null;
}

/**
 * Whether an IP address must never be called. Anything that is not an IP address counts as
 * forbidden: this guards the final connect, where failing open would defeat the check.
 */
export function isForbiddenAddress(address: string): boolean {
  const literal = parseIpLiteral(address);
  if (literal === null) return true;
  if (literal.family === 4) return forbidden.check(literal.address, 'ipv4');
  const embedded = embeddedIpv4(parseIpv6(literal.address)!);
  if (embedded !== null && forbidden.check(embedded, 'ipv4')) return true;
  return forbidden.check(literal.address, 'ipv6');
}

function withoutTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function isLocalhostName(host: string): boolean {
  const name = withoutTrailingDot(host.toLowerCase());
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Every spelling of "this machine" collapses to one key, so a loop cannot hide behind 127.0.0.2 or [::1]. */
function hostIdentity(hostname: string): string {
  if (isLocalhostName(hostname)) return 'loopback';
  const literal = parseIpLiteral(hostname);
  if (literal === null) return withoutTrailingDot(hostname.toLowerCase());
  const v4 = literal.family === 4 ? literal.address : embeddedIpv4(parseIpv6(literal.address)!);
  if (literal.address === '::' || literal.address === '::1') return 'loopback';
  if (v4 !== null && (v4 === '0.0.0.0' || v4.startsWith('127.'))) return 'loopback';
  return literal.address;
}

/** The port a URL connects to, its scheme's default when it names none; null for schemes without one. */
export function originPort(url: URL): number | null {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : null;
}

function originIdentity(url: URL): string {
  return `${url.protocol}//${hostIdentity(url.hostname)}:${originPort(url) ?? ''}`;
}

export interface DestinationUrlRules {
  allowHttp: boolean;
  allowPrivate: boolean;
  /**
   * Origins this Hookline serves on, including other names found (by the caller, which may resolve names) to
   * reach this machine on the API's port; a destination pointing back at them would deliver to itself forever.
   */
  selfOrigins: string[];
}

export type DestinationUrlProblem = 'invalid_url' | 'scheme_not_allowed' | 'private_address' | 'self_reference' | 'credentials_in_url';

export type DestinationUrlCheck = { ok: true; url: URL } | { ok: false; code: DestinationUrlProblem; message: string };

// Stands in for placeholders so their position in the parsed URL can be seen; letters only, so it survives host normalisation.
const PLACEHOLDER_MARK = 'hooklineplaceholdermark';

function refuse(code: DestinationUrlProblem, message: string): DestinationUrlCheck {
  return { ok: false, code, message };
}

/**
 * Write-time check of a destination URL template. Hostnames that resolve to private addresses
 * can only be caught when connecting (see ForbiddenAddressError); this refuses what the URL itself reveals.
 */
export function checkDestinationUrl(raw: string, rules: DestinationUrlRules): DestinationUrlCheck {
  let segments: TemplateSegment[];
  try {
    segments = parseTextTemplate(raw);
  } catch (error) {
    if (error instanceof TemplateError) return refuse('invalid_url', error.message);
    throw error;
  }
  const placeholders = segments.filter((s) => s.kind === 'placeholder');
  for (const placeholder of placeholders) {
    const reason = unknownVariableReason(placeholder.path);
    if (reason !== null) return refuse('invalid_url', reason);
  }
  const fill = (token: string) => segments.map((s) => (s.kind === 'text' ? s.text : token)).join('');

  let marked: URL;
  let url: URL;
  try {
    marked = new URL(fill(PLACEHOLDER_MARK));
    url = new URL(fill('x'));
  } catch {
    const hint = placeholders.length > 0 ? ' (placeholders are allowed only in the path and query)' : '';
    return refuse('invalid_url', `not a valid absolute URL: ${raw}${hint}`);
  }
  if (`${marked.protocol}${marked.username}${marked.password}${marked.host}`.includes(PLACEHOLDER_MARK)) {
    return refuse('invalid_url', 'placeholders are not allowed in the scheme, credentials or host; use them in the path or query');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    const allowed = rules.allowHttp ? 'http and https' : 'https';
    return refuse('scheme_not_allowed', `only ${allowed} URLs are allowed, got ${url.protocol.slice(0, -1)}`);
  }
  if (url.protocol === 'http:' && !rules.allowHttp) {
    return refuse('scheme_not_allowed', 'plain http is not allowed on this server; use https');
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('credentials_in_url', 'credentials in the URL are not allowed; send them as a header');
  }
  const identity = originIdentity(url);
  for (const origin of rules.selfOrigins) {
    if (URL.canParse(origin) && originIdentity(new URL(origin)) === identity) {
      return refuse('self_reference', `${url.origin} is this Hookline server; delivering to it would loop`);
    }
  }
  if (!rules.allowPrivate) {
    if (isLocalhostName(url.hostname)) return refuse('private_address', `${url.hostname} is a local hostname`);
    const literal = parseIpLiteral(url.hostname);
    if (literal !== null && isForbiddenAddress(literal.address)) {
      return refuse('private_address', `${url.hostname} is a private, loopback or reserved address`);
    }
  }
  return { ok: true, url };
}
