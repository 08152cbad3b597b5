// Every documented route, fed generated and hostile input from /openapi.json: no 5xx, no hang, and nothing left stuck.
import fc from 'fast-check';
import { makeDestination } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

const RUNS_PER_OPERATION = 12;
// A request that takes longer than this has hung, as far as a client is concerned.
const HANG_MS = 5_000;

type Operation = { method: string; path: string; security: 'admin' | 'workspace' | 'public'; query: string[] };

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '\u0000',
    '%00',
    '%E0%A4%A',
    '..',
    '../../etc/passwd',
    '\ud83d',
    '0000-01-01T00:00:00Z',
    '9'.repeat(400),
    '<img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    '{{data.x}}',
    '__proto__',
  ),
);
const hostileBody = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.constantFrom('name', 'url', 'type', 'data', 'event_types', 'headers', 'schema', 'secret', 'enabled', 'filter'),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map((value) => JSON.stringify(value)),
  fc.constantFrom('[', '{"a":', '['.repeat(5_000), 'not json', '{"__proto__":{"x":1}}', '{"data":"\\u0000"}'),
);

describe('the documented API under generated input', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;
  let workspace: { id: string; key: string };
  let operations: Operation[];
  let ids: string[];

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '100ms', HOOKLINE_RETRY_JITTER: '0' });
    receiver = await startReceiver(() => ({ status: 200 }));
    workspace = await hookline.createWorkspace('fuzz');
    const destination = await makeDestination(hookline, workspace.key, { url: `${receiver.url}/fuzz`, event_types: ['*'] });
    ids = [destination.id, workspace.id, 'contact.created', 'dst_00000000000000000000000000'];
    const document = (await hookline.request('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[]; parameters?: { in: string; name: string }[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => {
        const scheme = Object.keys(operation.security?.[0] ?? {})[0];
        return {
          method: method.toUpperCase(),
          path,
          security: scheme === 'adminToken' ? 'admin' : scheme === 'workspaceKey' ? 'workspace' : 'public',
          query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        } as Operation;
      }),
    );
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  it('answers every generated request below 500, in the error shape, without hanging', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.constantFrom(...ids), hostileText), { minLength: 3, maxLength: 3 }),
          fc.array(fc.tuple(fc.constantFrom(...operation.query, 'limit', 'cursor'), hostileText), { maxLength: 3 }),
          fc.option(hostileBody, { nil: undefined }),
          async (segments, query, body) => {
            let n = 0;
            // Raw %-sequences go as they are (malformed escapes on purpose); anything else is encoded as a client would.
            const path = operation.path.replace(/\{[^}]+\}/g, () => {
              const segment = segments[n++] ?? 'x';
              return segment.startsWith('%') ? segment : encodeURIComponent(segment.toWellFormed());
            });
            const search = new URLSearchParams(query).toString();
            const headers: Record<string, string> = { 'content-type': 'application/json' };
            if (operation.security === 'admin') headers.authorization = `Bearer ${hookline.adminToken}`;
            if (operation.security === 'workspace') headers.authorization = `Bearer ${workspace.key}`;
            const url = `${hookline.baseUrl}${path}${search ? `?${search}` : ''}`;
            const response = await fetch(url, {
              method: operation.method,
              headers,
              signal: AbortSignal.timeout(HANG_MS),
              ...(body !== undefined && operation.method !== 'GET' ? { body } : {}),
            });
            const text = await response.text();
            if (response.status >= 500 && !(operation.path === '/readyz' && response.status === 503)) {
              failures.push(`${operation.method} ${url} ${body ?? ''} → ${response.status} ${text.slice(0, 200)}`);
            }
            if (response.status >= 400) expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          },
        ),
        { numRuns: RUNS_PER_OPERATION, seed: 20261201 },
      );
    }
    expect(failures).toEqual([]);
  });

  it('is ready afterwards, and leaves no workflow stuck', async () => {
    expect((await hookline.request('GET', '/readyz')).status).toBe(200);
    await eventually(
      async () => {
        let running = 0;
        for await (const _ of hookline.temporal.workflow.list({
          query: `HooklineWorkspaceId="${workspace.id}" AND ExecutionStatus="Running" AND WorkflowType!="destinationHealthWorkflow"`,
        }))
          running += 1;
        return running === 0 ? true : undefined;
      },
      'every workflow of the fuzzed workspace to finish',
      60_000,
    );
  });
});
