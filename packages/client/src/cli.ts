#!/usr/bin/env node
// `hookline`: a thin CLI on the typed client: destinations, events, deliveries (list, follow, retry).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createHooklineClient, HooklineApiError, orThrow, type DeliverySummary, type HooklineClient } from './index';

const USAGE = `usage: hookline <command> [options]

  destinations list [--status active|inactive|auto_disabled]
  destinations create --name NAME --url URL [--event-type TYPE]... [--secret S]
                      [--scheme standard_webhooks|standard_webhooks_ed25519|hmac_sha256_hex|hmac_sha1_hex]
                      [--basic-auth USER]                  (the password from $HOOKLINE_BASIC_AUTH_PASSWORD)
                      [--oauth TOKEN_URL --oauth-client-id ID [--oauth-scope S]]  (the secret from $HOOKLINE_OAUTH_CLIENT_SECRET)
                      [--client-cert FILE --client-key FILE [--client-ca FILE]]  (mutual TLS, PEM files)
                      [--rate-limit N/SECONDS [--burst N]] [--max-concurrent N] [--ordering subject|none]
                      [--coalesce SECONDS]
  destinations control ID [--rate-limit N/SECONDS|none [--burst N]] [--max-concurrent N|none] [--ordering subject|none]
                          [--coalesce SECONDS|none]
                                                           set (or, with none, clear) delivery control; print it
  destinations queue ID                                    deliveries queued behind the limits, open requests, push-back
  destinations client-cert ID (--client-cert FILE --client-key FILE [--client-ca FILE] | --remove)
                                                           set, renew or remove the client certificate; print its expiry
  destinations rotate-key ID [--grace SECONDS]             a new ed25519 key for v1a signatures; prints its public key
  events send --type TYPE [--data JSON] [--subject S] [--idempotency-key K]
  deliveries list [--destination ID] [--event ID] [--status S] [--limit N]
  deliveries follow [--destination ID] [--interval MS]     print deliveries as they are made and change, until Ctrl-C
  deliveries get ID
  deliveries retry ID

  --api URL   Hookline's API (default $HOOKLINE_URL, else http://127.0.0.1:3000)
  --key KEY   a workspace API key (default $HOOKLINE_KEY)
  --json      print the API's JSON instead of lines
`;

const OPTIONS = {
  api: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  status: { type: 'string' },
  name: { type: 'string' },
  'event-type': { type: 'string', multiple: true },
  scheme: { type: 'string' },
  secret: { type: 'string' },
  type: { type: 'string' },
  data: { type: 'string' },
  subject: { type: 'string' },
  'idempotency-key': { type: 'string' },
  destination: { type: 'string' },
  event: { type: 'string' },
  limit: { type: 'string' },
  interval: { type: 'string' },
  'rate-limit': { type: 'string' },
  burst: { type: 'string' },
  'max-concurrent': { type: 'string' },
  ordering: { type: 'string' },
  coalesce: { type: 'string' },
  'basic-auth': { type: 'string' },
  oauth: { type: 'string' },
  'oauth-client-id': { type: 'string' },
  'oauth-scope': { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'client-ca': { type: 'string' },
  remove: { type: 'boolean' },
  grace: { type: 'string' },
} as const;

const SCHEMES = ['standard_webhooks', 'standard_webhooks_ed25519', 'hmac_sha256_hex', 'hmac_sha1_hex'] as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function count(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new UsageError(`${flag} takes a whole number, not ${value}`);
  return parsed;
}

/** `--basic-auth USER` with the password from the environment, so it stays out of shell history and `ps`. */
function basicAuthField(values: Values): { basic_auth?: { username: string; password: string } } {
  if (values['basic-auth'] === undefined) return {};
  const password = process.env.HOOKLINE_BASIC_AUTH_PASSWORD;
  if (!password) throw new UsageError('--basic-auth takes the password from $HOOKLINE_BASIC_AUTH_PASSWORD, which is not set');
  return { basic_auth: { username: values['basic-auth'], password } };
}

/** `--oauth TOKEN_URL --oauth-client-id ID`, the client secret from the environment for the same reason. */
function oauthField(values: Values): { oauth?: { token_url: string; client_id: string; client_secret: string; scope?: string } } {
  if (values.oauth === undefined) return {};
  const secret = process.env.HOOKLINE_OAUTH_CLIENT_SECRET;
  if (!secret) throw new UsageError('--oauth takes the client secret from $HOOKLINE_OAUTH_CLIENT_SECRET, which is not set');
  const scope = values['oauth-scope'];
  return {
    oauth: { token_url: values.oauth, client_id: required(values['oauth-client-id'], '--oauth-client-id'), client_secret: secret, ...(scope ? { scope } : {}) },
  };
}

/** `--client-cert cert.pem --client-key key.pem [--client-ca ca.pem]`: files, so the key never sits in a command line. */
function clientTlsField(values: Values): { client_tls?: { certificate: string; private_key: string; ca: string | null } } {
  if (values['client-cert'] === undefined && values['client-key'] === undefined) return {};
  const read = (flag: 'client-cert' | 'client-key' | 'client-ca') => {
    const path = required(values[flag], `--${flag}`);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`--${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  return {
    client_tls: { certificate: read('client-cert'), private_key: read('client-key'), ca: values['client-ca'] === undefined ? null : read('client-ca') },
  };
}

/** The client certificate as a line: whose it is and when it must be renewed. */
function clientTlsLines(tls: { subject: string; expires_at: string } | null | undefined): string[] {
  return tls ? [`client_certificate ${tls.subject}  expires ${tls.expires_at}`] : [];
}

/** `--rate-limit 10/1` (10 requests per second), `10/60s`, or `none`; absent: unchanged. */
function rateLimitOf(values: Values): { requests: number; per_seconds: number; burst: number } | null | undefined {
  const flag = values['rate-limit'];
  if (flag === undefined) return undefined;
  if (flag === 'none') return null;
  const match = /^(\d+)\/(\d+)s?$/.exec(flag);
  if (!match) throw new UsageError(`--rate-limit takes REQUESTS/SECONDS (e.g. 10/1) or none, not ${flag}`);
  return { requests: Number(match[1]), per_seconds: Number(match[2]), burst: values.burst === undefined ? 0 : count(values.burst, '--burst') };
}

function maxConcurrentOf(values: Values): number | null | undefined {
  const flag = values['max-concurrent'];
  if (flag === undefined) return undefined;
  return flag === 'none' ? null : count(flag, '--max-concurrent');
}

/** `--ordering subject` (each subject's events in order) or `none`; absent: unchanged. */
function orderingOf(values: Values): 'subject' | 'none' | undefined {
  const flag = values.ordering;
  if (flag === undefined) return undefined;
  if (flag !== 'subject' && flag !== 'none') throw new UsageError(`--ordering takes subject or none, not ${flag}`);
  return flag;
}

/** The control settings a command was given, as body fields (only those given). */
function controlFields(values: Values) {
  const rateLimit = rateLimitOf(values);
  const maxConcurrent = maxConcurrentOf(values);
  const ordering = orderingOf(values);
  const coalesce = values.coalesce === undefined ? undefined : values.coalesce === 'none' ? null : count(values.coalesce, '--coalesce');
  return {
    ...(coalesce !== undefined ? { coalesce_seconds: coalesce } : {}),
    ...(rateLimit !== undefined ? { rate_limit: rateLimit } : {}),
    ...(maxConcurrent !== undefined ? { max_concurrent_requests: maxConcurrent } : {}),
    ...(ordering !== undefined ? { ordering } : {}),
  };
}

function controlLine(destination: {
  rate_limit: { requests: number; per_seconds: number; burst: number } | null;
  max_concurrent_requests: number | null;
  ordering: 'subject' | 'none';
  coalesce_seconds: number | null;
}) {
  const rate = destination.rate_limit
    ? `rate_limit=${destination.rate_limit.requests}/${destination.rate_limit.per_seconds}s burst=${destination.rate_limit.burst}`
    : 'rate_limit=none';
  const coalesce = destination.coalesce_seconds === null ? '' : `  coalesce=${destination.coalesce_seconds}s`;
  return `${rate}  max_concurrent=${destination.max_concurrent_requests ?? 'none'}  ordering=${destination.ordering}${coalesce}`;
}

/** Why a queued delivery waits: a turn at a time, or (ordering) the earlier delivery of its subject. */
function queuedText(delivery: DeliverySummary): string {
  if (delivery.queue_reason === 'ordering') return 'ordering, after the earlier delivery of its subject';
  return `${delivery.queue_reason ?? 'rate_limit'}, turn at ${delivery.next_attempt_at ?? '-'}`;
}

function deliveryLine(delivery: DeliverySummary): string {
  const queued = delivery.status === 'queued' ? queuedText(delivery) : null;
  const outcome = queued ?? delivery.last_error ?? (delivery.last_status_code === null ? '' : `HTTP ${delivery.last_status_code}`);
  return [delivery.updated_at, delivery.id, delivery.event_type, delivery.status, `attempts=${delivery.attempt_count}`, outcome].join('  ').trimEnd();
}

function print(values: Values, json: unknown, lines: string[]): void {
  process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : lines.map((line) => `${line}\n`).join(''));
}

/** Polls the newest deliveries and prints each one that is new, or whose status or attempt count changed, since the last poll. */
async function follow(hookline: HooklineClient, values: Values): Promise<never> {
  const since = new Date().toISOString();
  const seen = new Map<string, string>();
  const interval = Number(values.interval ?? 1000);
  process.stderr.write(`following deliveries made from ${since} (Ctrl-C to stop)\n`);
  for (;;) {
    const page = orThrow(
      await hookline.GET('/v1/deliveries', {
        params: { query: { since, limit: 100, ...(values.destination ? { destination_id: values.destination } : {}) } },
      }),
    );
    for (const delivery of [...page.data].reverse()) {
      // A manual retry can end in the same status, so a new attempt counts as a change too.
      const state = `${delivery.status}/${delivery.attempt_count}`;
      if (seen.get(delivery.id) === state) continue;
      seen.set(delivery.id, state);
      print(values, delivery, [deliveryLine(delivery)]);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

async function run(command: string, positionals: string[], values: Values, hookline: HooklineClient): Promise<void> {
  switch (command) {
    case 'destinations list': {
      const status = values.status as 'active' | 'inactive' | 'auto_disabled' | undefined;
      const page = orThrow(await hookline.GET('/v1/destinations', { params: { query: { limit: 100, ...(status ? { status } : {}) } } }));
      return print(
        values,
        page,
        page.data.map((d) => [d.id, d.status, d.url, d.event_types.join(',')].join('  ')),
      );
    }
    case 'destinations create': {
      const scheme = SCHEMES.find((known) => known === values.scheme);
      if (values.scheme !== undefined && scheme === undefined) throw new UsageError(`--scheme takes one of ${SCHEMES.join(', ')}`);
      const created = orThrow(
        await hookline.POST('/v1/destinations', {
          body: {
            name: required(values.name, '--name'),
            url: required(values.url, '--url'),
            event_types: values['event-type'] ?? ['*'],
            ...(scheme ? { signature_scheme: scheme } : {}),
            ...(values.secret ? { secret: values.secret } : {}),
            ...basicAuthField(values),
            ...oauthField(values),
            ...clientTlsField(values),
            ...controlFields(values),
          },
        }),
      );
      const publicKey = created.public_key ? [`public_key ${created.public_key}  (receivers verify v1a signatures with it)`] : [];
      return print(values, created, [
        `created ${created.id}`,
        `secret ${created.secret}  (shown once: store it now)`,
        ...publicKey,
        ...clientTlsLines(created.client_tls),
      ]);
    }
    case 'destinations client-cert': {
      const id = required(positionals[0], 'ID');
      const field = values.remove ? { client_tls: null } : clientTlsField(values);
      if (!('client_tls' in field)) throw new UsageError('give --client-cert FILE --client-key FILE, or --remove');
      const updated = orThrow(await hookline.PATCH('/v1/destinations/{id}', { params: { path: { id } }, body: field }));
      return print(values, updated, updated.client_tls ? clientTlsLines(updated.client_tls) : [`${id} presents no client certificate`]);
    }
    case 'destinations rotate-key': {
      const grace = values.grace === undefined ? {} : { grace_period_seconds: count(values.grace, '--grace') };
      const id = required(positionals[0], 'ID');
      const rotated = orThrow(await hookline.POST('/v1/destinations/{id}/rotate-signing-key', { params: { path: { id } }, body: grace }));
      const previous = rotated.previous_public_key
        ? [`previous ${rotated.previous_public_key.public_key}  signs too until ${rotated.previous_public_key.expires_at}`]
        : [];
      return print(values, rotated, [`public_key ${rotated.public_key}`, ...previous]);
    }
    case 'destinations control': {
      const id = required(positionals[0], 'ID');
      const fields = controlFields(values);
      const destination =
        Object.keys(fields).length === 0
          ? orThrow(await hookline.GET('/v1/destinations/{id}', { params: { path: { id } } }))
          : orThrow(await hookline.PATCH('/v1/destinations/{id}', { params: { path: { id } }, body: fields }));
      const throttle = destination.throttle ? [`throttled until ${destination.throttle.until}: ${destination.throttle.reason}`] : [];
      return print(values, destination, [`${destination.id}  ${controlLine(destination)}`, ...throttle]);
    }
    case 'destinations queue': {
      const queue = orThrow(await hookline.GET('/v1/destinations/{id}/queue', { params: { path: { id: required(positionals[0], 'ID') } } }));
      const lines = [
        `queued=${queue.queued}  oldest=${queue.oldest_queued_at ?? '-'}  open_requests=${queue.open_requests}  ${controlLine(queue)}`,
        ...(queue.throttle ? [`throttled until ${queue.throttle.until}: ${queue.throttle.reason}`] : []),
      ];
      return print(values, queue, lines);
    }
    case 'events send': {
      const key = values['idempotency-key'];
      const accepted = orThrow(
        await hookline.POST('/v1/events', {
          body: {
            type: required(values.type, '--type'),
            data: values.data === undefined ? {} : JSON.parse(values.data),
            ...(values.subject ? { subject: values.subject } : {}),
          },
          ...(key ? { params: { header: { 'Idempotency-Key': key } } } : {}),
        }),
      );
      return print(values, accepted, [`accepted ${accepted.event_id}`]);
    }
    case 'deliveries list': {
      const query = {
        limit: Number(values.limit ?? 20),
        ...(values.destination ? { destination_id: values.destination } : {}),
        ...(values.event ? { event_id: values.event } : {}),
        ...(values.status ? { status: values.status as DeliverySummary['status'] } : {}),
      };
      const page = orThrow(await hookline.GET('/v1/deliveries', { params: { query } }));
      return print(values, page, page.data.map(deliveryLine));
    }
    case 'deliveries follow':
      return follow(hookline, values);
    case 'deliveries get': {
      const delivery = orThrow(await hookline.GET('/v1/deliveries/{id}', { params: { path: { id: required(positionals[0], 'ID') } } }));
      const attempts = delivery.attempts.map(
        (a) => `  #${a.attempt_number}  ${a.started_at}  ${a.response ? `HTTP ${a.response.status}` : (a.error?.message ?? '')}  ${a.duration_ms} ms`,
      );
      return print(values, delivery, [deliveryLine(delivery), ...attempts]);
    }
    case 'deliveries retry': {
      const retried = orThrow(await hookline.POST('/v1/deliveries/{id}/retry', { params: { path: { id: required(positionals[0], 'ID') } } }));
      return print(values, retried, [`retrying ${retried.delivery_id} (workflow ${retried.workflow_id})`]);
    }
    default:
      throw new UsageError(command.trim() === '' ? 'a command is required' : `unknown command: ${command}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 64;
  }
  const [noun = '', verb = '', ...rest] = positionals;
  const key = values.key ?? process.env.HOOKLINE_KEY;
  if (!key) throw new UsageError('set HOOKLINE_KEY (or pass --key) to a workspace API key');
  const baseUrl = values.api ?? process.env.HOOKLINE_URL ?? 'http://127.0.0.1:3000';
  await run(`${noun} ${verb}`, rest, values, createHooklineClient({ baseUrl, apiKey: key }));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`hookline: ${error.message}\n\n${USAGE}`);
    else if (error instanceof HooklineApiError) process.stderr.write(`hookline: ${error.status} ${error.code}: ${error.message}\n`);
    else process.stderr.write(`hookline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 64 : 1);
  },
);
