// Settings of the developer tools (`npm run dev`, `npm run receiver`), read from env through zod like the app's.
import { z } from 'zod';
import { ConfigError, type Env } from './config';

/** The receiver's default secret, also in the README's example, so a first delivery verifies without copying secrets around. */
export const DEV_RECEIVER_SECRET = `whsec_${Buffer.from('hookline-dev-receiver-secret-32b').toString('base64')}`;
export const DEV_ADMIN_TOKEN = 'hookline-dev-admin-token';

const devSchema = z.object({
  HOOKLINE_DATA_DIR: z.string().default('.data'),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65_535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65_535).default(8233),
  DATABASE_URL: z.string().optional(),
  // Below Linux's ephemeral range (32768–60999), where an outgoing connection may hold a port nothing listens on.
  HOOKLINE_PGLITE_PORT: z.coerce.number().int().min(1).max(65_535).default(15432),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
});

export type DevSettings = z.infer<typeof devSchema>;

const receiverSchema = z.object({
  RECEIVER_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  RECEIVER_SECRET: z.string().min(16).default(DEV_RECEIVER_SECRET),
  RECEIVER_SCHEME: z.enum(['standard_webhooks', 'hmac_sha256_hex']).default('standard_webhooks'),
  RECEIVER_SIGNATURE_HEADER: z.string().optional(),
  RECEIVER_STATUS: z.coerce.number().int().min(100).max(599).default(200),
});

export type ReceiverSettings = z.infer<typeof receiverSchema>;

function parse<T extends z.ZodType>(schema: T, env: Env): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  }
  return parsed.data;
}

export function loadDevSettings(env: Env = process.env): DevSettings {
  return parse(devSchema, env);
}

export function loadReceiverSettings(env: Env = process.env): ReceiverSettings {
  return parse(receiverSchema, env);
}

/** The environment `npm run dev` gives the app: permissive for local receivers, overridable by anything set. */
export function devAppEnv(generated: { databaseUrl: string; temporalAddress: string; encryptionKey: string; pooled: boolean }, env: Env = process.env): Env {
  return {
    HOST: '127.0.0.1',
    HOOKLINE_ADMIN_TOKEN: DEV_ADMIN_TOKEN,
    HOOKLINE_ALLOW_HTTP: 'true',
    HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: 'true',
    HOOKLINE_ENCRYPTION_KEY: generated.encryptionKey,
    // PGlite is one session: a single pooled connection keeps transactions from interleaving.
    ...(generated.pooled ? {} : { DATABASE_POOL_MAX: '1' }),
    ...env,
    DATABASE_URL: generated.databaseUrl,
    TEMPORAL_ADDRESS: generated.temporalAddress,
  };
}
