// `npm run receiver`: a tiny webhook receiver that prints each delivery and whether its signature verifies.
import { createServer } from 'node:http';
import { verifyWebhook } from '@hookline/verify';
import { loadReceiverSettings } from '../config/dev-settings';

const settings = loadReceiverSettings();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = req.headers;
    const verified = verifyWebhook({
      headers,
      body,
      secret: settings.RECEIVER_SECRET,
      scheme: settings.RECEIVER_SCHEME,
      ...(settings.RECEIVER_SIGNATURE_HEADER ? { header: settings.RECEIVER_SIGNATURE_HEADER } : {}),
    });
    let pretty = body;
    try {
      pretty = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // not JSON: print as received
    }
    console.log(
      [
        `── ${new Date().toISOString()}  ${req.method} ${req.url}`,
        `   webhook-id: ${String(headers['webhook-id'] ?? '-')}   signature: ${verified ? 'verified ✔' : 'INVALID ✘'}`,
        pretty.replace(/^/gm, '   '),
      ].join('\n'),
    );
    // A real receiver must refuse what it cannot verify; 401 makes the mismatch visible in Hookline's history.
    res.writeHead(verified ? settings.RECEIVER_STATUS : 401, { 'content-type': 'text/plain' });
    res.end(verified ? 'received\n' : 'signature did not verify\n');
  });
});

server.listen(settings.RECEIVER_PORT, '127.0.0.1', () => {
  console.log(`receiver listening on http://127.0.0.1:${settings.RECEIVER_PORT}/ (answers ${settings.RECEIVER_STATUS}; verifies ${settings.RECEIVER_SCHEME})`);
});
