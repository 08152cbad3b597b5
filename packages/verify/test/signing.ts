// Signs test requests the way the Standard Webhooks and hex HMAC specifications say, independently of the code under test.
import { createHmac } from 'node:crypto';

export const SECRET = 'whsec_' + Buffer.from('hookline-verify-package-test-key-32b').toString('base64');
export const BODY = JSON.stringify({ id: 'evt_1', type: 'contact.created', timestamp: '2025-01-15T09:30:00.000Z', workspace_id: 'ws_1', data: { id: 'c_42' } });

export function standardHeaders(body: string, options: { secret?: string; id?: string; timestamp?: number } = {}): Record<string, string> {
  const secret = options.secret ?? SECRET;
  const id = options.id ?? 'dlv_1';
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

export function hexSignature(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
