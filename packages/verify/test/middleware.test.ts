// webhookMiddleware on a plain Node server: authentic deliveries reach the handler parsed, anything else is answered 401.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookMiddleware, type VerifiedRequest } from '../src';
import { BODY, SECRET, standardHeaders } from './signing';

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('webhookMiddleware', () => {
  let server: Server;
  let url: string;
  const handled: VerifiedRequest[] = [];

  beforeAll(async () => {
    const verify = webhookMiddleware({ secret: SECRET });
    server = createServer((req, res) => {
      void verify(req, res, (error) => {
        if (error) {
          res.statusCode = 500;
          res.end(String(error));
          return;
        }
        handled.push(req as VerifiedRequest);
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('hands an authentic delivery to the handler with its parsed body, raw bytes and webhook id', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...standardHeaders(BODY, { id: 'dlv_42' }), 'content-type': 'application/json' },
      body: BODY,
    });
    expect(response.status).toBe(204);
    const request = handled.at(-1)!;
    expect(request.body).toEqual(JSON.parse(BODY));
    expect(request.rawBody.toString()).toBe(BODY);
    expect(request.webhookId).toBe('dlv_42');
  });

  it('answers 401 with the reason for a forged or stale delivery, and never calls the handler', async () => {
    const before = handled.length;
    const forged = await fetch(url, { method: 'POST', headers: standardHeaders(BODY), body: BODY.replace('c_42', 'c_0') });
    expect(forged.status).toBe(401);
    expect(await codeOf(forged)).toBe('no_matching_signature');
    const stale = await fetch(url, { method: 'POST', headers: standardHeaders(BODY, { timestamp: 1_700_000_000 }), body: BODY });
    expect(stale.status).toBe(401);
    expect(await codeOf(stale)).toBe('timestamp_out_of_tolerance');
    const unsigned = await fetch(url, { method: 'POST', body: BODY });
    expect(unsigned.status).toBe(401);
    expect(await codeOf(unsigned)).toBe('missing_headers');
    expect(handled.length).toBe(before);
  });
});
