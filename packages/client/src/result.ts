// Turns openapi-fetch's `{ data, error, response }` into the data, or a HooklineApiError carrying the API's error shape.
import type { components } from './schema';

type ApiErrorBody = components['schemas']['Error'];

export class HooklineApiError extends Error {
  override name = 'HooklineApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorBody['error']['details'] = [],
  ) {
    super(message);
  }
}

function isApiError(value: unknown): value is ApiErrorBody {
  return typeof (value as ApiErrorBody | null)?.error?.code === 'string';
}

/** `const destination = orThrow(await hookline.GET('/v1/destinations/{id}', { params: { path: { id } } }))`. */
export function orThrow<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  const { status } = result.response;
  if (isApiError(result.error)) throw new HooklineApiError(status, result.error.error.code, result.error.error.message, result.error.error.details);
  throw new HooklineApiError(status, 'http_error', `Hookline answered ${status} ${result.response.statusText}`);
}
