// The event catalog: each type's description, JSON Schema and example payload.
import { api } from '../api';
import { ErrorNotice, Loading } from '../components';
import type { EventType, Page } from '../types';
import { useLoad } from '../use-load';

export function EventTypesScreen() {
  const types = useLoad(() => api.get<Page<EventType>>('/v1/event-types?limit=100'), []);
  return (
    <section aria-labelledby="types-title">
      <h1 id="types-title">Event catalog</h1>
      <ErrorNotice error={types.error} />
      {!types.data && !types.error && <Loading what="event types" />}
      {types.data?.data.map((type) => (
        <article class="panel" key={type.name} aria-labelledby={`type-${type.name}`}>
          <h2 id={`type-${type.name}`} class="mono">
            {type.name}
          </h2>
          <p>{type.description || <span class="muted">No description.</span>}</p>
          <details>
            <summary>Example payload</summary>
            <pre class="code">{type.example === null ? '(none)' : JSON.stringify(type.example, null, 2)}</pre>
          </details>
          <details>
            <summary>Schema</summary>
            <pre class="code">{type.schema === null ? 'No schema: any JSON is accepted.' : JSON.stringify(type.schema, null, 2)}</pre>
          </details>
        </article>
      ))}
    </section>
  );
}
