// An RFC 6749 §4.4 token endpoint on loopback: checks the client either way it may authenticate, and issues tok-1, tok-2 …
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CLIENT_ID = 'hookline-client:1';
export const CLIENT_SECRET = 'oauth-client-secret-never-shown-5512';

interface TokenRequest {
  authorization: string | undefined;
  form: URLSearchParams;
}

export async function startTokenServer(answer: { expiresIn?: number; refuse?: boolean } = {}) {
  const requests: TokenRequest[] = [];
  const issued: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({ authorization: req.headers.authorization, form });
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent)
        : null;
      const [id, secret] = basic ?? [form.get('client_id'), form.get('client_secret')];
      res.setHeader('content-type', 'application/json');
      if (answer.refuse || id !== CLIENT_ID || secret !== CLIENT_SECRET || form.get('grant_type') !== 'client_credentials') {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_client', error_description: `client ${id} with secret ${secret} is unknown` }));
        return;
      }
      const token = `tok-${issued.length + 1}`;
      issued.push(token);
      res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: answer.expiresIn ?? 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`,
    requests,
    issued,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
