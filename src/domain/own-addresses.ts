// Which addresses are this machine's own: loopback and its interfaces' (listed by the caller, so the rule stays pure).

/** The shape of `os.networkInterfaces()`: the addresses of each interface. */
export type InterfaceAddresses = Record<string, readonly { address: string }[] | undefined>;

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d), as sockets report IPv4 peers on a dual-stack listener, read as IPv4. */
export function plainAddress(address: string): string {
  return address.replace(/^::ffff:/i, '');
}

export function ownAddresses(interfaces: InterfaceAddresses): ReadonlySet<string> {
  const own = new Set(['127.0.0.1', '::1']);
  for (const entries of Object.values(interfaces)) for (const entry of entries ?? []) own.add(plainAddress(entry.address));
  return own;
}

/** The whole of 127/8 is loopback, whatever the interfaces list. */
export function isOwnAddress(address: string, own: ReadonlySet<string>): boolean {
  const plain = plainAddress(address);
  return own.has(plain) || plain.startsWith('127.');
}
