#!/usr/bin/env node
// `hookline`: a thin CLI on the typed client: destinations, events, deliveries (list, follow, retry).
import { parseArgs } from 'node:util';
import { createHooklineClient, HooklineApiError, orThrow, type DeliverySummary, type HooklineClient } from './index';

const USAGE = `usage: hookline <command> [options]

  destinations list [--status active|inactive|auto_disabled]
  destinations create --name NAME --url URL [--event-type TYPE]... [--scheme standard_webhooks|hmac_sha256_hex] [--secret S]
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
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function deliveryLine(delivery: DeliverySummary): string {
  const outcome = delivery.last_error ?? (delivery.last_status_code === null ? '' : `HTTP ${delivery.last_status_code}`);
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
      const scheme = values.scheme as 'standard_webhooks' | 'hmac_sha256_hex' | undefined;
      const created = orThrow(
        await hookline.POST('/v1/destinations', {
          body: {
            name: required(values.name, '--name'),
            url: required(values.url, '--url'),
            event_types: values['event-type'] ?? ['*'],
            ...(scheme ? { signature_scheme: scheme } : {}),
            ...(values.secret ? { secret: values.secret } : {}),
          },
        }),
      );
      return print(values, created, [`created ${created.id}`, `secret ${created.secret}  (shown once: store it now)`]);
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
