// The bench-only worker for the Temporal floor: the trivial workflow and its no-op activity on their own task queue.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { FloorActivities } from './floor.workflow';

class FloorWorkerConfigError extends Error {
  override name = 'FloorWorkerConfigError';
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new FloorWorkerConfigError(`${name} is not set; the benchmark starts this process with it`);
  return value;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect({ address: required('BENCH_TEMPORAL_ADDRESS') });
  const activities: FloorActivities = { floorNoop: async () => undefined };
  const worker = await Worker.create({
    connection,
    taskQueue: required('BENCH_FLOOR_TASK_QUEUE'),
    workflowBundle: { codePath: required('BENCH_FLOOR_BUNDLE') },
    activities,
    // The same slots as Hookline's worker, so the floor differs from it only in the work per task.
    maxConcurrentActivityTaskExecutions: Number(required('BENCH_MAX_ACTIVITIES')),
    maxConcurrentWorkflowTaskExecutions: Number(required('BENCH_MAX_WORKFLOW_TASKS')),
  });
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
