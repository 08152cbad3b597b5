import { ForbiddenAddressError, checkDestinationUrl, isForbiddenAddress, parseIpLiteral, type DestinationUrlRules } from '../../src/domain/url-safety';

const production: DestinationUrlRules = { allowHttp: false, allowPrivate: false, selfOrigins: ['https://hooks.example.com'] };
const development: DestinationUrlRules = { allowHttp: true, allowPrivate: true, selfOrigins: ['http://localhost:3000'] };

function problem(raw: string, rules: DestinationUrlRules = production): string {
  const result = checkDestinationUrl(raw, rules);
  return result.ok ? 'ok' : result.code;
}

describe('IP literal parsing', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0X7F000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0177.0000.0000.0001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['10.1.1', '10.1.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0x7f.0.0.01', '127.0.0.1'],
    ['0xa9.0376.43518', '169.254.169.254'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0x', '0.0.0.0'],
    ['0x.1', '0.0.0.1'],
    ['0', '0.0.0.0'],
    ['4294967295', '255.255.255.255'],
  ])('reads the IPv4 spelling %s as %s', (host, address) => {
    expect(parseIpLiteral(host)).toEqual({ family: 4, address });
  });

  it.each(['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '10.1.1', '0x7f.1', '0xa9.0376.43518', '1.256', '127.0.0.1.', '0x', '0x.1', '012345670123'])(
    'agrees with the WHATWG URL parser on %s',
    (host) => {
      expect(parseIpLiteral(host)?.address).toBe(new URL(`http://${host}/`).hostname.replace(/\.$/, ''));
    },
  );

  it.each(['example.com', 'localhost', '1.2.3.4.5', '256.1.1.1', '4294967296', '08.0.0.1', '0xg.1', '1..2', ''])(
    'does not treat %j as an IPv4 address',
    (host) => {
      expect(parseIpLiteral(host)).toBeNull();
    },
  );

  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['[::ffff:7f00:1]', '::ffff:7f00:1'],
    ['::127.0.0.1', '::7f00:1'],
    ['FE80::1%eth0', 'fe80::1'],
    ['[fe80::1%25eth0]', 'fe80::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
  ])('reads the IPv6 spelling %s as %s', (host, address) => {
    expect(parseIpLiteral(host)).toEqual({ family: 6, address });
  });

  it('normalises IPv6 the way the WHATWG URL parser does', () => {
    for (const host of ['::ffff:127.0.0.1', '2001:0db8:0:0:1:0:0:1', 'FD00::0001']) {
      expect(`[${parseIpLiteral(host)?.address}]`).toBe(new URL(`http://[${host}]/`).hostname);
    }
  });

  it('does not treat malformed IPv6 as an address', () => {
    expect(parseIpLiteral('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIpLiteral('::g')).toBeNull();
    expect(parseIpLiteral('00001::')).toBeNull();
  });

  it.each(['::ffff:127.1', '::ffff:0x7f.0.0.1', '::ffff:1.2.3.04', '::ffff:1.2.3.256', '1::1.2.3'])(
    'refuses %s, an embedded IPv4 spelling the WHATWG URL parser refuses too',
    (host) => {
      expect(() => new URL(`http://[${host}]/`)).toThrow();
      expect(parseIpLiteral(host)).toBeNull();
    },
  );

  it('keeps an IPv4-compatible address distinct from the IPv4-mapped one', () => {
    expect(parseIpLiteral('::127.0.0.1')?.address).toBe(new URL('http://[::127.0.0.1]/').hostname.slice(1, -1));
    expect(parseIpLiteral('::127.0.0.1')?.address).not.toBe(parseIpLiteral('::ffff:127.0.0.1')?.address);
  });
});

describe('forbidden addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '100.64.0.1',
    '100.127.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '192.0.0.8',
    '198.18.0.1',
    '198.19.255.255',
  ])('refuses IPv4 %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['2130706433', '0x7f.1', '0251.0376.0251.0376'])('refuses %s in any spelling', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['::1', '::', 'fe80::1', 'febf::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1'])('refuses IPv6 %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '::10.0.0.1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a00:1',
    '2002:a9fe:a9fe::1',
  ])('refuses IPv6 %s that embeds a forbidden IPv4 address', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2606:4700:4700::1111', '64:ff9b::8.8.8.8', '::ffff:8.8.8.8'])(
    'allows public address %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it('treats anything that is not an IP address as forbidden, failing closed', () => {
    expect(isForbiddenAddress('example.com')).toBe(true);
    expect(isForbiddenAddress('')).toBe(true);
  });

  it('are reported at connect time with a typed error carrying the address', () => {
    const error = new ForbiddenAddressError('10.0.0.5', 'internal.example.com');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ForbiddenAddressError');
    expect(error.address).toBe('10.0.0.5');
    expect(error.message).toContain('internal.example.com');
  });
});

describe('destination URL checks', () => {
  it('accepts a public https URL and returns it parsed', () => {
    const result = checkDestinationUrl('https://api.example.org/hooks?source=hookline', production);
    expect(result.ok && result.url.href).toBe('https://api.example.org/hooks?source=hookline');
  });

  it('allows public IP literals', () => {
    expect(problem('https://93.184.216.34/hook')).toBe('ok');
  });

  it('refuses relative and unparseable URLs', () => {
    expect(problem('/hooks')).toBe('invalid_url');
    expect(problem('https://')).toBe('invalid_url');
    expect(problem('not a url')).toBe('invalid_url');
  });

  it('refuses schemes other than http(s)', () => {
    for (const raw of ['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com/']) {
      expect(problem(raw, development)).toBe('scheme_not_allowed');
    }
  });

  it('refuses plain http unless the server allows it', () => {
    expect(problem('http://example.com/hook')).toBe('scheme_not_allowed');
    expect(problem('http://example.com/hook', { ...production, allowHttp: true })).toBe('ok');
  });

  it('refuses credentials in the URL', () => {
    expect(problem('https://user:pass@example.com/')).toBe('credentials_in_url');
    expect(problem('https://token@example.com/')).toBe('credentials_in_url');
  });

  it.each([
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0x7f000001/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://10.1.1/',
    'https://0x7f.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://0.0.0.0/',
    'https://localhost/',
    'https://LOCALHOST./',
    'https://api.localhost/',
    'https://１２７.０.０.１/',
  ])('refuses the private address %s', (raw) => {
    expect(problem(raw)).toBe('private_address');
  });

  it('allows private addresses when the server is configured for them', () => {
    expect(problem('http://127.0.0.1:4000/hook', development)).toBe('ok');
    expect(problem('http://localhost:4000/hook', development)).toBe('ok');
  });

  it('refuses URLs that point back at this server, even when private addresses are allowed', () => {
    for (const raw of [
      'http://localhost:3000/v1/events',
      'http://127.0.0.1:3000/',
      'http://127.0.0.2:3000/',
      'http://[::1]:3000/',
      'http://0.0.0.0:3000/',
      'http://2130706433:3000/',
      'http://LocalHost:3000/x',
    ]) {
      expect(problem(raw, development)).toBe('self_reference');
    }
    expect(problem('https://hooks.example.com/v1/events')).toBe('self_reference');
    expect(problem('https://HOOKS.example.com:443/')).toBe('self_reference');
  });

  it('does not treat another port or scheme on the same host as this server', () => {
    expect(problem('http://localhost:3001/', development)).toBe('ok');
    expect(problem('https://hooks.example.com:8443/')).toBe('ok');
  });

  it('accepts placeholders in the path and query, checking with harmless stand-ins', () => {
    const result = checkDestinationUrl('https://example.com/contacts/{{ data.id }}?type={{event.type}}', production);
    expect(result.ok && result.url.href).toBe('https://example.com/contacts/x?type=x');
  });

  it('refuses placeholders in the host, port or credentials, saying so', () => {
    for (const raw of ['https://{{data.host}}/x', 'https://{{data.tenant}}.example.com/x', 'https:{{data.host}}/x', 'https://example.com:{{data.port}}/']) {
      const result = checkDestinationUrl(raw, production);
      expect(result).toEqual({ ok: false, code: 'invalid_url', message: expect.stringMatching(/placeholders are (not allowed|allowed only)/) });
    }
  });

  it('refuses malformed placeholders and unknown variables', () => {
    expect(problem('https://example.com/{{data.id')).toBe('invalid_url');
    expect(problem('https://example.com/{{ }}')).toBe('invalid_url');
    expect(problem('https://example.com/{{payload.id}}')).toBe('invalid_url');
  });
});
