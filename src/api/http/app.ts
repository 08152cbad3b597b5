// Assembles the Express app: body parsing, auth guards, every router, OpenAPI and the error shape.
import express, { type Express } from 'express';
import { codecCors, registerCodecRoutes } from '../codec/router';
import { registerDeliveryRoutes } from '../deliveries/router';
import { mountConsole } from '../../console/serve';
import { portalSigningKey } from '../../domain/portal-token';
import { registerDestinationHealthRoutes } from '../destinations/health.router';
import { registerDestinationPreviewRoutes } from '../destinations/preview.router';
import { registerDestinationRecoveryRoutes } from '../destinations/recovery.router';
import { registerDestinationRoutes } from '../destinations/router';
import { registerDestinationKeyRoutes } from '../destinations/keys.router';
import { registerDestinationStatsRoutes } from '../destinations/stats.router';
import { registerDestinationQueueRoutes } from '../destinations/queue.router';
import { registerSubscriptionRoutes } from '../destinations/subscriptions.router';
import { registerDestinationTestRoutes } from '../destinations/test.router';
import { registerEventTypeRoutes } from '../event-types/router';
import { registerEventRoutes } from '../events/router';
import { registerHealthRoutes } from '../health/router';
import { registerIngestionRoutes } from '../ingestion/router';
import { builtInCatalog, registerWebhooks } from '../webhooks/document';
import { registerWebhookDocumentRoutes } from '../webhooks/router';
import { registerPortalRoutes } from '../portal/router';
import { registerRetentionRoutes } from '../lifecycle/retention.router';
import { registerSubjectRoutes } from '../lifecycle/subjects.router';
import { registerWorkspaceRoutes } from '../workspaces/router';
import { createApiMetrics, measureRequests } from '../../observability/api-metrics';
import { exposition, PROMETHEUS_CONTENT_TYPE, registrySource } from '../../observability/exposition';
import { accessLog } from './access-log';
import { traceRequests } from './trace-requests';
import { requireAdmin, requireWorkspaceKey } from './auth';
import { directLookups } from './lookup-cache';
import type { ApiDeps } from './deps';
import { mountDocs } from './docs';
import { errorHandler, routeNotFound } from './errors';
import { buildDocument, createRegistry } from './openapi';
import { refuseNonJsonBodies, refuseUnstorableBodies, verifyJsonDepth } from './request-guards';
import { assignRequestId } from './request-id';
import { RouteTable } from './route';

export interface HooklineApp {
  app: Express;
  routes: RouteTable;
  document: ReturnType<typeof buildDocument>;
}

export function createApp(given: ApiDeps): HooklineApp {
  const lookups = given.lookups ?? directLookups(given.db);
  const deps: ApiDeps = { ...given, lookups };
  const registry = createRegistry();
  const routes = new RouteTable(registry);
  registerHealthRoutes(routes, deps);
  registerWorkspaceRoutes(routes, deps);
  registerIngestionRoutes(routes, deps);
  registerDestinationRoutes(routes, deps);
  registerDestinationKeyRoutes(routes, deps);
  registerDestinationHealthRoutes(routes, deps);
  registerSubscriptionRoutes(routes, deps);
  registerEventTypeRoutes(routes, deps);
  registerEventRoutes(routes, deps);
  registerDeliveryRoutes(routes, deps);
  registerDestinationRecoveryRoutes(routes, deps);
  registerDestinationStatsRoutes(routes, deps);
  registerDestinationQueueRoutes(routes, deps);
  registerDestinationTestRoutes(routes, deps);
  registerCodecRoutes(routes, deps);
  registerWebhookDocumentRoutes(routes, deps);
  registerDestinationPreviewRoutes(routes, deps);
  registerPortalRoutes(routes, deps);
  registerRetentionRoutes(routes, deps);
  registerSubjectRoutes(routes, deps);
  registerWebhooks(registry, builtInCatalog());
  const document = buildDocument(registry, { version: deps.version, publicUrl: deps.config.publicUrl });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  // First, so a request refused by the body parser is logged and counted too (with its request id).
  app.use(assignRequestId);
  const metrics = deps.metrics ?? createApiMetrics();
  app.use(traceRequests(), accessLog(deps.logger), measureRequests(metrics));
  const metricsSources = deps.metricsSources ?? [registrySource(metrics.registry)];
  // Unauthenticated, as scrapers expect; its labels carry no tenant ids or secrets.
  app.get('/metrics', async (_req, res) => void res.type(PROMETHEUS_CONTENT_TYPE).send(await exposition(metricsSources)));
  // Events may be large; the limit is the ingestion limit and anything over answers 413.
  app.use('/codec', codecCors(deps.config.codecOrigins));
  app.use(refuseNonJsonBodies);
  app.use(express.json({ limit: deps.config.ingestion.maxPayloadBytes, strict: false, verify: verifyJsonDepth }));
  app.use(refuseUnstorableBodies);
  mountDocs(app, document);
  mountConsole(app, { db: deps.db, encryptionKey: deps.config.encryptionKey });
  const router = express.Router();
  routes.mount(router, {
    admin: requireAdmin(deps.config.adminToken),
    workspace: requireWorkspaceKey(deps.db, lookups, portalSigningKey(deps.config.encryptionKey)),
  });
  app.use(router);
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return { app, routes, document };
}
