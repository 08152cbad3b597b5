// Checks an ingested event's data against its registered JSON Schema, with compiled validators cached.
import type { ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/connect';
import { RuleViolationError } from '../../domain/errors';
import { compileJsonSchema, schemaErrorDetails, summarizeSchemaErrors, validatesWithin } from '../../domain/json-schema';
import { schemaOf } from '../../store/event-types';
import type { Lookups } from '../http/lookup-cache';

const CACHE_LIMIT = 1_000;

/**
 * Ingestion is the hot path, so each event asks the lookups whether its type has a schema and which version (cached
 * in the API process, see lookup-cache.ts), and the schema is fetched and compiled only when that version is new here.
 * The key carries the version (updated_at), so a PUT to the type is picked up on the next event without invalidation.
 */
export class EventPayloadValidator {
  private readonly cache = new LRUCache<string, ValidateFunction>({ max: CACHE_LIMIT });

  constructor(
    private readonly db: Db,
    private readonly lookups: Pick<Lookups, 'schemaVersionOf'>,
  ) {}

  /** Resolves when `data` fits the type's schema, or the type has none / is not registered; else a RuleViolation. */
  async validate(workspaceId: string, type: string, data: unknown): Promise<void> {
    const version = await this.lookups.schemaVersionOf(workspaceId, type);
    if (version === undefined) return;
    const validate = await this.validatorFor(workspaceId, type, version);
    if (!validate) return;
    const verdict = validatesWithin(validate, data);
    if (verdict === 'unbounded') {
      throw new RuleViolationError('payload_schema_unusable', `The schema registered for ${type} recurses without end on this data; fix the schema`, [
        { path: 'data', message: 'schema recursion without end' },
      ]);
    }
    if (verdict) return;
    const details = schemaErrorDetails(validate.errors, 'data');
    throw new RuleViolationError(
      'payload_schema_mismatch',
      `Event data does not match the schema registered for ${type}: ${summarizeSchemaErrors(details)}`,
      details,
    );
  }

  private async validatorFor(workspaceId: string, type: string, version: string): Promise<ValidateFunction | null> {
    const key = `${workspaceId}\u0000${type}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await schemaOf(this.db, workspaceId, type);
    if (!row?.schema) return null;
    const compiled = compileJsonSchema(row.schema);
    // Schemas are compiled when registered, so this only fails for rows written around the API; accept rather than block ingestion.
    if (!compiled.ok) return null;
    // Keyed by the version actually compiled, in case the type changed between the two queries.
    this.cache.set(`${workspaceId}\u0000${type}\u0000${row.version}`, compiled.validate);
    return compiled.validate;
  }
}
