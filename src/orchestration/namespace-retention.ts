// How long Temporal keeps a closed workflow's history (it carries encrypted event data): set on the namespace by every script that starts a server.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/*
 * Three days: enough to inspect yesterday's failures in the Temporal UI, short beside the payload window (30 days by
 * default), so PostgreSQL stays the one long-lived copy. deploy/register-search-attributes.sh applies the same value.
 */
export const NAMESPACE_RETENTION_HOURS = 72;

export async function applyNamespaceRetention(address: string, namespace: string, hours = NAMESPACE_RETENTION_HOURS): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: msToTs(hours * 3_600_000) },
    });
  } finally {
    await connection.close();
  }
}
