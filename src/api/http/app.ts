// Assembles the Express app: body parsing, auth guards, every router, OpenAPI and the error shape.
import express, { type Express } from 'express';
import { registerDeliveryRoutes } from '../deliveries/router';
import { mountConsole } from '../../console/serve';
import { portalSigningKey } from '../../domain/portal-token';
import { registerDestinationHealthRoutes } from '../destinations/health.router';
import { registerDestinationPreviewRoutes } from '../destinations/preview.router';
import { registerDestinationRecoveryRoutes } from '../destinations/recovery.router';
import { registerDestinationRoutes } from '../destinations/router';
import { registerDestinationStatsRoutes } from '../destinations/stats.router';
import { registerSubscriptionRoutes } from '../destinations/subscriptions.router';
import { registerDestinationTestRoutes } from '../destinations/test.router';
import { registerEventTypeRoutes } from '../event-types/router';
import { registerEventRoutes } from '../events/router';
import { registerHealthRoutes } from '../health/router';
import { registerPortalRoutes } from '../portal/router';
import { registerWorkspaceRoutes } from '../workspaces/router';
import { requireAdmin, requireWorkspaceKey } from './auth';
import type { ApiDeps } from './deps';
import { mountDocs } from './docs';
import { errorHandler, routeNotFound } from './errors';
import { buildDocument, createRegistry } from './openapi';
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
  registerDestinationPreviewRoutes(routes, deps);
  registerPortalRoutes(routes, deps);
  const document = buildDocument(registry, deps.version);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  // Events may be large; the limit is the ingestion limit and anything over answers 413.
  app.use(express.json({ limit: deps.config.ingestion.maxPayloadBytes, strict: false }));
  mountDocs(app, document);
  mountConsole(app, { db: deps.db, encryptionKey: deps.config.encryptionKey });
  const router = express.Router();
  routes.mount(router, {
    admin: requireAdmin(deps.config.adminToken),
    workspace: requireWorkspaceKey(deps.db, portalSigningKey(deps.config.encryptionKey)),
  });
  app.use(router);
  app.use(routeNotFound);
  app.use(errorHandler(deps.logger));
  return { app, routes, document };
}
