// Declares a route once: its zod schemas validate the request, shape the response and feed OpenAPI.
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { HeaderObject, ReferenceObject } from 'openapi3-ts/oas31';
import type express from 'express';
import { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { InvalidInputError } from '../../domain/errors';
import { hasControlCharacters } from '../../domain/json-input';
import { ForbiddenError } from '../../domain/errors';
import { assertDestinationVisible, assertMayWrite, type PortalScope, type Scope } from '../../domain/portal-scope';
import { requestInvalid } from './errors';
import { REQUEST_ID_HEADER, RETRY_AFTER_HEADER } from './openapi';

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

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  headers?: Record<string, HeaderObject>;
}

export type ResponseSpecs = Record<number, ResponseSpec>;

/** What a handler may answer: one of its declared statuses, with a body its schema accepts (the compiler checks). */
export type RouteResult<R extends ResponseSpecs = ResponseSpecs> = {
  [S in keyof R & number]: {
    status: S;
    body?: R[S] extends { schema: infer Schema extends z.ZodType } ? z.input<Schema> : undefined;
    headers?: Record<string, string>;
  };
}[keyof R & number];

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends ResponseSpecs = ResponseSpecs> {
  method: Method;
  /** Express-style path, e.g. `/v1/destinations/:id`. */
  path: string;
  /** Stable and unique: generated clients name their methods after it. */
  operationId: string;
  summary: string;
  /** Longer prose for the reference page, when the summary is not enough. */
  description?: string;
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
  /** Request headers the route reads; documented only, the handler checks them itself. */
  headers?: z.ZodObject;
  /** Success responses; a schema here also strips anything not in it from what is sent. */
  responses: R;
  /** Error statuses worth documenting beyond 400/401/404/500. */
  errors?: number[];
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<RouteResult<NoInfer<R>>>;
}

export interface AccessGuards {
  admin: express.RequestHandler;
  workspace: express.RequestHandler;
}

/** The portal's rules that a route's declaration decides, before its handler runs. */
function checkPortalAccess(spec: { portal?: 'read' | 'write'; scopedBy?: 'destination' }, scope: PortalScope, params: unknown): void {
  if (!spec.portal) throw new ForbiddenError('not_available_in_portal', 'This route is not available to portal sessions');
  if (spec.portal === 'write') assertMayWrite(scope);
  if (spec.scopedBy === 'destination') assertDestinationVisible(scope, (params as { id: string }).id);
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}

/** Path ids, cursors and filters never hold control characters: refused here, before they reach SQL. */
function assertPrintable(value: unknown, where: 'query' | 'params'): void {
  for (const [name, entry] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    for (const text of Array.isArray(entry) ? entry : [entry]) {
      if (typeof text === 'string' && hasControlCharacters(text)) {
        throw new InvalidInputError('invalid_characters', `${where}.${name} contains control characters`, [
          { path: `${where}.${name}`, message: 'contains control characters' },
        ]);
      }
    }
  }
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (where !== 'body') assertPrintable(value, where);
  if (!schema) return value;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw requestInvalid(result.error, where);
  return result.data;
}

/** Each error status the API answers, as a shared response component (registered when a route first uses it). */
const ERROR_RESPONSES: Record<
  number,
  { name: string; description: string; example?: { code: string; message: string; details?: { path: string; message: string }[] } }
> = {
  400: {
    name: 'BadRequest',
    description: 'The request is malformed or fails validation',
    example: { code: 'validation_failed', message: 'Request body is invalid: body.url: Required', details: [{ path: 'body.url', message: 'Required' }] },
  },
  401: { name: 'Unauthorized', description: 'Missing or invalid credentials', example: { code: 'unauthorized', message: 'Invalid or revoked API key' } },
  404: { name: 'NotFound', description: 'Not found in this workspace', example: { code: 'not_found', message: 'Destination not found' } },
  403: { name: 'Forbidden', description: 'Not allowed for these credentials (e.g. a read-only portal session)' },
  409: { name: 'Conflict', description: 'Conflicts with the current state' },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is over HOOKLINE_MAX_PAYLOAD_BYTES',
    example: { code: 'payload_too_large', message: 'Request body exceeds the limit of 262144 bytes' },
  },
  415: { name: 'UnsupportedMediaType', description: 'The body is not JSON, or its encoding or charset is unsupported' },
  422: { name: 'Unprocessable', description: 'Well-formed but not acceptable' },
  500: { name: 'InternalError', description: 'Internal error', example: { code: 'internal_error', message: 'Internal server error' } },
  503: {
    name: 'Unavailable',
    description: 'PostgreSQL or Temporal is unavailable and nothing was accepted: send the same request again after Retry-After seconds',
  },
  504: { name: 'DeadlineExceeded', description: 'A dependency did not answer in time' },
};

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The statuses a route can fail with: what every route can, what its access and inputs add, and what it declares. */
function errorStatusesOf(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): number[] {
  return [
    ...new Set([
      400,
      // Any route that reaches PostgreSQL (every authenticated one does) answers 503 while it is down.
      ...(spec.access === 'public' ? [] : [401, 503]),
      ...(spec.params ? [404] : []),
      ...(spec.portal ? [403] : []),
      ...(spec.body ? [413, 415] : []),
      ...(spec.errors ?? []),
      500,
    ]),
  ].sort((a, b) => a - b);
}

/** Collects routes, mounts them on an Express router and registers them in the OpenAPI document. */
export class RouteTable {
  private readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];
  private readonly registeredErrors = new Set<number>();

  constructor(private readonly registry: OpenAPIRegistry) {}

  /** The shared response of an error status, registered as a component the first time a route can answer it. */
  private errorResponse(status: number): ReferenceObject {
    const known = ERROR_RESPONSES[status] ?? { name: `Error${status}`, description: 'Error' };
    if (!this.registeredErrors.has(status)) {
      this.registeredErrors.add(status);
      this.registry.registerComponent('responses', known.name, {
        description: known.description,
        headers: { [REQUEST_ID_HEADER]: headerRef(REQUEST_ID_HEADER), ...(status === 503 ? { [RETRY_AFTER_HEADER]: headerRef(RETRY_AFTER_HEADER) } : {}) },
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            ...(known.example ? { example: { error: { ...known.example, details: known.example.details ?? [] } } } : {}),
          },
        },
      });
    }
    return { $ref: `#/components/responses/${known.name}` };
  }

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends ResponseSpecs>(spec: RouteSpec<P, Q, B, R>): void {
    const general = spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
    this.specs.push(general);
    const responses: Record<string, ResponseConfig | ReferenceObject> = {};
    for (const [status, response] of Object.entries<ResponseSpec>(spec.responses)) {
      responses[status] = {
        description: response.description,
        headers: {
          [REQUEST_ID_HEADER]: headerRef(REQUEST_ID_HEADER),
          ...(status === '503' ? { [RETRY_AFTER_HEADER]: headerRef(RETRY_AFTER_HEADER) } : {}),
          ...response.headers,
        },
        ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
      };
    }
    // A status the route answers with a body of its own (readiness's 503) keeps that body.
    for (const status of errorStatusesOf(general).filter((status) => responses[String(status)] === undefined)) {
      responses[String(status)] = this.errorResponse(status);
    }
    this.registry.registerPath({
      method: spec.method,
      path: openApiPath(spec.path),
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
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
        ...(spec.headers ? { headers: spec.headers } : {}),
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
