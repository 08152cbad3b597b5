// Liveness and readiness: /healthz says the process is up, /readyz that PostgreSQL and Temporal answer.
import { pingDatabase } from '../../db/connect';
import type { ApiDeps } from '../http/deps';
import { RETRY_AFTER_SECONDS } from '../http/errors';
import { z } from '../http/openapi';
import type { RouteTable } from '../http/route';

const checkSchema = z.object({ ok: z.boolean(), error: z.string().optional() });
const readinessSchema = z
  .object({ status: z.enum(['ready', 'unavailable']), checks: z.object({ postgres: checkSchema, temporal: checkSchema }) })
  .openapi('Readiness');

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2s')), 2_000).unref())]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function registerHealthRoutes(routes: RouteTable, { db, temporal }: ApiDeps): void {
  routes.add({
    method: 'get',
    path: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up',
    tag: 'Health',
    access: 'public',
    responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 200, body: { status: 'ok' as const } }),
  });

  routes.add({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL and Temporal are reachable',
    tag: 'Health',
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: readinessSchema },
      503: { description: 'A dependency is unreachable', schema: readinessSchema },
    },
    handler: async () => {
      const [postgres, temporalCheck] = await Promise.all([probe(() => pingDatabase(db)), probe(() => temporal.workflowService.getSystemInfo({}))]);
      const ready = postgres.ok && temporalCheck.ok;
      return {
        status: ready ? 200 : 503,
        body: { status: ready ? ('ready' as const) : ('unavailable' as const), checks: { postgres, temporal: temporalCheck } },
        ...(ready ? {} : { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } }),
      };
    },
  });
}
