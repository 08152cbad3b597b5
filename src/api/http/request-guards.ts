// Guards every request passes before a route sees it: a JSON body is JSON, bounded in depth and storable as sent.
import type { RequestHandler } from 'express';
import { InvalidInputError } from '../../domain/errors';
import { assertStorableJson, jsonTextDepth, MAX_JSON_DEPTH } from '../../domain/json-input';

/** Failures of the body itself, raised inside body-parser's `verify` (before JSON.parse) and mapped by errors.ts. */
export class BodyRejected extends Error {
  override name = 'BodyRejected';
  constructor(readonly rejection: InvalidInputError | UnsupportedBody) {
    super(rejection.message);
  }
}

/** A body a JSON route cannot read: it is not JSON (text/plain, a form, XML, no content type at all). */
export class UnsupportedBody extends Error {
  override name = 'UnsupportedBody';
}

/** For express.json({ verify }): counts nesting on the raw text, so a deep body never reaches a recursive parser. */
export function verifyJsonDepth(_req: unknown, _res: unknown, buffer: Buffer): void {
  if (jsonTextDepth(buffer.toString('utf8')) > MAX_JSON_DEPTH) {
    throw new BodyRejected(
      new InvalidInputError('too_deeply_nested', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`, [
        { path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
      ]),
    );
  }
}

const hasBody = (headers: { 'content-length'?: string | undefined; 'transfer-encoding'?: string | undefined }) =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

/**
 * A body that express.json did not parse would reach a route as "no body": rotate-secret would then invent a
 * secret and PUT event-types would wipe a schema. Any body that is not JSON is refused before that (415).
 */
export const refuseNonJsonBodies: RequestHandler = (req, _res, next) => {
  if (!hasBody(req.headers) || req.is(['application/json', 'application/*+json'])) return next();
  next(new UnsupportedBody(`Request body must be JSON (Content-Type: application/json), not ${req.get('content-type') ?? 'untyped'}`));
};

/** NUL, broken Unicode, `__proto__` keys and excessive nesting anywhere in a parsed body are refused (422) by path. */
export const refuseUnstorableBodies: RequestHandler = (req, _res, next) => {
  try {
    if (req.body !== undefined) assertStorableJson(req.body, 'body');
    next();
  } catch (error) {
    next(error);
  }
};
