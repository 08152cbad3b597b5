// The console's security headers: a strict CSP (no inline script, same-origin only) and who may frame it.
import type { Response } from 'express';
import { frameAncestorsDirective } from '../domain/frame-ancestors';

/**
 * Event data, template output and receiver responses are untrusted and only ever rendered as text; the CSP is the
 * second line: no inline script or style, nothing loaded or sent anywhere but this origin.
 */
export function consoleCsp(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    frameAncestorsDirective(frameAncestors),
  ].join('; ');
}

export function setConsoleHeaders(res: Response, frameAncestors: readonly string[]): void {
  res.setHeader('Content-Security-Policy', consoleCsp(frameAncestors));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The portal's token is in its URL: never hand it to another site as a referrer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  if (frameAncestors.length === 0) res.setHeader('X-Frame-Options', 'DENY');
}
