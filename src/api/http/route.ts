// Declares a route once: its zod schemas validate the request, shape the response and feed OpenAPI.
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { ForbiddenError } from '../../domain/errors';
import { assertDestinationVisible, type PortalScope, type Scope } from '../../domain/portal-scope';
import { requestInvalid } from './errors';
import { errorSchema } from './openapi';

export type Access = 'public' | 'admin' | 'workspace';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Set for `workspace` routes: every query a handler makes is scoped by it. */
  workspaceId: string;
  /** A portal session's scope, null for a workspace key: handlers that list or read by other ids apply it. */
  scope: Scope;
  req: Request;
  res: Response;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Express-style path, e.g. `/v1/destinations/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /**
   * Whether a portal session may call this workspace route: 'read' any session, 'write' only one that is not
   * read-only; absent, the portal does not offer it (403).
   */
  portal?: 'read' | 'write';
  /** `params.id` is a destination id, checked against a portal session's destinations (404 outside them). */
  scopedBy?: 'destination';
  params?: P;
  query?: Q;
  body?: B;
  /** Success responses; a schema here also strips anything not in it from what is sent. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error statuses worth documenting beyond 400/401/404/500. */
  errors?: number[];
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<RouteResult>;
}

export interface AccessGuards {
  admin: express.RequestHandler;
  workspace: express.RequestHandler;
}

/** The portal's rules that a route's declaration decides, before its handler runs. */
function checkPortalAccess(spec: { portal?: 'read' | 'write'; scopedBy?: 'destination' }, scope: PortalScope, params: unknown): void {
  if (!spec.portal) throw new ForbiddenError('not_available_in_portal', 'This route is not available to portal sessions');
  if (spec.portal === 'write' && scope.readOnly) throw new ForbiddenError('portal_read_only', 'This portal session is read-only');
  if (spec.scopedBy === 'destination') assertDestinationVisible(scope, (params as { id: string }).id);
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw requestInvalid(result.error, where);
  return result.data;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or fails validation',
  401: 'Missing or invalid credentials',
  403: 'Not allowed for these credentials (e.g. a read-only portal session)',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  413: 'Payload too large',
  422: 'Well-formed but not acceptable',
  500: 'Internal error',
  503: 'A dependency is unavailable',
};

/** Collects routes, mounts them on an Express router and registers them in the OpenAPI document. */
export class RouteTable {
  private readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];

  constructor(private readonly registry: OpenAPIRegistry) {}

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    this.specs.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = response.schema
        ? { description: response.description, content: { 'application/json': { schema: response.schema } } }
        : { description: response.description };
    }
    const errorStatuses = new Set([400, 500, ...(spec.access === 'public' ? [] : [401]), ...(spec.params ? [404] : []), ...(spec.portal ? [403] : []), ...(spec.errors ?? [])]);
    for (const status of errorStatuses) {
      responses[String(status)] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    this.registry.registerPath({
      method: spec.method,
      path: openApiPath(spec.path),
      summary: spec.summary,
      tags: [spec.tag],
      security:
        spec.access === 'public'
          ? []
          : spec.access === 'admin'
            ? [{ adminToken: [] }]
            : [{ workspaceKey: [] }, ...(spec.portal ? [{ portalSession: [] }] : [])],
      request: {
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } } : {}),
      },
      responses,
    });
  }

  /** Every registered (method, OpenAPI path), for tests that hold the document to the routes. */
  routes(): { method: Method; path: string }[] {
    return this.specs.map((spec) => ({ method: spec.method, path: openApiPath(spec.path) }));
  }

  mount(router: Router, guards: AccessGuards): void {
    for (const spec of this.specs) {
      const guard = spec.access === 'public' ? [] : [spec.access === 'admin' ? guards.admin : guards.workspace];
      router[spec.method](spec.path, ...guard, async (req: Request, res: Response, next: NextFunction) => {
        try {
          const params = parsePart(spec.params, req.params, 'params');
          const scope = (res.locals.portal as PortalScope | undefined) ?? null;
          if (scope) checkPortalAccess(spec, scope, params);
          const result = await spec.handler({
            params,
            query: parsePart(spec.query, req.query, 'query'),
            body: parsePart(spec.body, req.body, 'body'),
            workspaceId: (res.locals.workspaceId as string | undefined) ?? '',
            scope,
            req,
            res,
          });
          for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
          const schema = spec.responses[result.status]?.schema;
          if (result.body === undefined) {
            res.status(result.status).end();
          } else {
            res.status(result.status).json(schema ? schema.parse(result.body) : result.body);
          }
        } catch (error) {
          next(error);
        }
      });
    }
  }
}
