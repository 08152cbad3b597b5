// Cursor pagination shared by list endpoints: `?limit=&cursor=` in, `{data, next_cursor}` out.
import type { ZodType } from 'zod';
import { InvalidInputError } from '../../domain/errors';
import { hasControlCharacters } from '../../domain/json-input';
import { z } from './openapi';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * The query fragment every list accepts; extend it (`paginationQuery.extend({...})`) with the list's filters.
 * The cursor is opaque to clients: base64url of the last key of the previous page.
 */
export const paginationQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` }),
  cursor: z.string().max(1024).optional().openapi({ description: 'The `next_cursor` of the previous page; omit for the first page.' }),
});

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * The key a cursor stands for, or undefined for the first page. Anything that is not a cursor we issued
 * (bad base64url, or text that does not survive the round trip) is a 400 rather than a silently empty page.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key === '' || encodeCursor(key) !== cursor || hasControlCharacters(key)) {
    throw new InvalidInputError('invalid_cursor', 'cursor is not a value returned as next_cursor by this list', [
      { path: 'query.cursor', message: 'unrecognised cursor' },
    ]);
  }
  return key;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Callers fetch `limit + 1` rows ordered by key after the cursor; the extra row only tells whether
 * another page exists, so the last page never costs a second, empty request.
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The response schema of a page of `item`, named for the OpenAPI document. */
export function pageSchema<T extends ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    })
    .openapi(name);
}
