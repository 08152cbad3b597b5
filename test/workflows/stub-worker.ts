// Runs the real workflow bundle on the run's Temporal server with scripted activities that record every call.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { HooklineActivities } from '../../src/activities/activities';
import { deliveryStatusAttribute } from '../../src/workflows/search-attributes';
import { tracingSinks } from '../../src/observability/temporal-tracing';
import { becomeCurrentVersion, type DeploymentVersion } from '../../src/orchestration/worker-deployment';
import { versionedAs, workflowBuildId } from '../../src/worker/worker';
import { eventually } from '../support/hookline-harness';
import { testConfig, workflowBundlePath } from '../support/test-env';

// Every scripted failure would otherwise log a warning; errors still show.
if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });

type ActivityName = keyof HooklineActivities;
type InputOf<K extends ActivityName> = Parameters<HooklineActivities[K]>[0];
type ResultOf<K extends ActivityName> = Awaited<ReturnType<HooklineActivities[K]>>;

/** One activity call as the workflow made it; `attempt` is Temporal's attempt number (retries count up). */
export interface ActivityCall {
  activity: ActivityName;
  input: unknown;
  attempt: number;
}

/** What each activity answers; `attempt` lets a script fail the first tries and succeed later. */
export type ActivityScript = { [K in ActivityName]?: (input: InputOf<K>, attempt: number) => Promise<ResultOf<K>> | ResultOf<K> };

export interface StubRun {
  client: Client;
  taskQueue: string;
  calls: ActivityCall[];
  /** The calls of one activity, in order. */
  callsTo(activity: ActivityName): ActivityCall[];
}

const ACTIVITIES: ActivityName[] = ['planEventDeliveries', 'attemptDelivery', 'markDelivery', 'pauseDestination', 'wakeWaitingDeliveries', 'probeDestination'];

function stubActivities(script: ActivityScript, calls: ActivityCall[]): HooklineActivities {
  const entries = ACTIVITIES.map((activity) => {
    const stub = async (input: unknown) => {
      const attempt = Context.current().info.attempt;
      calls.push({ activity, input, attempt });
      const answer = script[activity] as ((input: unknown, attempt: number) => unknown) | undefined;
      // Non-retryable, so an unscripted call fails the workflow's test instead of retrying forever.
      if (!answer) throw ApplicationFailure.nonRetryable(`unexpected call to ${activity}`, 'UnexpectedActivity');
      return answer(input, attempt);
    };
    return [activity, stub];
  });
  return Object.fromEntries(entries) as HooklineActivities;
}

/** One environment per test file; `run` starts a worker on a task queue of its own for each test. */
export function stubWorkerEnvironment() {
  let env: TestWorkflowEnvironment | undefined;

  return {
    async setUp(): Promise<void> {
      const address = process.env.HOOKLINE_TEST_TEMPORAL_ADDRESS;
      if (!address) throw new Error('HOOKLINE_TEST_TEMPORAL_ADDRESS is not set: run the tests with `npm test`, whose global setup starts Temporal.');
      env = await TestWorkflowEnvironment.createFromExistingServer({ address });
    },

    async tearDown(): Promise<void> {
      await env?.teardown();
    },

    /** Runs `body` while a worker with the scripted activities polls its own task queue; stops the worker after. */
    async run<T>(script: ActivityScript, body: (run: StubRun) => Promise<T>): Promise<T> {
      if (!env) throw new Error('call setUp() in beforeAll first');
      const taskQueue = `workflow-test-${randomUUID()}`;
      const calls: ActivityCall[] = [];
      const worker = await Worker.create({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        workflowBundle: { codePath: workflowBundlePath() },
        activities: stubActivities(script, calls),
        // The bundle's tracing interceptors export workflow spans through this sink; here they are dropped.
        sinks: tracingSinks(null),
        workerDeploymentOptions: versionedAs(stubVersion()),
      });
      const run: StubRun = { client: env.client, taskQueue, calls, callsTo: (activity) => calls.filter((call) => call.activity === activity) };
      const connection = env.nativeConnection;
      return worker.runUntil(async () => {
        await becomeCurrentVersion(testConfig(), connection, stubVersion());
        return body(run);
      });
    },
  };
}

let version: DeploymentVersion | undefined;
/** The stub workers' own deployment, apart from the harness's, at the bundle's build. */
function stubVersion(): DeploymentVersion {
  version ??= { deploymentName: 'hookline-workflow-specs', buildId: workflowBuildId(readFileSync(workflowBundlePath(), 'utf8')) };
  return version;
}

/** Waits until the workflow's query answers `expected` (the workflow has reached that point). */
/** Waits until the workflow shows `status` in its HooklineDeliveryStatus search attribute, as the Temporal UI would. */
export async function statusReaches(handle: WorkflowHandle, status: string, what: string): Promise<void> {
  await eventually(async () => {
    const shown = (await handle.describe()).typedSearchAttributes.get(deliveryStatusAttribute);
    return (Array.isArray(shown) ? shown.includes(status) : shown === status) ? true : undefined;
  }, `workflow ${handle.workflowId}: ${what}`);
}

/** A unique id per workflow, so tests never collide with each other or with earlier runs. */
export const uniqueId = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
