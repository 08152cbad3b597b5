// The codec endpoint of Temporal's codec-server protocol: an operator opts in to reading decrypted payloads in the Temporal UI.
import type { Payload } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { HooklinePayloadCodec } from '../../orchestration/payload-codec';
import type { ApiDeps } from '../http/deps';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';

// Temporal's JSON form of a payload: metadata values and data in base64.
const wirePayload = z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') });
const payloadsSchema = z.object({ payloads: z.array(wirePayload).max(1_000) }).openapi('CodecPayloads');

const fromWire = (payload: z.output<typeof wirePayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
  data: new Uint8Array(Buffer.from(payload.data, 'base64')),
});
const toWire = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

/**
 * The Temporal UI calls the codec from the browser: only the origins the operator lists may (HOOKLINE_CODEC_ORIGINS),
 * and the call still needs the admin token, which the UI sends when "pass access token" is set.
 */
export function codecCors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-namespace');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-credentials', 'true');
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
}

export function registerCodecRoutes(routes: RouteTable, { config }: ApiDeps): void {
  const codec = new HooklinePayloadCodec(config.encryptionKey, config.previousEncryptionKeys);
  const directions = { decode: (payloads: Payload[]) => codec.decode(payloads), encode: (payloads: Payload[]) => codec.encode(payloads) };
  for (const [direction, run] of Object.entries(directions)) {
    routes.add({
      method: 'post',
      path: `/codec/${direction}`,
      operationId: `${direction}Payloads`,
      summary: `Temporal codec server: ${direction} payloads (Hookline encrypts every payload it writes to Temporal)`,
      tag: 'Operations',
      access: 'admin',
      body: payloadsSchema,
      responses: { 200: { description: `The ${direction}d payloads`, schema: payloadsSchema } },
      handler: async ({ body }) => ({ status: 200, body: { payloads: (await run(body.payloads.map(fromWire))).map(toWire) } }),
    });
  }
}
