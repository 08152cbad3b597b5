// Basic auth as a destination setting (RFC 7617): what a username and password may hold, the header they make, how answers mask them.
import { MASK } from './credential-mask';
import { RuleViolationError } from './errors';
import { isSealedHeaderValue, openHeaderValues, sealHeaderValues } from './header-values';

export interface BasicAuth {
  username: string;
  /** Plain as a person sends it; sealed (`sealed:…`) once stored; the mask in every answer. */
  password: string;
}

export const MAX_BASIC_AUTH_LENGTH = 256;

function invalid(path: string, message: string): RuleViolationError {
  return new RuleViolationError('invalid_basic_auth', message, [{ path, message }]);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** RFC 7617: the user-id may not hold a colon (the first colon ends it); neither part may hold control characters. */
export function checkBasicAuth(auth: BasicAuth | null): void {
  if (auth === null) return;
  if (auth.username.includes(':')) throw invalid('body.basic_auth.username', 'a Basic auth username cannot contain ":"');
  if (CONTROL.test(auth.username)) throw invalid('body.basic_auth.username', 'the username contains a control character');
  // A stored (sealed) password was checked when it was sent.
  if (!isSealedHeaderValue(auth.password) && CONTROL.test(auth.password)) {
    throw invalid('body.basic_auth.password', 'the password contains a control character');
  }
}

/** What a person sends: never a value that looks sealed, and the mask only where a password is stored to keep. */
export function assertPlainBasicAuth(requested: BasicAuth | null | undefined, stored: BasicAuth | null): void {
  if (!requested) return;
  if (isSealedHeaderValue(requested.password)) throw invalid('body.basic_auth.password', 'the password cannot start with "sealed:"');
  if (requested.password === MASK && stored === null) throw invalid('body.basic_auth.password', 'send the password itself: none is stored to keep');
}

/** What answers show: the username (not a secret; people need it to recognise the setting), never the password. */
export function maskBasicAuth(auth: BasicAuth | null): BasicAuth | null {
  return auth === null ? null : { username: auth.username, password: MASK };
}

/** A password sent back masked (as every read shows it) keeps the stored one, as header values do. */
export function mergeBasicAuth(requested: BasicAuth | null, stored: BasicAuth | null): BasicAuth | null {
  if (requested === null || requested.password !== MASK || stored === null) return requested;
  return { username: requested.username, password: stored.password };
}

export function sealBasicAuth(auth: BasicAuth | null, key: Buffer): BasicAuth | null {
  return auth === null ? null : { username: auth.username, password: sealHeaderValues({ password: auth.password }, key).password! };
}

/** The Authorization header value, UTF-8 as RFC 7617's `charset="UTF-8"` asks. */
export function basicAuthorization(username: string, sealedPassword: string, key: Buffer): string {
  const password = openHeaderValues({ password: sealedPassword }, key).password!;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
