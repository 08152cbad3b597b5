// The cluster's Temporal UI: it serves, and finds a workspace's workflows by Hookline's search attribute.
import { cluster } from '../support/cluster';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { eventually } from '../support/hookline-harness';
import { startReceiver, type Receiver } from '../support/receiver';

describe('the Temporal UI of the cluster', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  it('lists the workflows of a workspace queried by HooklineWorkspaceId', async () => {
    const { replicas, uiUrl } = cluster();
    expect(uiUrl).toBeDefined();
    expect((await fetch(`${uiUrl}/`)).status).toBe(200);
    const workspace = await replicas[0].createWorkspace('UI');
    await makeDestination(replicas[0], workspace.key, { url: `${receiver.url}/ui`, event_types: ['*'] });
    const eventId = await postEvent(replicas[1], workspace.key, { type: 'contact.created', data: { id: 'c_ui' } });
    await onlyDeliveryOf(replicas[0], workspace.key, eventId, 'succeeded');

    const query = encodeURIComponent(`HooklineWorkspaceId = "${workspace.id}"`);
    const listed = await eventually(async () => {
      const answer = (await (await fetch(`${uiUrl}/api/v1/namespaces/default/workflows?query=${query}`)).json()) as {
        executions?: Array<{ type: { name: string } }>;
      };
      return answer.executions?.length ? answer.executions : undefined;
    }, "the UI to list the workspace's workflow");
    expect(listed.map((e) => e.type.name)).toEqual(['deliverEventWorkflow']);
  });
});
