// Assembles the Express app: body parsing, auth guards, every router, OpenAPI and the error shape.
import express, { type Express } from 'express';
import { registerDeliveryRoutes } from '../deliveries/router';
import { registerDestinationHealthRoutes } from '../destinations/health.router';
import { registerDestinationRecoveryRoutes } from '../destinations/recovery.router';
import { registerDestinationRoutes } from '../destinations/router';
import { registerDestinationStatsRoutes } from '../destinations/stats.router';
import { registerSubscriptionRoutes } from '../destinations/subscriptions.router';
import { registerDestinationTestRoutes } from '../destinations/test.router';
import { registerEventTypeRoutes } from '../event-types/router';
import { registerEventRoutes } from '../events/router';
import { registerHealthRoutes } from '../health/router';
import { builtInCatalog, registerWebhooks } from '../webhooks/document';
import { registerWebhookDocumentRoutes } from '../webhooks/router';
import { registerWorkspaceRoutes } from '../workspaces/router';
import { requireAdmin, requireWorkspaceKey } from './auth';
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

export function createApp(deps: ApiDeps): HooklineApp {
  const registry = createRegistry();
  const routes = new RouteTable(registry);
  registerHealthRoutes(routes, deps);
  registerWorkspaceRoutes(routes, deps);
  registerDestinationRoutes(routes, deps);
  registerDestinationHealthRoutes(routes, deps);
  registerSubscriptionRoutes(routes, deps);
  registerEventTypeRoutes(routes, deps);
  registerEventRoutes(routes, deps);
  registerDeliveryRoutes(routes, deps);
  registerDestinationRecoveryRoutes(routes, deps);
  registerDestinationStatsRoutes(routes, deps);
  registerDestinationTestRoutes(routes, deps);
  registerWebhookDocumentRoutes(routes, deps);
  registerWebhooks(registry, builtInCatalog());
  const document = buildDocument(registry, { version: deps.version, publicUrl: deps.config.publicUrl });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(assignRequestId);
  // Events may be large; the limit is the ingestion limit and anything over answers 413.
  app.use(refuseNonJsonBodies);
  app.use(express.json({ limit: deps.config.ingestion.maxPayloadBytes, strict: false, verify: verifyJsonDepth }));
  app.use(refuseUnstorableBodies);
  mountDocs(app, document);
  const router = express.Router();
  routes.mount(router, {
    admin: requireAdmin(deps.config.adminToken),
    workspace: requireWorkspaceKey(deps.db),
  });
  app.use(router);
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return { app, routes, document };
}
