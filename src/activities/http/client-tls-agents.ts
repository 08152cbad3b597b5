// One undici Agent per destination with a client certificate (mutual TLS), kept while it is used; destinations without one share the worker's Agent.
import { createHash } from 'node:crypto';
import type { Agent } from 'undici';
import type { ClientTlsOptions } from './dispatcher';

/** A certificate as the row holds it: the key still sealed, so a hit costs no decryption. */
export interface StoredClientTls {
  certificate: string;
  sealedKey: string;
  ca: string | null;
}

const MAX_AGENTS = 256;

export class ClientTlsAgents {
  // Insertion order is recency order: a hit moves to the end, the first is the least recently used.
  private readonly agents = new Map<string, Agent>();

  constructor(
    private readonly make: (tls: ClientTlsOptions) => Agent,
    private readonly openKey: (sealed: string) => string,
    private readonly max = MAX_AGENTS,
  ) {}

  /** The destination's Agent; a changed certificate, key or CA is another Agent, so no pooled connection keeps the old one. */
  for(destinationId: string, stored: StoredClientTls): Agent {
    const id = `${destinationId}:${createHash('sha256')
      .update(JSON.stringify([stored.certificate, stored.sealedKey, stored.ca]))
      .digest('base64url')}`;
    const known = this.agents.get(id);
    if (known) {
      this.agents.delete(id);
      this.agents.set(id, known);
      return known;
    }
    // The destination's previous certificate goes at once; beyond the cap, the least recently used. Each closes once its requests end.
    for (const other of [...this.agents.keys()]) if (other.startsWith(`${destinationId}:`)) this.retire(other);
    while (this.agents.size >= this.max) this.retire(this.agents.keys().next().value!);
    const agent = this.make({ cert: stored.certificate, key: this.openKey(stored.sealedKey), ca: stored.ca });
    this.agents.set(id, agent);
    return agent;
  }

  private retire(id: string): void {
    const agent = this.agents.get(id);
    this.agents.delete(id);
    void agent?.close();
  }

  async close(): Promise<void> {
    const open = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(open.map((agent) => agent.close()));
  }
}
