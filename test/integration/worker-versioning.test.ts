// Worker Versioning as the Temporal UI shows it: an event workflow is pinned to the build that started it, a delivery
// workflow (it may wait for days) follows the deployment's current build, and the worker made its build current.
import { deliveryWorkflowId, eventWorkflowId } from '../../src/domain/workflow-ids';
import { eventually, startHookline, type HooklineHarness } from '../support/hookline-harness';
import { makeDestination, onlyDeliveryOf, postEvent } from '../support/delivery-helpers';
import { startReceiver, type Receiver } from '../support/receiver';

describe('Worker Versioning', () => {
  let hookline: HooklineHarness;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = await startHookline({ HOOKLINE_RETRY_SCHEDULE: '200ms', HOOKLINE_RETRY_JITTER: '0' });
    // The first attempt fails, so the delivery goes on in a delivery workflow of its own.
    let calls = 0;
    receiver = await startReceiver(() => (++calls === 1 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
  });

  afterAll(async () => {
    await receiver?.close();
    await hookline?.close();
  });

  async function versioningOf(workflowId: string) {
    const described = await hookline.temporal.workflow.getHandle(workflowId).describe();
    return described.raw.workflowExecutionInfo?.versioningInfo;
  }

  it("pins the event workflow to the worker's build and lets the delivery workflow follow the current build", async () => {
    const workspace = await hookline.createWorkspace();
    await makeDestination(hookline, workspace.key, { url: `${receiver.url}/hooks`, event_types: ['*'], max_attempts: 3 });
    const eventId = await postEvent(hookline, workspace.key, { type: 'contact.created', data: { id: 'c_1' } });
    const delivery = await onlyDeliveryOf(hookline, workspace.key, eventId, 'succeeded');

    const event = await versioningOf(eventWorkflowId(eventId));
    expect(event?.behavior).toBe(1); // VERSIONING_BEHAVIOR_PINNED
    expect(event?.deploymentVersion?.deploymentName).toBe(hookline.config.worker.deploymentName);
    expect(event?.deploymentVersion?.buildId).toMatch(/^wf-[0-9a-f]{16}$/);

    const retried = await eventually(
      async () => (await versioningOf(deliveryWorkflowId(delivery.id))) ?? undefined,
      'the delivery workflow to report its versioning',
    );
    expect(retried.behavior).toBe(2); // VERSIONING_BEHAVIOR_AUTO_UPGRADE
    expect(retried.deploymentVersion?.buildId).toBe(event?.deploymentVersion?.buildId);

    const deployment = await hookline.temporal.workflowService.describeWorkerDeployment({
      namespace: hookline.config.temporal.namespace,
      deploymentName: hookline.config.worker.deploymentName,
    });
    expect(deployment.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe(event?.deploymentVersion?.buildId);
  });
});
