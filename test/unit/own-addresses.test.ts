import { isOwnAddress, ownAddresses } from '../../src/domain/own-addresses';
import { originPort } from '../../src/domain/url-safety';

describe("this machine's own addresses", () => {
  const own = ownAddresses({ lo: [{ address: '127.0.0.1' }], eth0: [{ address: '10.1.2.3' }, { address: 'fe80::1' }], down: undefined });

  it.each(['127.0.0.1', '127.0.1.1', '::1', '10.1.2.3', '::ffff:10.1.2.3', '::ffff:127.0.0.1', 'fe80::1'])('count %s as this machine', (address) => {
    expect(isOwnAddress(address, own)).toBe(true);
  });

  it.each(['10.1.2.4', '192.168.0.1', '93.184.216.34', '::2'])('do not count %s', (address) => {
    expect(isOwnAddress(address, own)).toBe(false);
  });
});

describe('the port a URL connects to', () => {
  it.each([
    ['http://example.com/in', 80],
    ['https://example.com/in', 443],
    ['https://example.com:8443/in', 8443],
    ['http://example.com:443/in', 443],
    ['ftp://example.com/in', null],
  ])('of %s is %p', (url, port) => {
    expect(originPort(new URL(url))).toBe(port);
  });
});
