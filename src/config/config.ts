// The one place configuration is read: the environment, validated by a single zod schema.
import { z } from 'zod';
import { parseDuration, parseDurationList } from './duration';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A text read by `parse`, whose thrown message (naming what is wrong) becomes the variable's issue. */
const parsed = <T>(fallback: string, parse: (value: string) => T) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        return parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** An http(s) proxy URL, optionally with user:password; empty means none. Its message never repeats the value (it may hold a password). */
function parseProxyUrl(value: string): URL | null {
  if (value.trim() === '') return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '')) {
    throw new Error('expected a proxy URL such as http://proxy.internal:3128 (http or https, with no path)');
  }
  return url;
}

const duration = (fallback: string) => parsed(fallback, parseDuration);

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const envSchema = z.object({
  PORT: int(3000, 0, 65_535),
  HOST: z.string().default('0.0.0.0'),
  HOOKLINE_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (postgres://user:pass@host:5432/db)'),
  DATABASE_POOL_MAX: int(10, 1, 200),

  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  HOOKLINE_TASK_QUEUE: z.string().default('hookline'),

  HOOKLINE_ADMIN_TOKEN: z.string().min(16, 'HOOKLINE_ADMIN_TOKEN must be at least 16 characters'),
  HOOKLINE_ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'HOOKLINE_ENCRYPTION_KEY must be 32 bytes, base64-encoded')
    .transform((value) => Buffer.from(value, 'base64')),

  // Earlier values of HOOKLINE_ENCRYPTION_KEY, comma-separated: they only decrypt what was written under them.
  HOOKLINE_PREVIOUS_ENCRYPTION_KEYS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => Buffer.from(part, 'base64')),
    )
    .refine((keys) => keys.every((key) => key.length === 32), 'HOOKLINE_PREVIOUS_ENCRYPTION_KEYS must be 32-byte keys, base64-encoded, comma-separated'),

  // Origins (e.g. the Temporal UI's) allowed to call /codec/* from a browser, comma-separated.
  HOOKLINE_CODEC_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),

  HOOKLINE_ALLOW_HTTP: bool(false),
  HOOKLINE_ALLOW_PRIVATE_DESTINATIONS: bool(false),
  // Deliveries (and OAuth token requests) leave through this HTTP CONNECT proxy, e.g. for fixed source addresses.
  HOOKLINE_EGRESS_PROXY: parsed('', parseProxyUrl),
  HOOKLINE_MAX_DESTINATIONS_PER_WORKSPACE: int(100, 1, 100_000),
  HOOKLINE_MAX_PAYLOAD_BYTES: int(262_144, 1_024, 10 * 1024 * 1024),

  HOOKLINE_RETRY_SCHEDULE: parsed('5s,5m,30m,2h,5h,10h,10h', parseDurationList),
  HOOKLINE_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
  HOOKLINE_RETRY_AFTER_MIN: duration('1s'),
  HOOKLINE_RETRY_AFTER_MAX: duration('1h'),
  HOOKLINE_SECRET_ROTATION_GRACE: duration('24h'),
  HOOKLINE_MAX_REQUEST_BYTES: int(5 * 1024 * 1024, 1_024, 100 * 1024 * 1024),
  HOOKLINE_TEMPORAL_START_TIMEOUT: duration('5s'),
  HOOKLINE_HELD_RELEASE_RATE: int(50, 1, 10_000),
  HOOKLINE_RECOVERY_PROBE_MIN: duration('1m'),
  HOOKLINE_RECOVERY_PROBE_MAX: duration('1h'),

  HOOKLINE_WORKER_MAX_ACTIVITIES: int(200, 1, 10_000),
  HOOKLINE_WORKER_MAX_WORKFLOW_TASKS: int(100, 1, 10_000),
  // Unset: half the workflow-task slots, so a workspace alone runs inline and two share the worker.
  HOOKLINE_INLINE_ATTEMPTS_PER_WORKSPACE: z.coerce.number().int().min(1).max(10_000).optional(),
  HOOKLINE_HTTP_CONNECTIONS_PER_ORIGIN: int(32, 1, 1_000),
  // Small, so the relays of several workers share a burst (each start is eager, to its own worker) rather than one taking it all.
  HOOKLINE_RELAY_BATCH: int(20, 1, 1_000),
  HOOKLINE_RELAY_POLL: duration('1s'),
  HOOKLINE_RELAY_LEASE: duration('1m'),
  // Data lifecycle: how often the retention schedule purges, events per batch, and the shortest window a workspace may set.
  HOOKLINE_PURGE_INTERVAL: duration('10m'),
  HOOKLINE_PURGE_BATCH: int(1_000, 1, 100_000),
  // The share of time a purge run spends in PostgreSQL: it rests between batches, so live traffic keeps the CPU it needs.
  HOOKLINE_PURGE_DUTY: z.coerce.number().gt(0).max(1).default(0.25),
  HOOKLINE_MIN_RETENTION: duration('1h'),
  // Unset: the worker's workflow-task slots, so what a relay starts can run at once and the rest waits in the outbox.
  HOOKLINE_RELAY_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).optional(),
  HOOKLINE_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  HOOKLINE_WORKER_DEPLOYMENT: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, - and _')
    .default('hookline'),
  // Unset: derived from the workflow bundle, so the build id changes exactly when the workflow code does.
  HOOKLINE_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ., - and _')
    .optional(),

  HOOKLINE_METRICS_PORT: int(9464, 0, 65_535),
  HOOKLINE_SDK_METRICS_PORT: int(9465, 0, 65_535),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  database: { url: string; poolMax: number };
  /** `startTimeoutMs` bounds a workflow start: past it the API answers 503 rather than holding the request. */
  temporal: { address: string; namespace: string; taskQueue: string; startTimeoutMs: number };
  adminToken: string;
  encryptionKey: Buffer;
  /** Keys before a rotation: they decrypt Temporal payloads of workflows still in flight, never encrypt. */
  previousEncryptionKeys: Buffer[];
  /** Browser origins allowed to call the codec endpoint (the Temporal UI's). */
  codecOrigins: string[];
  destinations: {
    allowHttp: boolean;
    allowPrivate: boolean;
    maxPerWorkspace: number;
    /** Every delivery's connection is a CONNECT tunnel through it, to the address Hookline checked; null: direct. */
    egressProxy: URL | null;
  };
  ingestion: { maxPayloadBytes: number };
  delivery: {
    /** Delays before attempt 2, 3, …; the first attempt is immediate. Its length + 1 is the default attempt cap. */
    retryScheduleMs: number[];
    retryJitter: number;
    retryAfterMinMs: number;
    retryAfterMaxMs: number;
    secretRotationGraceMs: number;
    /** A rendered request larger than this is a template error, not a retry. */
    maxRequestBytes: number;
  };
  health: {
    /** Held deliveries released per second when a destination is re-enabled, oldest first. */
    releaseRatePerSecond: number;
    /** The auto-recover probe's first and longest delay; it doubles in between. */
    probeMinMs: number;
    probeMaxMs: number;
  };
  worker: {
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    /** Events of one workspace with inline first attempts in flight in one worker; past it they go to delivery workflows. */
    inlineAttemptsPerWorkspace: number;
    connectionsPerOrigin: number;
    /** A prebuilt workflow bundle; unset, the worker bundles the workflow sources at start (several seconds). */
    workflowBundlePath: string | undefined;
    /** The Worker Deployment this worker's build joins; a workflow pinned to a build runs only on that build. */
    deploymentName: string;
    /** This build's id; undefined, the worker derives it from the workflow bundle. */
    buildId: string | undefined;
  };
  /** The outbox relay every worker runs: events per claim, the fallback poll, and how long a claimed start is its own. */
  relay: { batch: number; pollMs: number; leaseMs: number; inFlight: number };
  /** The purge's schedule and batch, and the shortest retention window a workspace may choose. */
  retention: { purgeIntervalMs: number; purgeBatch: number; purgeDuty: number; minSeconds: number };
  metrics: {
    /** The worker's /metrics port (the API serves /metrics on its own port); 0 turns it off. */
    workerPort: number;
    /** Loopback port of the Temporal runtime's Prometheus exporter, included in the worker's /metrics; 0 turns it off. */
    sdkPort: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment once; every failure names the variable and what it expects. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.HOOKLINE_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.HOOKLINE_TASK_QUEUE,
      startTimeoutMs: e.HOOKLINE_TEMPORAL_START_TIMEOUT,
    },
    adminToken: e.HOOKLINE_ADMIN_TOKEN,
    encryptionKey: e.HOOKLINE_ENCRYPTION_KEY,
    previousEncryptionKeys: e.HOOKLINE_PREVIOUS_ENCRYPTION_KEYS,
    codecOrigins: e.HOOKLINE_CODEC_ORIGINS,
    destinations: {
      allowHttp: e.HOOKLINE_ALLOW_HTTP,
      allowPrivate: e.HOOKLINE_ALLOW_PRIVATE_DESTINATIONS,
      maxPerWorkspace: e.HOOKLINE_MAX_DESTINATIONS_PER_WORKSPACE,
      egressProxy: e.HOOKLINE_EGRESS_PROXY,
    },
    ingestion: { maxPayloadBytes: e.HOOKLINE_MAX_PAYLOAD_BYTES },
    delivery: {
      retryScheduleMs: e.HOOKLINE_RETRY_SCHEDULE,
      retryJitter: e.HOOKLINE_RETRY_JITTER,
      retryAfterMinMs: e.HOOKLINE_RETRY_AFTER_MIN,
      retryAfterMaxMs: e.HOOKLINE_RETRY_AFTER_MAX,
      secretRotationGraceMs: e.HOOKLINE_SECRET_ROTATION_GRACE,
      maxRequestBytes: e.HOOKLINE_MAX_REQUEST_BYTES,
    },
    health: {
      releaseRatePerSecond: e.HOOKLINE_HELD_RELEASE_RATE,
      probeMinMs: e.HOOKLINE_RECOVERY_PROBE_MIN,
      probeMaxMs: e.HOOKLINE_RECOVERY_PROBE_MAX,
    },
    worker: {
      maxConcurrentActivities: e.HOOKLINE_WORKER_MAX_ACTIVITIES,
      maxConcurrentWorkflowTasks: e.HOOKLINE_WORKER_MAX_WORKFLOW_TASKS,
      inlineAttemptsPerWorkspace: e.HOOKLINE_INLINE_ATTEMPTS_PER_WORKSPACE ?? Math.max(1, Math.floor(e.HOOKLINE_WORKER_MAX_WORKFLOW_TASKS / 2)),
      connectionsPerOrigin: e.HOOKLINE_HTTP_CONNECTIONS_PER_ORIGIN,
      workflowBundlePath: e.HOOKLINE_WORKFLOW_BUNDLE,
      deploymentName: e.HOOKLINE_WORKER_DEPLOYMENT,
      buildId: e.HOOKLINE_BUILD_ID,
    },
    relay: {
      batch: e.HOOKLINE_RELAY_BATCH,
      pollMs: e.HOOKLINE_RELAY_POLL,
      leaseMs: e.HOOKLINE_RELAY_LEASE,
      inFlight: e.HOOKLINE_RELAY_IN_FLIGHT ?? e.HOOKLINE_WORKER_MAX_WORKFLOW_TASKS,
    },
    retention: {
      purgeIntervalMs: e.HOOKLINE_PURGE_INTERVAL,
      purgeBatch: e.HOOKLINE_PURGE_BATCH,
      purgeDuty: e.HOOKLINE_PURGE_DUTY,
      minSeconds: Math.max(1, Math.round(e.HOOKLINE_MIN_RETENTION / 1000)),
    },
    metrics: { workerPort: e.HOOKLINE_METRICS_PORT, sdkPort: e.HOOKLINE_SDK_METRICS_PORT },
  };
}
