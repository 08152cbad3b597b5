// One workspace's slow, flooded receiver does not delay another workspace's deliveries.
import { makeDestination, postEvent } from '../support/delivery-helpers';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

const NOISY_EVENTS = 40;

describe('a noisy workspace and a quiet one', () => {
  let hookline: HooklineHarness;
  let slow: Receiver;
  let quick: Receiver;

  beforeAll(async () => {
    // Few workflow-task slots, so that a tenant holding them all would show (without the per-workspace share of
    // inline attempts, this spec fails: the quiet event waits behind the flood); two inline attempts per workspace.
    hookline = await startHookline({ HOOKLINE_WORKER_MAX_WORKFLOW_TASKS: '20', HOOKLINE_INLINE_ATTEMPTS_PER_WORKSPACE: '2' });
    // Answers, but only after 8 s: a tenant's overloaded CRM.
    slow = await startReceiver(() => ({ status: 200, delayMs: 8_000 }));
    quick = await startReceiver(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await Promise.all([slow?.close(), quick?.close()]);
    await hookline?.close();
  });

  it('delivers the quiet workspace’s event before the noisy workspace’s slow receiver has answered once', async () => {
    const noisy = await hookline.createWorkspace('noisy');
    const quiet = await hookline.createWorkspace('quiet');
    await makeDestination(hookline, noisy.key, { url: `${slow.url}/crm`, event_types: ['*'] });
    await makeDestination(hookline, quiet.key, { url: `${quick.url}/crm`, event_types: ['*'] });

    await Promise.all(Array.from({ length: NOISY_EVENTS }, (_, n) => postEvent(hookline, noisy.key, { type: 'contact.updated', data: { n } })));
    // The slow receiver holds requests for 8 s: the flood is in flight when the quiet workspace posts.
    await slow.waitForRequests(2);
    await postEvent(hookline, quiet.key, { type: 'contact.created', data: { id: 'c_quiet' } });
    await quick.waitForRequests(1);
    const answeredByTheSlowReceiver = await succeededCount(noisy.key);
    expect(answeredByTheSlowReceiver).toBe(0);

    // And nothing of the flood is lost: every noisy event is delivered in the end.
    await eventually(async () => ((await succeededCount(noisy.key)) === NOISY_EVENTS ? true : undefined), 'the flood to drain', 60_000);
  });

  async function succeededCount(key: string): Promise<number> {
    const page = await hookline.request('GET', '/v1/deliveries?status=succeeded&limit=100', { key });
    return page.body.data.length;
  }
});
