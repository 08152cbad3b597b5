// Gives every request an id, echoed as X-Request-Id, so a caller's report and Hookline's logs name the same request.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** What a caller may send as its own id: short visible ASCII, so it is safe to log and to echo as a header. */
const CALLER_ID = /^[\x21-\x7e]{1,128}$/;

export const assignRequestId: RequestHandler = (req, res, next) => {
  const given = req.header('x-request-id');
  const id = given !== undefined && CALLER_ID.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};
