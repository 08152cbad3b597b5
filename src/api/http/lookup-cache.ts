// The two lookups every ingest makes (whose key it is, whether its type has a schema), cached while PostgreSQL tells this process of every change.
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/connect';
import { schemaVersionOf } from '../../store/event-types';
import { CONFIG_CHANNEL, listen } from '../../store/notifications';
import { workspaceOfKey } from '../../store/workspaces';

export interface Lookups {
  /** The workspace of a live key; null for an unknown or revoked one. */
  workspaceOfKey(keyHash: string): Promise<string | null>;
  /** The version of a type's schema; undefined when it has none or is not registered. */
  schemaVersionOf(workspaceId: string, type: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Straight from PostgreSQL every time (a process without a LISTEN connection of its own: the unit specs' app). */
export function directLookups(db: Db): Lookups {
  return {
    workspaceOfKey: (keyHash) => workspaceOfKey(db, keyHash),
    schemaVersionOf: (workspaceId, type) => schemaVersionOf(db, workspaceId, type),
    close: async () => undefined,
  };
}

const ENTRIES = 10_000;
const NO_SCHEMA = '';

/**
 * A revoked key must stop working at once on every replica, so the cache is trusted only while its LISTEN connection
 * is up, and any change notified (or a reconnection, which may have missed one) empties it. A read that began before
 * a change may return the old answer but is not kept: each change moves the generation, and only a read that began
 * and ended in one generation is cached. Unknown keys are never cached; a type without a schema is.
 */
export function cachedLookups(db: Db, databaseUrl: string, onError: (error: unknown) => void): Lookups {
  const keys = new LRUCache<string, string>({ max: ENTRIES });
  const schemas = new LRUCache<string, string>({ max: ENTRIES });
  let generation = 0;
  const listener = listen(databaseUrl, CONFIG_CHANNEL, {
    onNotify: () => {
      generation += 1;
      keys.clear();
      schemas.clear();
    },
    onError,
  });

  async function cached<T>(
    cache: LRUCache<string, string>,
    key: string,
    read: () => Promise<T>,
    stored: (value: T) => string | null,
    back: (text: string) => T,
  ) {
    const hit = listener.listening ? cache.get(key) : undefined;
    if (hit !== undefined) return back(hit);
    const began = generation;
    const value = await read();
    const text = stored(value);
    if (text !== null && listener.listening && generation === began) cache.set(key, text);
    return value;
  }

  return {
    workspaceOfKey: (keyHash) =>
      cached(
        keys,
        keyHash,
        () => workspaceOfKey(db, keyHash),
        (workspaceId) => workspaceId,
        (workspaceId) => workspaceId,
      ),
    schemaVersionOf: (workspaceId, type) =>
      cached(
        schemas,
        `${workspaceId}\u0000${type}`,
        () => schemaVersionOf(db, workspaceId, type),
        (version) => version ?? NO_SCHEMA,
        (text) => (text === NO_SCHEMA ? undefined : text),
      ),
    close: () => listener.close(),
  };
}
