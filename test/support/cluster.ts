// The cluster scripts/cluster.sh runs, as its specs see it: both API replicas, the workers' metrics, its processes.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { apiClient, type ApiClient } from './api-harness';

const CLUSTER_SCRIPT = join(__dirname, '..', '..', 'scripts', 'cluster.sh');

/** The cluster's processes by the names scripts/cluster.sh gives them. */
export type ClusterProcess = 'temporal-history' | 'temporal-matching' | 'temporal-frontend' | 'temporal-worker' | 'worker-1' | 'worker-2' | 'api-1' | 'api-2';

export interface Cluster {
  /** api-1 and api-2, each on its own port. */
  replicas: [ApiClient, ApiClient];
  /** Sends each request to the next replica in turn, as a load balancer would. */
  spread: ApiClient;
  /** The Temporal UI's address (its server, built from temporalio/ui-server), when the cluster runs it. */
  uiUrl: string | undefined;
  /** hookline_attempts_total of worker-1 and worker-2, read from their /metrics. */
  attemptsByWorker(): Promise<[number, number]>;
  /** SIGKILLs one process, as an OOM kill or a lost machine would. */
  kill(name: ClusterProcess): void;
  /** `scripts/cluster.sh up`: starts whatever is not running and waits until it serves. */
  up(): void;
  restartPostgres(): void;
}

function script(...args: string[]): string {
  return execFileSync('bash', [CLUSTER_SCRIPT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

function settings(): Record<string, string> {
  const lines = script('env').trim().split('\n');
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

export function roundRobin(clients: ApiClient[]): ApiClient {
  let next = 0;
  const pick = () => clients[next++ % clients.length]!;
  return {
    baseUrl: clients.map((c) => c.baseUrl).join(','),
    request: (method, path, options) => pick().request(method, path, options),
    createWorkspace: (name) => pick().createWorkspace(name),
  };
}

async function attemptsOf(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('hookline_attempts_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** The running cluster (the suite is run by `npm run test:cluster`, which brings it up first). */
export function cluster(): Cluster {
  const env = settings();
  const [first, second] = env.HOOKLINE_CLUSTER_API_URLS!.split(',').map((url) => apiClient(url, env.HOOKLINE_CLUSTER_ADMIN_TOKEN!));
  const replicas: [ApiClient, ApiClient] = [first!, second!];
  const metrics = env.HOOKLINE_CLUSTER_WORKER_METRICS_URLS!.split(',');
  return {
    replicas,
    spread: roundRobin(replicas),
    uiUrl: env.HOOKLINE_CLUSTER_UI_URL,
    attemptsByWorker: async () => [await attemptsOf(metrics[0]!), await attemptsOf(metrics[1]!)],
    kill: (name) => void script('kill', name),
    up: () => void script('up'),
    restartPostgres: () => void script('restart-postgres'),
  };
}
