// Checks an ingested event's data against its registered JSON Schema, with compiled validators cached.
import type { ValidateFunction } from 'ajv';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { ApiError } from './errors';
import { compileJsonSchema, schemaErrorDetails, summarizeSchemaErrors } from './json-schema';

const CACHE_LIMIT = 1_000;

// updated_at as text keeps PostgreSQL's microseconds, which a JS Date would round away: two quick PUTs stay two versions.
const schemaVersion = sql<string>`updated_at::text`;

/**
 * Ingestion is the hot path, so each event costs one small query (does the type have a schema, and which
 * version) and the schema itself is fetched and compiled only when that version is not cached yet.
 * The key carries the version (updated_at), so a PUT to the type is picked up on the next event without invalidation.
 */
export class EventPayloadValidator {
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly db: Db) {}

  /** Resolves when `data` fits the type's schema, or the type has none / is not registered; else a 422. */
  async validate(workspaceId: string, type: string, data: unknown): Promise<void> {
    const row = await this.db
      .selectFrom('event_types')
      .select(schemaVersion.as('version'))
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', type)
      .where('schema', 'is not', null)
      .executeTakeFirst();
    if (!row) return;
    const validate = await this.validatorFor(workspaceId, type, row.version);
    if (!validate || validate(data)) return;
    const details = schemaErrorDetails(validate.errors, 'data');
    throw new ApiError(
      422,
      'payload_schema_mismatch',
      `Event data does not match the schema registered for ${type}: ${summarizeSchemaErrors(details)}`,
      details,
    );
  }

  private async validatorFor(workspaceId: string, type: string, version: string): Promise<ValidateFunction | null> {
    const key = `${workspaceId}\u0000${type}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Re-inserting keeps the Map's insertion order an LRU order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const row = await this.db
      .selectFrom('event_types')
      .select(['schema', schemaVersion.as('version')])
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', type)
      .executeTakeFirst();
    if (!row?.schema) return null;
    const compiled = compileJsonSchema(row.schema);
    // Schemas are compiled when registered, so this only fails for rows written around the API; accept rather than block ingestion.
    if (!compiled.ok) return null;
    // Keyed by the version actually compiled, in case the type changed between the two queries.
    this.cache.set(`${workspaceId}\u0000${type}\u0000${row.version}`, compiled.validate);
    if (this.cache.size > CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return compiled.validate;
  }
}
