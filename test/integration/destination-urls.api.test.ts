// Destination URL rules through the API: schemes, private addresses in every spelling, and no loops back to Hookline.
import { hostname } from 'node:os';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { destinationBody, refusal } from './destination-fixtures';

const OWN_PUBLIC_URL = 'https://hookline.example.net';

describe('destination URL rules', () => {
  describe('in production settings (https only, no private destinations)', () => {
    let harness: ApiHarness;
    let key: string;

    beforeAll(async () => {
      harness = await startApiHarness({
        HOOKLINE_ALLOW_HTTP: 'false',
        HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'false',
        HOOKLINE_PUBLIC_URL: OWN_PUBLIC_URL,
      });
      ({ key } = await harness.createWorkspace('url rules'));
    });

    afterAll(async () => {
      await harness.close();
    });

    const create = (url: string) => harness.request('POST', '/v1/destinations', { key, body: destinationBody({ url }) });

    it('accepts an https URL on a public host name, with placeholders in path and query', async () => {
      const response = await create('https://api.example.com/hooks/{{event.type}}?contact={{data.id}}');
      expect(response.status).toBe(201);
      expect(response.body.url).toBe('https://api.example.com/hooks/{{event.type}}?contact={{data.id}}');
    });

    it.each([
      ['a relative URL', '/hooks/in'],
      ['a bare host name', 'hooks.example.com'],
      ['text that is not a URL', 'not a url at all'],
      ['a placeholder in the host', 'https://{{data.host}}/in'],
    ])('refuses %s with 422 invalid_url', async (_label, url) => {
      expect(refusal(await create(url))).toEqual({ status: 422, code: 'invalid_url' });
    });

    it.each([
      ['plain http', 'http://hooks.example.com/in'],
      ['ftp', 'ftp://hooks.example.com/in'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a file: URL', 'file:///etc/passwd'],
    ])('refuses %s with 422 scheme_not_allowed', async (_label, url) => {
      expect(refusal(await create(url))).toEqual({ status: 422, code: 'scheme_not_allowed' });
    });

    it('refuses credentials in the URL with 422 credentials_in_url', async () => {
      expect(refusal(await create('https://user:pass@hooks.example.com/in'))).toEqual({ status: 422, code: 'credentials_in_url' });
    });

    it.each([
      ['loopback', 'https://127.0.0.1/in'],
      ['loopback elsewhere in 127/8', 'https://127.5.6.7/in'],
      ['loopback in decimal form', 'https://2130706433/in'],
      ['loopback in hex form', 'https://0x7f000001/in'],
      ['loopback in octal form', 'https://0177.0.0.1/in'],
      ['loopback in short form', 'https://127.1/in'],
      ['loopback as IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/in'],
      ['IPv6 loopback', 'https://[::1]/in'],
      ['the unspecified address', 'https://0.0.0.0/in'],
      ['10/8', 'https://10.1.2.3/in'],
      ['172.16/12', 'https://172.20.0.1/in'],
      ['192.168/16', 'https://192.168.0.10/in'],
      ['link-local', 'https://169.254.10.20/in'],
      ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data'],
      ['the metadata address in mixed hex and octal', 'https://0xa9.0376.43518/latest'],
      ['IPv6 unique-local fc00::/7', 'https://[fd12:3456::1]/in'],
      ['IPv6 link-local', 'https://[fe80::1]/in'],
      ['localhost by name', 'https://localhost/in'],
      ['a .localhost name', 'https://api.localhost/in'],
    ])('refuses %s with 422 private_address', async (_label, url) => {
      expect(refusal(await create(url))).toEqual({ status: 422, code: 'private_address' });
    });

    it('refuses a URL on its own public URL with 422 self_reference', async () => {
      expect(refusal(await create(`${OWN_PUBLIC_URL}/v1/events`))).toEqual({ status: 422, code: 'self_reference' });
    });

    it('applies the same rules when the URL is changed with PATCH', async () => {
      const created = await create('https://api.example.com/in');
      const response = await harness.request('PATCH', `/v1/destinations/${created.body.id}`, { key, body: { url: 'https://10.0.0.1/in' } });
      expect(refusal(response)).toEqual({ status: 422, code: 'private_address' });
      const read = await harness.request('GET', `/v1/destinations/${created.body.id}`, { key });
      expect(read.body.url).toBe('https://api.example.com/in');
    });
  });

  describe('with http and private destinations allowed (tests and development)', () => {
    let harness: ApiHarness;
    let key: string;

    beforeAll(async () => {
      harness = await startApiHarness({ HOOKLINE_ALLOW_HTTP: 'true', HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'true' });
      ({ key } = await harness.createWorkspace('lenient url rules'));
    });

    afterAll(async () => {
      await harness.close();
    });

    const create = (url: string) => harness.request('POST', '/v1/destinations', { key, body: destinationBody({ url }) });

    it('accepts plain http to a private address', async () => {
      expect((await create('http://10.0.0.5:8080/in')).status).toBe(201);
      expect((await create('http://127.0.0.1:9/receiver')).status).toBe(201);
    });

    it('still refuses a URL pointing at this API with 422 self_reference', async () => {
      const own = new URL(harness.baseUrl);
      const spellings = [
        `${harness.baseUrl}/v1/events`,
        `http://localhost:${own.port}/v1/events`,
        `http://127.0.0.1:${own.port}/v1/events`,
        `http://2130706433:${own.port}/v1/events`,
        `http://[::1]:${own.port}/v1/events`,
      ];
      for (const url of spellings) {
        expect({ url, ...refusal(await create(url)) }).toEqual({ url, status: 422, code: 'self_reference' });
      }
    });

    it("refuses this machine's own host name on the API's port with 422 self_reference, on create and on PATCH", async () => {
      const own = new URL(harness.baseUrl);
      const url = `http://${hostname()}:${own.port}/v1/events`;
      expect(refusal(await create(url))).toEqual({ status: 422, code: 'self_reference' });
      const created = await create('http://10.0.0.5:8080/in');
      const patched = await harness.request('PATCH', `/v1/destinations/${created.body.id}`, { key, body: { url } });
      expect(refusal(patched)).toEqual({ status: 422, code: 'self_reference' });
    });

    it("accepts this machine's host name on another port (a local receiver)", async () => {
      const own = Number(new URL(harness.baseUrl).port);
      const other = own === 65_535 ? own - 1 : own + 1;
      expect((await create(`http://${hostname()}:${other}/receiver`)).status).toBe(201);
    });

    it('accepts another port on loopback (a local receiver)', async () => {
      const own = Number(new URL(harness.baseUrl).port);
      const other = own === 65_535 ? own - 1 : own + 1;
      expect((await create(`http://127.0.0.1:${other}/receiver`)).status).toBe(201);
    });
  });
});
