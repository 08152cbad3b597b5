// Makes a worker's build the current version of its Worker Deployment: new workflows start on it, pinned ones stay.
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config/config';
import { hooklineClient } from './client';

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export class DeploymentVersionError extends Error {
  override name = 'DeploymentVersionError';
}

export interface BecomeCurrentOptions {
  timeoutMs?: number;
  /** Stops trying (the worker is shutting down). */
  signal?: AbortSignal;
}

/**
 * A version exists on the server once one of its workers has polled, a moment after the worker starts; until then the
 * call fails, so it is tried again. Making the current version current again changes nothing, so every worker of a
 * build may call it. Starting a build's workers is its rollout; starting an earlier build's workers is a rollback.
 */
export async function becomeCurrentVersion(
  config: Config,
  connection: NativeConnection,
  version: DeploymentVersion,
  options: BecomeCurrentOptions = {},
): Promise<void> {
  const { workflowService } = hooklineClient(config, connection);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  while (!options.signal?.aborted) {
    try {
      const described = await workflowService.describeWorkerDeployment({ namespace: config.temporal.namespace, deploymentName: version.deploymentName });
      if (described.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId === version.buildId) return;
      await workflowService.setWorkerDeploymentCurrentVersion({
        namespace: config.temporal.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: `hookline-worker ${version.buildId}`,
      });
      return;
    } catch (error) {
      lastError = error;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  if (options.signal?.aborted) return;
  throw new DeploymentVersionError(
    `could not make build ${version.buildId} the current version of Worker Deployment ${version.deploymentName}: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
  );
}
